package dev.perfwatch.suggest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Named values that catalogue conditions are evaluated against: a component profile's signals
 * ({@code db_share}, {@code cpu_usage.p95_ratio}, {@code bottleneck.database}, ...) or a regression
 * finding's ({@code finding.metric}, ...). A value is a number or a text; a missing name makes every
 * condition on it false.
 */
public final class Facts {

    /** Signals of a component profile. */
    static final java.util.Set<String> PROFILE = java.util.Set.of(
            "component", "latency.metric", "latency.p95", "latency.p95_ratio", "db_share", "db_share_ratio",
            "cache_hit_rate", "cache_hit_rate_change", "queue_depth", "queue_growth_per_minute", "processing_time_ratio",
            "error_rate", "cpu_headroom", "memory_headroom", "memory_trend_per_hour", "disk_utilization",
            "network_utilization", "gc_share", "gc_share_ratio", "bottleneck.any", "confidence");
    /** Facts of a regression finding. */
    static final java.util.Set<String> FINDING = java.util.Set.of(
            "finding.metric", "finding.component", "finding.type", "finding.direction", "finding.relative_change",
            "finding.severity", "finding.confidence", "finding.reverts");
    /** Per metric: {@code <metric>.<stat>}. */
    static final java.util.Set<String> METRIC_STATS = java.util.Set.of(
            "mean", "p95", "worst", "baseline_mean", "baseline_p95", "p95_ratio", "trend_per_hour", "level");
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}");

    private final Map<String, Object> values = new LinkedHashMap<>();

    public Facts put(String name, double value) {
        if (Double.isFinite(value)) {
            values.put(name, value);
        }
        return this;
    }

    public Facts put(String name, String value) {
        if (value != null) {
            values.put(name, value);
        }
        return this;
    }

    public Object get(String name) {
        return values.get(name);
    }

    public double number(String name) {
        Object v = values.get(name);
        return v instanceof Double ? (Double) v : Double.NaN;
    }

    public Map<String, Object> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** Whether a condition may name this fact: a profile signal, a finding's, a metric's statistic or a bottleneck. */
    static String problem(String name) {
        if (PROFILE.contains(name) || FINDING.contains(name)) {
            return null;
        }
        if (name.startsWith("bottleneck.")) {
            String rest = name.substring("bottleneck.".length());
            String type = rest.endsWith(".confidence") ? rest.substring(0, rest.length() - ".confidence".length()) : rest;
            return dev.perfwatch.model.BottleneckType.of(type) != null ? null
                    : "unknown bottleneck type '" + type + "'; expected one of cpu_bound, memory_bound, io_bound, database,"
                            + " queue_backlog, resource_exhaustion (or bottleneck.any)";
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && METRIC_STATS.contains(name.substring(dot + 1)) && METRIC.matcher(name.substring(0, dot)).matches()) {
            return null;
        }
        return "unknown field '" + name + "'; expected a profile signal " + new java.util.TreeSet<>(PROFILE)
                + ", <metric>." + new java.util.TreeSet<>(METRIC_STATS) + ", bottleneck.<type>[.confidence], or "
                + new java.util.TreeSet<>(FINDING);
    }
}
