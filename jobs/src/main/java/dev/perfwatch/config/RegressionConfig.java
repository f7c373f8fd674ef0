package dev.perfwatch.config;

import java.io.Serializable;
import java.time.Duration;

/** {@code regression}: a comparison window against the baseline before it, every evaluation interval. */
public class RegressionConfig implements Serializable, Cloneable {
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

    /**
     * This configuration for a series evaluated every {@code stride} evaluation intervals (sampled less often
     * than the interval): the interval and the comparison window {@code stride} times as long, so the
     * comparison holds as many of the series' values as it holds of a series sampled every interval; the
     * baseline, alpha (false findings per series-day) and the gates as they are.
     */
    public RegressionConfig strided(int stride) {
        try {
            RegressionConfig c = (RegressionConfig) clone(); // every field is a primitive or an immutable Duration
            c.evaluationInterval = evaluationInterval.multipliedBy(stride);
            c.comparisonWindow = comparisonWindow.multipliedBy(stride);
            return c;
        } catch (CloneNotSupportedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    void validate(Check c) {
        c.positive(evaluationInterval, "evaluation-interval");
        c.positive(comparisonWindow, "comparison-window");
        c.positive(baselineWindow, "baseline-window");
        c.nonNegative(minBaseline, "min-baseline");
        for (String key : new String[] {"comparison-window", "baseline-window"}) {
            Duration d = key.equals("comparison-window") ? comparisonWindow : baselineWindow;
            if (d.toMillis() % evaluationInterval.toMillis() != 0) {
                throw c.fail(key, "expected a whole multiple of regression.evaluation-interval (" + evaluationInterval + "), got " + d);
            }
        }
        if (minBaseline.compareTo(baselineWindow) > 0) {
            throw c.fail("min-baseline", "expected at most regression.baseline-window (" + baselineWindow + "), got " + minBaseline);
        }
        c.atLeast(reservoirSize, 20, "reservoir-size");
        c.probability(alpha, "alpha");
        c.nonNegative(minRelativeChange, "min-relative-change");
        c.nonNegative(minEffectSize, "min-effect-size");
        c.atLeast(closeAfter, 1, "close-after");
        c.positive(gradualMinDuration, "gradual-min-duration");
        c.positive(forecastHorizon, "forecast-horizon");
    }
}
