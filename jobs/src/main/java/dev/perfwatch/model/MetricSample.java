package dev.perfwatch.model;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/** One validated metric sample (see DESIGN.md, "Input record"). */
public class MetricSample implements JsonRecord {

    /** Event time, epoch milliseconds UTC. */
    public long timestamp;
    public String metric;
    public String component;
    public double value;
    /** Optional. */
    public String host;
    /** Optional; for known metrics, agrees with the metric's unit. */
    public String unit;
    /** Optional tags as a canonical JSON object text (keys sorted), or null. */
    public String tags;
    /** Where the sample was read: file, "generator", or Kafka partition. */
    public String origin;
    public long line;

    public MetricSample() {}

    public MetricSample(long timestamp, String metric, String component, double value) {
        this.timestamp = timestamp;
        this.metric = metric;
        this.component = component;
        this.value = value;
    }

    /** The key a series is grouped by: component and metric (neither may contain '|'). */
    public String seriesKey() {
        return seriesKey(component, metric);
    }

    public static String seriesKey(String component, String metric) {
        return component + '|' + metric;
    }

    @Override
    public void writeFields(JsonGenerator json) throws IOException {
        json.writeStringField("timestamp", Timestamps.iso(timestamp));
        json.writeStringField("metric", metric);
        json.writeNumberField("value", value);
        json.writeStringField("component", component);
        if (host != null) {
            json.writeStringField("host", host);
        }
        if (unit != null) {
            json.writeStringField("unit", unit);
        }
        if (tags != null) {
            json.writeFieldName("tags");
            json.writeRawValue(tags);
        }
    }

    @Override
    public long partitionTime() {
        return timestamp;
    }

    @Override
    public String toString() {
        return "MetricSample{" + Timestamps.iso(timestamp) + " " + component + "/" + metric + "=" + value + "}";
    }
}
