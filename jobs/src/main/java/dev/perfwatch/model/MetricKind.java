package dev.perfwatch.model;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The metrics perfwatch knows by name, each with its unit and the range a sane value lies in. Other
 * metric names are accepted as custom metrics, with any unit and any finite value.
 */
public enum MetricKind {
    CPU_USAGE("cpu_usage", Unit.PERCENT),
    MEMORY_USAGE("memory_usage", Unit.PERCENT),
    RESPONSE_TIME("response_time", Unit.MILLISECONDS),
    DATABASE_QUERY_TIME("database_query_time", Unit.MILLISECONDS),
    SEARCH_RESPONSE_TIME("search_response_time", Unit.MILLISECONDS),
    DOCUMENT_PROCESSING_TIME("document_processing_time", Unit.MILLISECONDS),
    DISK_IO("disk_io", Unit.BYTES_PER_SECOND),
    NETWORK_IO("network_io", Unit.BYTES_PER_SECOND),
    QUEUE_DEPTH("queue_depth", Unit.COUNT),
    CACHE_HIT_RATE("cache_hit_rate", Unit.RATIO),
    ERROR_RATE("error_rate", Unit.RATIO),
    GC_TIME("gc_time", Unit.MILLISECONDS);

    private static final Map<String, MetricKind> BY_NAME;

    static {
        java.util.HashMap<String, MetricKind> byName = new java.util.HashMap<>();
        for (MetricKind kind : values()) {
            byName.put(kind.metricName, kind);
        }
        BY_NAME = Map.copyOf(byName);
    }

    private final String metricName;
    private final Unit unit;

    MetricKind(String metricName, Unit unit) {
        this.metricName = metricName;
        this.unit = unit;
    }

    public String metricName() {
        return metricName;
    }

    public Unit unit() {
        return unit;
    }

    /** The known metric of that name, or null for a custom metric. */
    public static MetricKind of(String metricName) {
        return BY_NAME.get(metricName);
    }

    /** Whether {@code metricName} is a known metric whose values are shares of 0 to 1 (cache_hit_rate, error_rate). */
    public static boolean isRatio(String metricName) {
        MetricKind kind = of(metricName);
        return kind != null && kind.unit == Unit.RATIO;
    }

    /**
     * The level a change from {@code level} is measured against: |level|, and for a ratio strictly between 0 and 1
     * the smaller of it and its complement, the rarer outcome's share (a hit rate from 0.97 to 0.94 is 3% of the
     * hits and twice the misses).
     */
    public static double changeBase(double level, boolean ratio) {
        return ratio && level > 0 && level < 1 ? Math.min(level, 1 - level) : Math.abs(level);
    }

    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /** Units of the known metrics, with the spellings a record's {@code unit} may use. */
    public enum Unit {
        PERCENT("percent", 0, 100, "percent", "%", "pct"),
        RATIO("ratio", 0, 1, "ratio", "fraction"),
        MILLISECONDS("ms", 0, Double.POSITIVE_INFINITY, "ms", "millis", "milliseconds"),
        BYTES_PER_SECOND(
                "bytes/s", 0, Double.POSITIVE_INFINITY, "bytes/s", "b/s", "bps", "bytes_per_second"),
        COUNT("count", 0, Double.POSITIVE_INFINITY, "count", "items", "messages", "");

        private final String canonical;
        private final double min;
        private final double max;
        private final Set<String> spellings;

        Unit(String canonical, double min, double max, String... spellings) {
            this.canonical = canonical;
            this.min = min;
            this.max = max;
            this.spellings = Set.of(spellings);
        }

        public String canonical() {
            return canonical;
        }

        public double min() {
            return min;
        }

        public double max() {
            return max;
        }

        public boolean accepts(String spelling) {
            return spellings.contains(spelling.toLowerCase(Locale.ROOT));
        }

        public String describeRange() {
            return max == Double.POSITIVE_INFINITY
                    ? "not negative"
                    : "between " + fmt(min) + " and " + fmt(max);
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
