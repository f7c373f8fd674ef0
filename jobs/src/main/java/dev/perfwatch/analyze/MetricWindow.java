package dev.perfwatch.analyze;

import dev.perfwatch.config.Direction;
import dev.perfwatch.config.Statistic;
import dev.perfwatch.model.WindowSummary;

/**
 * One metric of one component over a profile window, folded from its window summaries: the
 * sample-weighted mean and p95, and the highest and lowest one-window mean, p95 and configured
 * statistic (so a three-minute spike shows in a five-minute profile).
 */
public class MetricWindow {

    public long samples;
    public int windows;
    public double sumMean;
    public double sumP95;
    public double highestMean = Double.NEGATIVE_INFINITY;
    public double lowestMean = Double.POSITIVE_INFINITY;
    public double highestP95 = Double.NEGATIVE_INFINITY;
    public double lowestP95 = Double.POSITIVE_INFINITY;
    public double highestStat = Double.NEGATIVE_INFINITY;
    public double lowestStat = Double.POSITIVE_INFINITY;
    /** The configured statistic's sum over the windows, each weighted by its values (see {@link #worstStat}). */
    public double sumStat;

    /** One more window summary of the metric, in time order; {@code statistic}: the one its levels are set on (null: the mean). */
    public void add(WindowSummary w, Statistic statistic) {
        samples += w.count;
        windows++;
        sumMean += w.mean * w.count;
        sumP95 += w.p95 * w.count;
        highestMean = Math.max(highestMean, w.mean);
        lowestMean = Math.min(lowestMean, w.mean);
        highestP95 = Math.max(highestP95, w.p95);
        lowestP95 = Math.min(lowestP95, w.p95);
        double stat = dev.perfwatch.detect.Statistics.of(w, statistic);
        sumStat += stat * w.count;
        highestStat = Math.max(highestStat, stat);
        lowestStat = Math.min(lowestStat, stat);
    }

    void merge(MetricWindow o) {
        samples += o.samples;
        windows += o.windows;
        sumMean += o.sumMean;
        sumP95 += o.sumP95;
        highestMean = Math.max(highestMean, o.highestMean);
        lowestMean = Math.min(lowestMean, o.lowestMean);
        highestP95 = Math.max(highestP95, o.highestP95);
        lowestP95 = Math.min(lowestP95, o.lowestP95);
        highestStat = Math.max(highestStat, o.highestStat);
        lowestStat = Math.min(lowestStat, o.lowestStat);
        sumStat += o.sumStat;
    }

    public double mean() {
        return samples == 0 ? Double.NaN : sumMean / samples;
    }

    public double p95() {
        return samples == 0 ? Double.NaN : sumP95 / samples;
    }

    /** The worst one-window mean in the metric's worse direction. */
    public double worstMean(Direction d) {
        return d == Direction.HIGHER_IS_WORSE ? highestMean : lowestMean;
    }

    public double worstP95(Direction d) {
        if (samples < MIN_VALUES_FOR_P95 * (long) windows) {
            // Sparse windows (a series sampled every minute has one value a window): a window's "p95" is then
            // one of a few values, its worst over the profile window the largest of them, and a heavy-tailed
            // latency's largest of five reaches twice its usual level several times a day. The profile
            // window's sample-weighted p95 (for one value a window, their mean) is what it can tell.
            return p95();
        }
        return d == Direction.HIGHER_IS_WORSE ? highestP95 : lowestP95;
    }

    /** A window's p95 is one of its values only from this many values a window on (1 in 20 above it). */
    static final long MIN_VALUES_FOR_P95 = 20;

    /**
     * The worst one-window value of the statistic the metric's levels are set on; for a tail quantile (p95,
     * p99) over sparse windows, as {@link #worstP95}, the profile window's sample-weighted value instead: one
     * sample a minute at a warning level is not a minute's p95 at it (a query time's heavy tail opened
     * database bottlenecks several times a day on single samples).
     */
    public double worstStat(Direction d, Statistic statistic) {
        if (statOfWholeWindow(statistic)) {
            return sumStat / samples;
        }
        return d == Direction.HIGHER_IS_WORSE ? highestStat : lowestStat;
    }

    /**
     * Whether {@link #worstStat} is the profile window's (a tail quantile over minutes too sparse to hold one).
     * statistic: the one the metric's levels are set on, as {@link #add} was given it (null: the mean).
     */
    public boolean statOfWholeWindow(Statistic statistic) {
        long minValues = statistic == Statistic.P95 ? MIN_VALUES_FOR_P95 : statistic == Statistic.P99 ? MIN_VALUES_FOR_P99 : 0;
        return samples > 0 && samples < minValues * (long) windows;
    }

    /** As {@link #MIN_VALUES_FOR_P95}, for the p99 (1 in 100 above it). */
    static final long MIN_VALUES_FOR_P99 = 100;
}
