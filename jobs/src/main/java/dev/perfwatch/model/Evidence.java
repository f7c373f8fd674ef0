package dev.perfwatch.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * What an alert rests on: named values in the order a detector put them, each a number, a whole
 * number, a time, a text or a list of windows. Written as one JSON object
 * ({@code {"level":500.0,"active_since":"2026-...Z",...}}); read back by name ({@link #number}).
 */
@JsonSerialize(using = Evidence.Writer.class)
public class Evidence {

    public List<Item> items = new ArrayList<>();

    public Evidence put(String name, String text) {
        Item i = item(name);
        i.text = text;
        return this;
    }

    public Evidence put(String name, double number) {
        Item i = item(name);
        i.number = number;
        return this;
    }

    public Evidence put(String name, long integer) {
        Item i = item(name);
        i.integer = integer;
        return this;
    }

    public Evidence time(String name, long epochMillis) {
        Item i = item(name);
        i.time = epochMillis;
        return this;
    }

    /** A list of windows: start, metric, the given statistic and the count of each. */
    public Evidence windows(String name, Iterable<WindowSummary> windows, String statisticName, ToDoubleFunction<WindowSummary> statistic) {
        Item i = item(name);
        i.windows = new ArrayList<>();
        for (WindowSummary w : windows) {
            i.windows.add(new WindowPoint(w.windowStart, w.metric, statisticName, statistic.applyAsDouble(w), w.count));
        }
        return this;
    }

    /** The number (or whole number) of that name, or NaN. */
    public double number(String name) {
        for (Item i : items) {
            if (i.name.equals(name)) {
                return i.number != null ? i.number : i.integer != null ? i.integer : Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** The text of that name, or null. */
    public String text(String name) {
        for (Item i : items) {
            if (i.name.equals(name)) {
                return i.text;
            }
        }
        return null;
    }

    private Item item(String name) {
        Item i = new Item();
        i.name = name;
        items.add(i);
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evidence && ((Evidence) o).items.equals(items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    @Override
    public String toString() {
        return OutputJson.toJson(this);
    }

    /** One named value; exactly one of its values is set. */
    public static class Item {
        public String name;
        public String text;
        public Double number;
        public Long integer;
        public Long time;
        public List<WindowPoint> windows;

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Item)) {
                return false;
            }
            Item i = (Item) o;
            return Objects.equals(name, i.name) && Objects.equals(text, i.text) && Objects.equals(number, i.number)
                    && Objects.equals(integer, i.integer) && Objects.equals(time, i.time) && Objects.equals(windows, i.windows);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, text, number, integer, time, windows);
        }
    }

    /** One window of a pattern's evidence. */
    public static class WindowPoint {
        public long windowStart;
        public String metric;
        public String statistic;
        public double value;
        public long count;

        public WindowPoint() {}

        public WindowPoint(long windowStart, String metric, String statistic, double value, long count) {
            this.windowStart = windowStart;
            this.metric = metric;
            this.statistic = statistic;
            this.value = value;
            this.count = count;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof WindowPoint)) {
                return false;
            }
            WindowPoint w = (WindowPoint) o;
            return windowStart == w.windowStart && Objects.equals(metric, w.metric) && Objects.equals(statistic, w.statistic)
                    && Double.compare(value, w.value) == 0 && count == w.count;
        }

        @Override
        public int hashCode() {
            return Objects.hash(windowStart, metric, statistic, value, count);
        }
    }

    /** {@code {name: value, ...}}; windows as {@code [{"window_start", "metric", <statistic>, "count"}]}. */
    static final class Writer extends JsonSerializer<Evidence> {
        @Override
        public void serialize(Evidence e, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeStartObject();
            for (Item i : e.items) {
                json.writeFieldName(i.name);
                if (i.text != null) {
                    json.writeString(i.text);
                } else if (i.number != null) {
                    number(json, i.number);
                } else if (i.integer != null) {
                    json.writeNumber(i.integer);
                } else if (i.time != null) {
                    json.writeString(Timestamps.iso(i.time));
                } else if (i.windows != null) {
                    json.writeStartArray();
                    for (WindowPoint w : i.windows) {
                        json.writeStartObject();
                        json.writeStringField("window_start", Timestamps.iso(w.windowStart));
                        json.writeStringField("metric", w.metric);
                        if (Double.isFinite(w.value)) {
                            json.writeNumberField(w.statistic, w.value);
                        }
                        json.writeNumberField("count", w.count);
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                } else {
                    json.writeNull();
                }
            }
            json.writeEndObject();
        }

        private static void number(JsonGenerator json, double v) throws IOException {
            if (Double.isFinite(v)) {
                json.writeNumber(v);
            } else {
                json.writeNull();
            }
        }
    }
}
