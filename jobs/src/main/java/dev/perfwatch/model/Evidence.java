package dev.perfwatch.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Builds the JSON object of an alert's evidence. */
public final class Evidence {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final StringWriter out = new StringWriter();
    private final JsonGenerator json;

    public Evidence() {
        try {
            json = JSON.createGenerator(out);
            json.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Evidence put(String field, String value) {
        try {
            json.writeStringField(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Evidence put(String field, double value) {
        try {
            JsonRecord.number(json, field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Evidence put(String field, long value) {
        try {
            json.writeNumberField(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Evidence time(String field, long epochMillis) {
        return put(field, Timestamps.iso(epochMillis));
    }

    /** An array of windows: start and the given statistic of each. */
    public Evidence windows(String field, Iterable<WindowSummary> windows, String statisticName, java.util.function.ToDoubleFunction<WindowSummary> statistic) {
        try {
            json.writeArrayFieldStart(field);
            for (WindowSummary w : windows) {
                json.writeStartObject();
                json.writeStringField("window_start", Timestamps.iso(w.windowStart));
                json.writeStringField("metric", w.metric);
                double v = statistic.applyAsDouble(w);
                if (Double.isFinite(v)) {
                    json.writeNumberField(statisticName, v);
                }
                json.writeNumberField("count", w.count);
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public String json() {
        try {
            json.writeEndObject();
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
