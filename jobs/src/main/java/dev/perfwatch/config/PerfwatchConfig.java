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
    /** Per component, then metric: keys that override {@link #metrics} for that component only. */
    public Map<String, Map<String, MetricThresholds>> components = new LinkedHashMap<>();
    public Alerts alerts;
    public Regression regression;

    /** Regression detection: a comparison window against the baseline before it, every evaluation interval. */
    public static class Regression implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public Duration evaluationInterval;
        public Duration comparisonWindow;
        public Duration baselineWindow;
        /** No evaluation before the baseline holds this much data. */
        public Duration minBaseline;
        /** Raw values kept per window (comparison, baseline) for Mann-Whitney. */
        public int reservoirSize;
        /** Family-wise error rate per series per day (Bonferroni over the day's evaluations). */
        public double alpha;
        public double minRelativeChange;
        public double minEffectSize;
        /** Evaluations in a row without a significant change that end an episode. */
        public int closeAfter;
        /** A change that takes at least this long to reach its new level is gradual; a faster one is sudden. */
        public Duration gradualMinDuration;
        /** How far ahead the forecast looks for a crossing of the critical level. */
        public Duration forecastHorizon;
    }

    /** The levels for one series: the metric's, with the component's overrides applied; null if none. */
    public MetricThresholds levelsFor(String component, String metric) {
        MetricThresholds base = metrics.get(metric);
        Map<String, MetricThresholds> overrides = components.get(component);
        MetricThresholds over = overrides == null ? null : overrides.get(metric);
        if (over == null) {
            return base;
        }
        MetricThresholds merged = new MetricThresholds();
        MetricThresholds b = base == null ? new MetricThresholds() : base;
        merged.warning = over.warning != null ? over.warning : b.warning;
        merged.critical = over.critical != null ? over.critical : b.critical;
        merged.direction = over.direction != null ? over.direction : b.direction;
        merged.statistic = over.statistic != null ? over.statistic : b.statistic;
        merged.forDuration = over.forDuration != null ? over.forDuration : b.forDuration;
        merged.keepFiringFor = over.keepFiringFor != null ? over.keepFiringFor : b.keepFiringFor;
        merged.minRelativeChange = over.minRelativeChange != null ? over.minRelativeChange : b.minRelativeChange;
        merged.minEffectSize = over.minEffectSize != null ? over.minEffectSize : b.minEffectSize;
        return merged;
    }

    /** Which way a metric gets worse, HIGHER_IS_WORSE for metrics the configuration does not name. */
    public Direction directionOf(String component, String metric) {
        MetricThresholds t = levelsFor(component, metric);
        return t == null || t.direction == null ? Direction.HIGHER_IS_WORSE : t.direction;
    }

    public static class Alerts implements Serializable {
        private static final long serialVersionUID = 1L;
        /** A series silent this long loses its alert state (a firing alert is cleared first). */
        public Duration retention;
        public Patterns patterns;
        public Anomaly anomaly;
    }

    public static class Patterns implements Serializable {
        private static final long serialVersionUID = 1L;
        public ConsecutiveBreaches consecutiveBreaches;
        public CorrelatedSaturation correlatedSaturation;
        public MemoryLeak memoryLeak;
        public QueueBacklog queueBacklog;
        public Flapping flapping;
    }

    /** N consecutive windows beyond the warning level within T, on one series. */
    public static class ConsecutiveBreaches implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public int count;
        public Duration within;
    }

    /** The cause metric beyond its warning level, followed within T by an effect metric beyond its own, on one component. */
    public static class CorrelatedSaturation implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public String cause;
        public java.util.List<String> effects;
        public Duration within;
    }

    /** K consecutive windows of the metric whose means rise with a significant, large enough slope. */
    public static class MemoryLeak implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public String metric;
        public int windows;
        public double minSlopePerHour;
        public double alpha;
    }

    /** K windows where the queue grows and processing time rises, both significantly, on one component. */
    public static class QueueBacklog implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public String queueMetric;
        public java.util.List<String> processingMetrics;
        public int windows;
        public double alpha;
    }

    /** F crossings of the warning level, either way, within T, on one series. */
    public static class Flapping implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public int crossings;
        public Duration within;
    }

    public static class Anomaly implements Serializable {
        private static final long serialVersionUID = 1L;
        /** The window statistic scored: mean, p50, p95, p99, min, max. */
        public Statistic statistic;
        public int baselineWindows;
        /** No anomaly alerts until a series has this many windows of baseline. */
        public int coldStartWindows;
        public double robustZ;
        public double minRelativeChange;
        /** Anomalous windows in a row before an anomaly alert fires. */
        public int minWindows;
        public Rcf rcf;
    }

    /** Random cut forest over a shingle of recent windows (mean, p95, stddev per window, log-scaled). */
    public static class Rcf implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public int shingleSize;
        public int trees;
        public int sampleSize;
        public double score;
        public long seed;
    }

    /** The constant whose YAML spelling is {@code text}; the error lists the spellings. */
    private static <E extends Enum<E>> E byYaml(E[] values, java.util.function.Function<E, String> yaml, String text) {
        for (E e : values) {
            if (yaml.apply(e).equals(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException("expected one of " + Arrays.toString(Arrays.stream(values).map(yaml).toArray())
                + ", got '" + text + "'");
    }

    /** A statistic of a window summary. */
    public enum Statistic {
        MEAN("mean"), P50("p50"), P95("p95"), P99("p99"), MIN("min"), MAX("max");

        private final String yaml;

        Statistic(String yaml) {
            this.yaml = yaml;
        }

        @JsonValue
        public String yaml() {
            return yaml;
        }

        @JsonCreator
        public static Statistic of(String text) {
            return byYaml(values(), Statistic::yaml, text);
        }
    }

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
        /** The window statistic compared with the levels. */
        public Statistic statistic;
        /** How long the condition must hold before the alert fires (Prometheus' {@code for}). */
        @com.fasterxml.jackson.annotation.JsonProperty("for")
        public Duration forDuration;
        /** How long a firing alert keeps firing after the condition clears. */
        public Duration keepFiringFor;
        /** This metric's regression gates, over {@code regression.min-relative-change} / {@code min-effect-size}. */
        public Double minRelativeChange;
        public Double minEffectSize;
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
            return byYaml(values(), Direction::yaml, text);
        }

        /** True when {@code value} is at or beyond {@code level} in the worse direction. */
        public boolean breaches(double value, double level) {
            return this == HIGHER_IS_WORSE ? value >= level : value <= level;
        }
    }
}
