package dev.perfwatch.detect;

import dev.perfwatch.config.RegressionConfig;
import dev.perfwatch.model.FindingType;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.stats.ChangePoint;
import dev.perfwatch.stats.LevelRampLevel;
import dev.perfwatch.stats.LinearTrend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shape of a significant change: sudden, gradual, anomaly or trend reversal, with its change
 * point, judged on the bucket levels (trimmed means, robust to heavy tails) of the last
 * {@link #SHAPE_WINDOWS} comparison windows, each minus the level of the same time a day earlier when
 * that is known (so a daily cycle does not read as a ramp).
 * <ul>
 *   <li>anomaly: the newest quarter of the comparison window is back nearer the baseline than a
 *       quarter of the shift, significantly;</li>
 *   <li>else the best fit of "one level, a straight ramp, another level" ({@link LevelRampLevel})
 *       decides: a ramp shorter than {@code gradual-min-duration} is sudden, a longer one gradual if it
 *       fits better than a step by more than BIC's price (a ramp still rising at the end counts as long
 *       as it has lasted);</li>
 *   <li>trend_reversal: a gradual change whose slope is significant and opposite to a significant, at
 *       least half as steep slope of the hour before it, turning the worse way.</li>
 * </ul>
 */
final class ChangeShape {

    /** The shape of a change is judged over this many comparison windows up to the evaluation. */
    static final int SHAPE_WINDOWS = 5;
    /** The day-ago reference of a bucket averages the buckets this far either side of it. */
    private static final long SEASONAL_HALF_WIDTH = 30 * 60_000L;
    /** Buckets the shape fit wants before the comparison window at least, for a day-ago reference to be used. */
    private static final int SHAPE_MIN_BEFORE = 6;

    private final RegressionConfig cfg;

    ChangeShape(RegressionConfig cfg) {
        this.cfg = cfg;
    }

    /** Whether the fit removes the daily cycle (the baseline reaches back a day, as the seasonal guard does). */
    private boolean seasonal() {
        return cfg.baselineWindow.toMillis() >= RegressionEvaluator.DAY;
    }

    /** How far back the shape needs buckets: the shape window and its day-ago reference. */
    long retentionMillis() {
        return seasonal() ? RegressionEvaluator.DAY + SHAPE_WINDOWS * cfg.comparisonWindow.toMillis() + SEASONAL_HALF_WIDTH : 0;
    }

    /** Sets type, change point (and its p), and the comparison window's trend on the finding. */
    void classify(RegressionFinding f, List<Bucket> all, List<Bucket> baseline, List<Bucket> comparison, double sign,
            double recentMean, double recentStdErr) {
        List<Bucket> recent = new ArrayList<>();
        // The shape window: SHAPE_WINDOWS comparison windows, or a (sequential) comparison longer than the
        // configured one and an hour before it.
        int hour = (int) (cfg.comparisonWindow.toMillis() / cfg.evaluationInterval.toMillis());
        int window = comparison.size() <= hour ? SHAPE_WINDOWS * comparison.size() : comparison.size() + hour;
        int fromBaseline = Math.min(baseline.size(), window - comparison.size());
        recent.addAll(baseline.subList(baseline.size() - fromBaseline, baseline.size()));
        recent.addAll(comparison);
        double[] levels = new double[recent.size()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = recent.get(i).trimmedMean();
        }
        int from = seasonal() ? deseasonalize(all, recent, levels) : 0;
        // (from: the first level with a day-ago reference, levels.length for none; 0: all of them have one)
        boolean deseasonalised = seasonal() && from == 0;
        if (from > 0 && recent.size() - from >= comparison.size() + SHAPE_MIN_BEFORE) {
            recent = recent.subList(from, recent.size());
            levels = Arrays.copyOfRange(levels, from, levels.length);
            deseasonalised = true;
        } else if (from > 0) {
            for (int i = 0; i < levels.length; i++) {
                levels[i] = recent.get(i).trimmedMean(); // too short a day-ago reference: none
            }
        }
        ChangePoint.Result cp = ChangePoint.of(levels);
        f.changePointAt = cp.index() > 0 ? recent.get(cp.index()).start : f.comparisonStart;
        f.changePointPValue = cp.pValue();
        LinearTrend.Fit compTrend = trend(comparison);
        f.trend.slopePerHour = compTrend.slope();
        f.trend.pValue = compTrend.pValue();
        f.trend.r2 = compTrend.r2();

        double shift = f.comparison.mean - f.baseline.mean;
        if (RegressionEvaluator.returned(f.baseline.mean, f.comparison.mean, recentMean, recentStdErr, RegressionEvaluator.ANOMALY_RETURN)
                && (!deseasonalised || backAgainstYesterday(levels, comparison.size()))) {
            f.type = FindingType.ANOMALY;
            return;
        }
        long minRamp = Math.max(2, cfg.gradualMinDuration.toMillis() / cfg.evaluationInterval.toMillis());
        Shape shape = shape(levels, (int) Math.min(Integer.MAX_VALUE, minRamp));
        f.type = shape.sudden ? FindingType.SUDDEN : FindingType.GRADUAL;
        if (shape.at >= 0) {
            f.changePointAt = recent.get(shape.at).start;
        }
        // A ramp that turns around a trend of the hour before it, as steep, is a trend reversal.
        List<Bucket> before = baseline.subList(Math.max(0, baseline.size() - comparison.size()), baseline.size());
        LinearTrend.Fit previous = trend(before);
        if (!shape.sudden && before.size() >= 6 && previous.pValue() < 0.01 && compTrend.pValue() < 0.01
                && Math.signum(previous.slope()) == -Math.signum(compTrend.slope())
                && Math.abs(previous.slope()) >= 0.5 * Math.abs(compTrend.slope()) && sign * compTrend.slope() * Math.signum(shift) > 0) {
            f.type = FindingType.TREND_REVERSAL;
        }
    }

    /** Whether a change is a step, and the index of the first bucket it shows in. */
    record Shape(boolean sudden, int at) {}

    /**
     * Gradual when the best ramp lasts at least {@code minRamp} buckets and beats the best step by more
     * than BIC's price of its extra parameter (ln n times the residual variance); else sudden, dated
     * where the best short ramp starts, or (a long ramp not worth its parameter) at -1: by the CUSUM
     * change point.
     */
    static Shape shape(double[] x, int minRamp) {
        int n = x.length;
        LevelRampLevel.Fit fit = LevelRampLevel.fit(x);
        // The ramp's extra parameter must pay for itself (BIC): a noisy step is fitted a little better by
        // some ramp, and that is not evidence of one.
        double noise = fit.sse() / Math.max(1, n - 4);
        if (fit.length() < minRamp) {
            return new Shape(true, Math.min(n - 1, fit.start() + 1)); // a short ramp: a step, where it starts
        }
        boolean gradual = fit.stepSse() - fit.sse() > noise * Math.log(n);
        return gradual ? new Shape(false, Math.min(n - 1, fit.start() + 1)) : new Shape(true, -1);
    }

    /**
     * Subtracts from each bucket's level the mean level of the buckets a day earlier within
     * {@link #SEASONAL_HALF_WIDTH} either side (at least half of them present). Returns the index of the
     * first bucket of the adjusted suffix; buckets before it (no day-ago reference) are left as they were.
     */
    private int deseasonalize(List<Bucket> all, List<Bucket> recent, double[] x) {
        long expected = 2 * SEASONAL_HALF_WIDTH / cfg.evaluationInterval.toMillis() + 1;
        int from = x.length;
        double[] ref = new double[x.length];
        // The buckets within the half width of each day-ago time, [lo, hi) of all; the times fall as i does, so
        // both ends move back, from past the newest one's (found once by binary search).
        int hi = x.length == 0 ? 0 : firstAtOrAfter(all, recent.get(x.length - 1).start - RegressionEvaluator.DAY + SEASONAL_HALF_WIDTH + 1);
        int lo = hi;
        for (int i = x.length - 1; i >= 0; i--) {
            long c = recent.get(i).start - RegressionEvaluator.DAY;
            while (lo > 0 && all.get(lo - 1).start >= c - SEASONAL_HALF_WIDTH) {
                lo--;
            }
            while (hi > lo && all.get(hi - 1).start > c + SEASONAL_HALF_WIDTH) {
                hi--;
            }
            double sum = 0;
            int k = 0;
            for (int j = lo; j < hi; j++) {
                sum += all.get(j).trimmedMean();
                k++;
            }
            if (k * 2 < expected) {
                break;
            }
            ref[i] = sum / k;
            from = i;
        }
        for (int i = from; i < x.length; i++) {
            x[i] -= ref[i];
        }
        return from;
    }

    /**
     * Whether the newest quarter of the comparison is back on the levels against the same time a day earlier
     * (the last {@code comparison} of {@code levels}; those before it the reference): nearer the levels before
     * than {@link RegressionEvaluator#ANOMALY_RETURN} of the comparison's shift. The anomaly rule's means are
     * flat: a comparison window of 6 hours (a half-hourly series') spans a good part of a daily cycle, and its
     * newest quarter in the cycle's trough read as a return from a step that still held (a +35% step retyped
     * {@code anomaly} 14 hours on). Against yesterday the cycle is gone, and a spike's return still shows.
     */
    static boolean backAgainstYesterday(double[] levels, int comparison) {
        int n = levels.length;
        int tail = Math.max(1, comparison / 4);
        double before = mean(levels, 0, n - comparison);
        double shift = mean(levels, n - comparison, n) - before;
        return Math.abs(mean(levels, n - tail, n) - before) < RegressionEvaluator.ANOMALY_RETURN * Math.abs(shift);
    }

    private static double mean(double[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += x[i];
        }
        return sum / Math.max(1, to - from);
    }

    /** Index of the first bucket starting at or after {@code start}, in buckets sorted by start. */
    static int firstAtOrAfter(List<Bucket> sorted, long start) {
        if (sorted instanceof BucketIndex.Indexed indexed) {
            return indexed.firstAtOrAfter(start); // the same search over the starts' array
        }
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).start < start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static LinearTrend.Fit trend(List<Bucket> buckets) {
        LinearTrend t = new LinearTrend();
        if (buckets.isEmpty()) {
            return t.fit();
        }
        long origin = buckets.get(0).start;
        for (Bucket b : buckets) {
            t.add((b.start - origin) / 3_600_000.0, b.mean);
        }
        return t.fit();
    }
}
