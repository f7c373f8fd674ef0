package dev.perfwatch.detect;

import dev.perfwatch.config.PerfwatchConfig.Direction;
import dev.perfwatch.config.PerfwatchConfig.Regression;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.stats.ChangePoint;
import dev.perfwatch.stats.EffectSize;
import dev.perfwatch.stats.LinearTrend;
import dev.perfwatch.stats.MannWhitneyU;
import dev.perfwatch.stats.Moments;
import dev.perfwatch.stats.WelchTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One evaluation of one series at time T: the comparison window [T - comparison, T) against the
 * baseline [T - comparison - baseline, T - comparison), from per-interval {@link Bucket}s. No Flink
 * here, so the benchmark and the streaming function share it.
 *
 * <p>Significance: Welch's t (from moments) and Mann-Whitney U (from the bottom-k reservoirs) must both
 * be below alpha / (evaluations per day), a Bonferroni correction bounding the chance of any false
 * finding on a series to alpha per day. Practical effect: |relative change of the mean| and |Cohen's d|
 * at least their minimums. Seasonal guard: when the baseline reaches back a full day, the same change
 * must also hold against the same hour of the previous day.
 */
public final class RegressionEvaluator {

    private static final long DAY = 86_400_000L;
    /** A ramp must leave at most this share of the step's squared error to be called gradual. */
    static final double RAMP_MARGIN = 1.0;
    /** The share of the change against the baseline that must also show against the guard window. */
    static final double GUARD_SHARE = 0.5;
    /** At detection, a change is transient when the newest quarter is back within this share of the shift. */
    static final double ANOMALY_RETURN = 0.25;

    private final Regression cfg;

    public RegressionEvaluator(Regression cfg) {
        this.cfg = cfg;
    }

    /** The verdict and its numbers; finding is filled when verdict is not NONE. */
    /** baselineMean (the reference the decision rests on) and recentMean (the newest quarter of the comparison window) are set for every verdict. */
    public record Evaluation(Verdict verdict, RegressionFinding finding, double alphaCorrected, double baselineMean, double recentMean) {}

    public enum Verdict { NONE, REGRESSION, IMPROVEMENT }

    public double alphaCorrected() {
        return cfg.alpha / Math.max(1.0, (double) DAY / cfg.evaluationInterval.toMillis());
    }

    /** Null when there is not enough data to evaluate. Buckets sorted by start. */
    public Evaluation evaluate(String component, String metric, Direction direction, long t, List<Bucket> buckets) {
        long interval = cfg.evaluationInterval.toMillis();
        long compStart = t - cfg.comparisonWindow.toMillis();
        long baseStart = compStart - cfg.baselineWindow.toMillis();
        List<Bucket> comparison = new ArrayList<>();
        List<Bucket> baseline = new ArrayList<>();
        for (Bucket b : buckets) {
            if (b.start >= compStart && b.start < t) {
                comparison.add(b);
            } else if (b.start >= baseStart && b.start < compStart) {
                baseline.add(b);
            }
        }
        long comparisonBuckets = cfg.comparisonWindow.toMillis() / interval;
        if (comparison.size() * 2 < comparisonBuckets || baseline.size() * interval < cfg.minBaseline.toMillis()
                || baseline.isEmpty()) {
            return null;
        }
        int kComparison = perBucket(comparisonBuckets);
        // Reservoirs are bottom-k samples, so a prefix of each is too: a short baseline gets a larger share.
        int kBaseline = Math.min(perBucket(baseline.size()), bucketCapacity());
        Moments mb = merged(baseline);
        Moments mc = merged(comparison);
        if (mb.count() < 2 || mc.count() < 2) {
            return null;
        }
        double[] rb = reservoir(baseline, kBaseline);
        double[] rc = reservoir(comparison, kComparison);
        double alpha = alphaCorrected();
        double sign = direction == Direction.HIGHER_IS_WORSE ? 1 : -1;

        Change main = change(mb, mc, rb, rc);
        Verdict verdict = verdictOf(main, alpha, sign);
        // Daily cycles are not regressions. With a day of history, the same hour yesterday is the
        // seasonal reference: a change against it counts when the day's baseline does not point the
        // other way (a change in a daily trough hides in the day's mean), and a change against the day's
        // baseline counts only when it shows against that hour too, at least half as large. Before a
        // day, the hour just before the comparison window is the reference in the second role.
        boolean fullDay = baseline.get(0).start <= compStart - DAY;
        long guardStart = fullDay ? compStart - DAY : compStart - cfg.comparisonWindow.toMillis();
        long guardEnd = fullDay ? t - DAY : compStart;
        List<Bucket> guard = new ArrayList<>();
        for (Bucket b : baseline) {
            if (b.start >= guardStart && b.start < guardEnd) {
                guard.add(b);
            }
        }
        Change decided = main;
        List<Bucket> reference = baseline;
        if (guard.size() * 2 >= comparisonBuckets) {
            Change against = change(merged(guard), mc, reservoir(guard, kComparison), rc);
            Verdict guardVerdict = verdictOf(against, alpha, sign);
            boolean mainHolds = verdict != Verdict.NONE && guardVerdict == verdict
                    && Math.abs(against.relative) >= GUARD_SHARE * Math.abs(main.relative);
            boolean seasonalHolds = fullDay && guardVerdict != Verdict.NONE
                    && Math.signum(main.relative) == Math.signum(against.relative);
            if (mainHolds) {
                decided = main;
            } else if (seasonalHolds) {
                verdict = guardVerdict;
                decided = against;
                reference = guard;
            } else {
                verdict = Verdict.NONE;
            }
        }
        main = decided;
        Moments referenceMoments = reference == baseline ? mb : merged(reference);
        double referenceMean = fullDay && guard.size() * 2 >= comparisonBuckets ? merged(guard).mean() : mb.mean();
        double recent = recentMean(comparison);
        if (verdict == Verdict.NONE) {
            return new Evaluation(Verdict.NONE, null, alpha, referenceMean, recent);
        }

        RegressionFinding f = new RegressionFinding();
        f.component = component;
        f.metric = metric;
        f.direction = verdict == Verdict.REGRESSION ? "regression" : "improvement";
        f.detectedAt = t;
        // The baseline reported is the one the decision rests on: the day before, or that hour of it.
        f.baselineStart = reference.get(0).start;
        f.baselineEnd = reference == baseline ? compStart : reference.get(reference.size() - 1).start + interval;
        if (reference != baseline) {
            rb = reservoir(reference, kComparison);
        }
        f.comparisonStart = compStart;
        f.comparisonEnd = t;
        Arrays.sort(rb);
        Arrays.sort(rc);
        f.baselineN = referenceMoments.count();
        f.baselineMean = referenceMoments.mean();
        f.baselineStddev = Math.sqrt(referenceMoments.sampleVariance());
        f.baselineP50 = quantile(rb, 0.5);
        f.baselineP95 = quantile(rb, 0.95);
        f.comparisonN = mc.count();
        f.comparisonMean = mc.mean();
        f.comparisonStddev = Math.sqrt(mc.sampleVariance());
        f.comparisonP50 = quantile(rc, 0.5);
        f.comparisonP95 = quantile(rc, 0.95);
        f.relativeChange = main.relative;
        f.relativeChangeP95 = f.baselineP95 != 0 ? (f.comparisonP95 - f.baselineP95) / Math.abs(f.baselineP95) : Double.NaN;
        f.welchT = main.welch.t();
        f.welchDf = main.welch.df();
        f.welchP = main.welch.pValue();
        f.mannWhitneyU = main.mwu().u();
        f.mannWhitneyP = main.mwu().pValue();
        f.cohensD = main.d;
        f.alphaCorrected = alpha;
        classify(f, baseline, comparison, sign);
        f.confidence = confidence(main, alpha);
        double size = Math.abs(main.relative);
        f.severity = verdict == Verdict.IMPROVEMENT ? "info"
                : size >= 0.5 || Math.abs(main.d) >= 2 ? "critical" : size >= 0.2 || Math.abs(main.d) >= 1 ? "warning" : "info";
        f.recommendation = Recommendations.of(metric, f.type, f.direction);
        return new Evaluation(verdict, f, alpha, referenceMean, recent);
    }

    /** Mean of the newest quarter of the comparison window's buckets. */
    static double recentMean(List<Bucket> comparison) {
        int tail = Math.max(1, comparison.size() / 4);
        double sum = 0;
        long count = 0;
        for (Bucket b : comparison.subList(comparison.size() - tail, comparison.size())) {
            sum += b.mean * b.count;
            count += b.count;
        }
        return sum / Math.max(1, count);
    }

    /** The tests of one comparison; Mann-Whitney (the costly one) only runs once the rest has passed. */
    private static final class Change {
        final WelchTest.Result welch;
        final double d;
        final double relative;
        private final double[] rb;
        private final double[] rc;
        private MannWhitneyU.Result mwu;

        Change(Moments mb, Moments mc, double[] rb, double[] rc) {
            this.welch = WelchTest.fromMoments(mb, mc);
            this.d = EffectSize.cohensD(mb, mc);
            this.relative = mb.mean() != 0 ? (mc.mean() - mb.mean()) / Math.abs(mb.mean()) : Double.NaN;
            this.rb = rb;
            this.rc = rc;
        }

        MannWhitneyU.Result mwu() {
            if (mwu == null) {
                mwu = MannWhitneyU.of(rb, rc);
            }
            return mwu;
        }
    }

    private static Change change(Moments mb, Moments mc, double[] rb, double[] rc) {
        return new Change(mb, mc, rb, rc);
    }

    private Verdict verdictOf(Change c, double alpha, double sign) {
        boolean practical = Math.abs(c.relative) >= cfg.minRelativeChange && Math.abs(c.d) >= cfg.minEffectSize;
        if (!practical || Double.isNaN(c.d) || !(c.welch.pValue() < alpha) || !(c.mwu().pValue() < alpha)) {
            return Verdict.NONE;
        }
        return sign * c.d > 0 ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
    }

    /**
     * sudden: a step (two means split at the CUSUM change point) fits the recent bucket means better
     * than a ramp; gradual: a ramp fits better. anomaly: the newest buckets are back nearer the baseline than halfway.
     * trend_reversal: a ramp whose slope is significant and opposite to a significant, at least half as
     * steep slope of the hour before it, turning the worse way.
     */
    private void classify(RegressionFinding f, List<Bucket> baseline, List<Bucket> comparison, double sign) {
        List<Bucket> recent = new ArrayList<>();
        int fromBaseline = Math.min(baseline.size(), 2 * comparison.size());
        recent.addAll(baseline.subList(baseline.size() - fromBaseline, baseline.size()));
        recent.addAll(comparison);
        double[] means = new double[recent.size()];
        for (int i = 0; i < means.length; i++) {
            means[i] = recent.get(i).mean;
        }
        ChangePoint.Result cp = ChangePoint.of(means);
        f.changePointAt = cp.index() > 0 ? recent.get(cp.index()).start : f.comparisonStart;
        f.changePointP = cp.pValue();
        LinearTrend.Fit compTrend = trend(comparison);
        f.trendSlopePerHour = compTrend.slope();
        f.trendP = compTrend.pValue();

        double shift = f.comparisonMean - f.baselineMean;
        double newest = recentMean(comparison);
        if (Math.abs(newest - f.baselineMean) < ANOMALY_RETURN * Math.abs(shift)) {
            f.type = "anomaly";
            return;
        }
        Shape shape = bestShape(means);
        f.type = shape.sudden ? "sudden" : "gradual";
        f.changePointAt = recent.get(shape.at).start;
        // A ramp that turns around a trend of the hour before it, as steep, is a trend reversal.
        List<Bucket> before = baseline.subList(Math.max(0, baseline.size() - comparison.size()), baseline.size());
        LinearTrend.Fit previous = trend(before);
        if (!shape.sudden && before.size() >= 6 && previous.pValue() < 0.01 && compTrend.pValue() < 0.01
                && Math.signum(previous.slope()) == -Math.signum(compTrend.slope())
                && Math.abs(previous.slope()) >= 0.5 * Math.abs(compTrend.slope()) && sign * compTrend.slope() * Math.signum(shift) > 0) {
            f.type = "trend_reversal";
        }
    }
    /** Which of two changes explains the bucket means better, and where it starts. */
    private record Shape(boolean sudden, int at) {}

    /**
     * A step (one level, then another, from bucket c) against a ramp (one level, then a straight
     * rise from bucket c: a hinge). Both have three parameters; the smaller squared error wins, each at
     * its best c.
     */
    static Shape bestShape(double[] x) {
        int n = x.length;
        double bestStep = Double.POSITIVE_INFINITY;
        int stepAt = 1;
        double bestRamp = Double.POSITIVE_INFINITY;
        int rampAt = 1;
        double[] prefix = new double[n + 1];
        double[] prefix2 = new double[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + x[i];
            prefix2[i + 1] = prefix2[i] + x[i] * x[i];
        }
        double[] h = new double[n];
        for (int c = 1; c < n; c++) {
            double sseStep = sse(prefix, prefix2, 0, c) + sse(prefix, prefix2, c, n);
            if (sseStep < bestStep) {
                bestStep = sseStep;
                stepAt = c;
            }
            for (int i = 0; i < n; i++) {
                h[i] = Math.max(0, i - c + 1);
            }
            LinearTrend.Fit fit = LinearTrend.of(h, x);
            double sseRamp = 0;
            for (int i = 0; i < n; i++) {
                double r = x[i] - (fit.intercept() + fit.slope() * h[i]);
                sseRamp += r * r;
            }
            if (sseRamp < bestRamp) {
                bestRamp = sseRamp;
                rampAt = c;
            }
        }
        // A few noisy buckets after a step can be fitted by a short steep ramp: call it gradual only when
        // the ramp is clearly better.
        return bestRamp >= RAMP_MARGIN * bestStep ? new Shape(true, stepAt) : new Shape(false, Math.max(0, rampAt - 1));
    }

    private static double sse(double[] prefix, double[] prefix2, int from, int to) {
        int k = to - from;
        if (k <= 0) {
            return 0;
        }
        double sum = prefix[to] - prefix[from];
        return Math.max(0, prefix2[to] - prefix2[from] - sum * sum / k);
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

    /** 1 minus the larger p over the corrected alpha, times how far |d| is past its minimum (saturating at 2x). */
    private double confidence(Change c, double alpha) {
        double p = Math.max(c.welch.pValue(), c.mwu().pValue());
        double significance = Math.max(0, 1 - p / alpha);
        double effect = cfg.minEffectSize > 0 ? Math.min(1, Math.abs(c.d) / (2 * cfg.minEffectSize)) : 1;
        return significance * effect;
    }

    private int perBucket(long buckets) {
        return (int) Math.max(1, (cfg.reservoirSize + buckets - 1) / buckets);
    }

    /** Capacity of each bucket's reservoir: the comparison window's share. */
    public int bucketCapacity() {
        return perBucket(cfg.comparisonWindow.toMillis() / cfg.evaluationInterval.toMillis());
    }

    static Moments merged(List<Bucket> buckets) {
        Moments m = new Moments();
        for (Bucket b : buckets) {
            m.merge(b.moments());
        }
        return m;
    }

    static double[] reservoir(List<Bucket> buckets, int perBucket) {
        int n = 0;
        for (Bucket b : buckets) {
            n += Math.min(perBucket, b.size);
        }
        double[] out = new double[n];
        int i = 0;
        for (Bucket b : buckets) {
            int k = Math.min(perBucket, b.size);
            System.arraycopy(b.values, 0, out, i, k);
            i += k;
        }
        return out;
    }

    private static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.floor(q * (sorted.length - 1))];
    }
}
