package dev.perfwatch.analyze;

import dev.perfwatch.stats.HourlyExtremes;

import java.util.HashMap;
import java.util.Map;

/** What the analyzer keeps per component between profile windows (keyed state, a Flink POJO). */
public class ComponentState {

    public String component;
    /** Recent profile windows per metric. */
    public Map<String, MetricHistory> history = new HashMap<>();
    /** Open bottlenecks by type code. */
    public Map<String, OpenBottleneck> open = new HashMap<>();
    /** Bottlenecks whose condition holds but whose windows do not yet hold the evidence to open them, by type code. */
    public Map<String, PendingBottleneck> pending = new HashMap<>();
    /** Suggestions reported and still applying, by id. */
    public Map<String, ReportedSuggestion> suggestions = new HashMap<>();
    /** Up to three recent health scores, oldest first. */
    public double[] scores = new double[0];
    public long lastWindowEnd = Long.MIN_VALUE;

    /** One metric's recent profile windows, a ring of at most {@code capacity} entries. */
    public static class MetricHistory {
        public double[] means;
        public double[] p95s;
        /** Whether the metric was elevated in that window (kept out of its baseline). */
        public boolean[] elevated;
        public long[] starts;
        public int size;
        public int next;
        /** The highest and lowest window mean of each of the last hours (null until the first window): what a trend must pass to be new. */
        public HourlyExtremes extremes;

        public MetricHistory() {}

        MetricHistory(int capacity) {
            means = new double[capacity];
            p95s = new double[capacity];
            elevated = new boolean[capacity];
            starts = new long[capacity];
        }

        void add(long start, double mean, double p95, boolean isElevated) {
            means[next] = mean;
            p95s[next] = p95;
            elevated[next] = isElevated;
            starts[next] = start;
            if (extremes == null) {
                extremes = HourlyExtremes.create();
            }
            extremes.add(start, mean);
            next = (next + 1) % means.length;
            size = Math.min(size + 1, means.length);
        }

        /** Entry i, 0 the oldest. */
        int index(int i) {
            return size < means.length ? i : (next + i) % means.length;
        }
    }

    /** A bottleneck that is open. */
    public static class OpenBottleneck {
        public long openedAt;
        /** The severity last reported (a report follows a move of analysis.severity-step from it). */
        public double reportedSeverity;
        public double severity;
        public double confidence;
        /** Windows in a row without the condition. */
        public int misses;
        public String rootCause;
        /** The metric behind it (its windows stay out of that metric's baseline while it is open). */
        public String metric;
    }

    /** A bottleneck's condition holding in the windows since {@code since}, not yet open. */
    public static class PendingBottleneck {
        public long since;
        /** Windows in a row with the condition, and the samples of its metric in them. */
        public int windows;
        public long samples;
    }

    /** What was last reported of a suggestion. */
    public static class ReportedSuggestion {
        public long reportedAt;
        public double priority;
        /** The conditions that held then. */
        public String held;
    }
}
