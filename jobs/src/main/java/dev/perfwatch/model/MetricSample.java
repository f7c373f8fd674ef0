package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** One validated metric sample (the input contract: README, "Input"). */
@JsonPropertyOrder({"timestamp", "metric", "value", "component", "host", "unit", "tags"})
public class MetricSample implements JsonRecord {

    /** Event time, epoch milliseconds UTC. */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long timestamp;
    public String metric;
    public String component;
    public double value;
    /** Optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String host;
    /** Optional; for known metrics, agrees with the metric's unit. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String unit;
    /** Optional tags as a canonical JSON object text (keys sorted), or null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonRawValue
    public String tags;
    /** Where the sample was read: file, "generator", or Kafka partition. */
    @JsonIgnore
    public String origin;
    @JsonIgnore
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
    public long partitionTime() {
        return timestamp;
    }

    @Override
    public String toString() {
        return "MetricSample{" + Timestamps.iso(timestamp) + " " + component + "/" + metric + "=" + value + "}";
    }
}
