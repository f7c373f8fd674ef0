package dev.perfwatch.model;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/** Statistics of one series over one tumbling event-time window. */
public class WindowSummary implements JsonRecord {

    public String component;
    public String metric;
    /** Inclusive start and exclusive end, epoch milliseconds. */
    public long windowStart;
    public long windowEnd;
    public long count;
    public double mean;
    /** Sample standard deviation (n - 1 denominator); 0 when count is 1. */
    public double stddev;
    public double min;
    public double max;
    /** Quantiles from a DDSketch, within its stated relative accuracy of the exact value. */
    public double p50;
    public double p95;
    public double p99;

    public WindowSummary() {}

    public String seriesKey() {
        return MetricSample.seriesKey(component, metric);
    }

    @Override
    public void writeFields(JsonGenerator json) throws IOException {
        json.writeStringField("component", component);
        json.writeStringField("metric", metric);
        json.writeStringField("window_start", Timestamps.iso(windowStart));
        json.writeStringField("window_end", Timestamps.iso(windowEnd));
        json.writeNumberField("count", count);
        json.writeNumberField("mean", mean);
        json.writeNumberField("stddev", stddev);
        json.writeNumberField("min", min);
        json.writeNumberField("max", max);
        json.writeNumberField("p50", p50);
        json.writeNumberField("p95", p95);
        json.writeNumberField("p99", p99);
    }

    @Override
    public long partitionTime() {
        return windowStart;
    }

    @Override
    public String toString() {
        return "WindowSummary{" + component + "/" + metric + " " + Timestamps.iso(windowStart)
                + " n=" + count + " mean=" + mean + " sd=" + stddev + " min=" + min + " max=" + max
                + " p50=" + p50 + " p95=" + p95 + " p99=" + p99 + "}";
    }
}
