package dev.perfwatch.config;

import dev.perfwatch.io.Names;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The levels of every series: {@code metrics.<metric>} with {@code components.<component>.<metric>}
 * merged over them. Threshold rules, patterns, anomaly scores, regression gates, forecasts and the
 * SQL level functions all read levels here, so they never disagree.
 */
public final class MetricLevels implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, MetricThresholds> metrics;
    private final LinkedHashMap<String, LinkedHashMap<String, MetricThresholds>> components;

    MetricLevels(Map<String, MetricThresholds> metrics, Map<String, Map<String, MetricThresholds>> components) {
        this.metrics = new LinkedHashMap<>(metrics);
        this.components = new LinkedHashMap<>();
        components.forEach((c, m) -> this.components.put(c, m == null ? null : new LinkedHashMap<>(m)));
    }

    /** The levels for one series: the metric's, with the component's overrides applied; null if none. */
    public MetricThresholds of(String component, String metric) {
        MetricThresholds base = metrics.get(metric);
        Map<String, MetricThresholds> overrides = component == null ? null : components.get(component);
        MetricThresholds over = overrides == null ? null : overrides.get(metric);
        return over == null ? base : over.over(base);
    }

    /**
     * Every level resolved, one line each: {@code component TAB metric TAB warning TAB critical TAB
     * direction}, component {@code *} for a metric's own levels and a component's line for each override
     * (merged with the metric's); an empty field where a level is not set. What the SQL functions of the
     * functions jar read (dev.perfwatch.udf.LevelFunctions), so SQL and the job use one definition.
     */
    public String resolvedLines() {
        StringBuilder b = new StringBuilder();
        metrics.forEach((metric, t) -> line(b, "*", metric, t));
        components.forEach((component, overrides) -> overrides.keySet().forEach(metric -> line(b, component, metric, of(component, metric))));
        return b.toString();
    }

    private static void line(StringBuilder b, String component, String metric, MetricThresholds t) {
        b.append(component).append('\t').append(metric).append('\t').append(t.warning == null ? "" : t.warning.toString()).append('\t')
                .append(t.critical == null ? "" : t.critical.toString()).append('\t')
                .append(t.direction == null ? "" : t.direction == Direction.HIGHER_IS_WORSE ? "higher-is-worse" : "lower-is-worse").append('\n');
    }

    /**
     * Whether the configuration says which way this series gets worse (every known metric does; a custom
     * metric only if configured with a direction).
     */
    public boolean knowsDirection(String component, String metric) {
        MetricThresholds t = of(component, metric);
        return t != null && t.direction != null;
    }

    /** The scale this series' anomaly scores compare values on; LINEAR where the configuration does not set one. */
    public Scale scaleOf(String component, String metric) {
        MetricThresholds t = of(component, metric);
        return t == null || t.scale == null ? Scale.LINEAR : t.scale;
    }

    /** Which way a series gets worse; HIGHER_IS_WORSE for metrics the configuration does not name. */
    public Direction directionOf(String component, String metric) {
        MetricThresholds t = of(component, metric);
        return t == null || t.direction == null ? Direction.HIGHER_IS_WORSE : t.direction;
    }

    void validate(Check root, int maxNameLength) {
        for (Map.Entry<String, MetricThresholds> e : metrics.entrySet()) {
            Check c = root.in("metrics." + e.getKey());
            String problem = Names.problem(e.getKey(), maxNameLength);
            if (problem != null) {
                throw c.fail("", "not a valid metric name: " + problem);
            }
            if (e.getValue() == null) {
                throw c.fail("", "expected a mapping with warning, critical and direction");
            }
            e.getValue().validateMetric(c);
        }
        for (Map.Entry<String, LinkedHashMap<String, MetricThresholds>> e : components.entrySet()) {
            Check c = root.in("components." + e.getKey());
            String problem = Names.problem(e.getKey(), maxNameLength);
            if (problem != null) {
                throw c.fail("", "not a valid component name: " + problem);
            }
            if (e.getValue() == null) {
                throw c.fail("", "expected a mapping of metric names to levels");
            }
            for (Map.Entry<String, MetricThresholds> m : e.getValue().entrySet()) {
                Check mc = c.in(m.getKey());
                if (m.getValue() == null) {
                    throw mc.fail("", "expected a mapping of keys, e.g. { warning: 250 }");
                }
                m.getValue().validateKeys(mc);
                MetricThresholds merged = of(e.getKey(), m.getKey());
                if (merged.direction == null) {
                    throw mc.fail("direction", "a value is required: " + m.getKey() + " is not under metrics, so its direction must be set here");
                }
                merged.validateKeys(mc);
            }
        }
    }
}
