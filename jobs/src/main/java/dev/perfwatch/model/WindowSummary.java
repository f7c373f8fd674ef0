package dev.perfwatch.model;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** Statistics of one series over one tumbling event-time window. */
public class WindowSummary implements JsonRecord {

    public String component;
    public String metric;
    /** Inclusive start and exclusive end, epoch milliseconds. */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long windowStart;
    @JsonSerialize(using = OutputJson.IsoTime.class)
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
