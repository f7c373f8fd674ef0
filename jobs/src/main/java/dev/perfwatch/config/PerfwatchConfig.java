package dev.perfwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed configuration, bound from {@code conf/perfwatch.yaml} (the defaults, bundled in the jar)
 * with a user's file and command-line overrides merged over it. See {@link ConfigLoader}.
 */
public class PerfwatchConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public Ingest ingest;
    public EventTime eventTime;
    public Windows windows;
    public Output output;
    /** Per metric name: levels and direction. Every known metric has an entry in the defaults. */
    public Map<String, MetricThresholds> metrics = new LinkedHashMap<>();

    public static class Ingest implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Longer lines go to dead letters as line_too_long. */
        public int maxLineBytes;
        /** Samples with |value| above this are out of range, whatever the metric. */
        public double maxAbsValue;
        public Instant earliestTimestamp;
        public Instant latestTimestamp;
        public int maxNameLength;
        public int maxTags;
    }

    public static class EventTime implements Serializable {
        private static final long serialVersionUID = 1L;
        public Duration maxOutOfOrderness;
        /** A source split silent this long stops holding the watermark back. */
        public Duration idleness;
    }

    public static class Windows implements Serializable {
        private static final long serialVersionUID = 1L;
        public Duration summary;
        /** DDSketch relative accuracy of the window quantiles (0.005 = 0.5%). */
        public double quantileRelativeAccuracy;
    }

    public static class Output implements Serializable {
        private static final long serialVersionUID = 1L;
        public String path;
        /** Output files are finalized at each checkpoint (and at the end of bounded input). */
        public Duration checkpointInterval;
    }

    public static class MetricThresholds implements Serializable {
        private static final long serialVersionUID = 1L;
        public Double warning;
        public Double critical;
        public Direction direction;
    }

    /** Which way a metric gets worse. */
    public enum Direction {
        HIGHER_IS_WORSE("higher-is-worse"),
        LOWER_IS_WORSE("lower-is-worse");

        private final String yaml;

        Direction(String yaml) {
            this.yaml = yaml;
        }

        @JsonValue
        public String yaml() {
            return yaml;
        }

        @JsonCreator
        public static Direction of(String text) {
            for (Direction d : values()) {
                if (d.yaml.equals(text)) {
                    return d;
                }
            }
            throw new IllegalArgumentException(
                    "expected one of " + Arrays.toString(Arrays.stream(values()).map(Direction::yaml).toArray())
                            + ", got '" + text + "'");
        }

        /** True when {@code value} is at or beyond {@code level} in the worse direction. */
        public boolean breaches(double value, double level) {
            return this == HIGHER_IS_WORSE ? value >= level : value <= level;
        }
    }
}
