package dev.perfwatch.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/** The keys of one metric under {@code metrics.<metric>} (or one component's overrides of them). */
public class MetricThresholds implements Serializable {
    private static final long serialVersionUID = 1L;

    public Double warning;
    public Double critical;
    public Direction direction;
    /** The window statistic compared with the levels. */
    public Statistic statistic;
    /** How long the condition must hold before the alert fires (Prometheus' {@code for}). */
    @JsonProperty("for")
    public Duration forDuration;
    /** How long a firing alert keeps firing after the condition clears. */
    public Duration keepFiringFor;
    /** This metric's regression gates, over {@code regression.min-relative-change} / {@code min-effect-size}. */
    public Double minRelativeChange;
    public Double minEffectSize;
    /** The scale anomaly scores compare this metric's values on (linear when not set). */
    public Scale scale;

    /** These keys over {@code base}'s: each key set here wins. */
    MetricThresholds over(MetricThresholds base) {
        MetricThresholds b = base == null ? new MetricThresholds() : base;
        MetricThresholds m = new MetricThresholds();
        m.warning = warning != null ? warning : b.warning;
        m.critical = critical != null ? critical : b.critical;
        m.direction = direction != null ? direction : b.direction;
        m.statistic = statistic != null ? statistic : b.statistic;
        m.forDuration = forDuration != null ? forDuration : b.forDuration;
        m.keepFiringFor = keepFiringFor != null ? keepFiringFor : b.keepFiringFor;
        m.minRelativeChange = minRelativeChange != null ? minRelativeChange : b.minRelativeChange;
        m.minEffectSize = minEffectSize != null ? minEffectSize : b.minEffectSize;
        m.scale = scale != null ? scale : b.scale;
        return m;
    }

    /** The statistic compared with the levels (mean when not set). */
    public Statistic statisticOrMean() {
        return statistic == null ? Statistic.MEAN : statistic;
    }

    public long forMillis() {
        return forDuration == null ? 0 : forDuration.toMillis();
    }

    public long keepFiringForMillis() {
        return keepFiringFor == null ? 0 : keepFiringFor.toMillis();
    }

    /** A metric's own entry: needs a direction and a level. */
    void validateMetric(Check c) {
        c.required(direction, "direction");
        if (warning == null && critical == null) {
            throw c.fail("", "expected at least one of warning or critical");
        }
        validateKeys(c);
    }

    /** The keys as set (a component's overrides may set any subset). */
    void validateKeys(Check c) {
        for (Double level : new Double[] {warning, critical}) {
            if (level != null && !Double.isFinite(level)) {
                throw c.fail("", "levels must be finite numbers, got " + level);
            }
        }
        if (minRelativeChange != null) {
            c.nonNegative(minRelativeChange, "min-relative-change");
        }
        if (minEffectSize != null) {
            c.nonNegative(minEffectSize, "min-effect-size");
        }
        if (forDuration != null) {
            c.nonNegative(forDuration, "for");
        }
        if (keepFiringFor != null) {
            c.nonNegative(keepFiringFor, "keep-firing-for");
        }
        if (warning != null && critical != null && direction != null && !Objects.equals(warning, critical)
                && direction.breaches(warning, critical)) {
            throw c.fail("", "with direction " + direction.yaml()
                    + " the critical level must be beyond the warning level, got warning " + warning + " and critical " + critical);
        }
    }
}
