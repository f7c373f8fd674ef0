package dev.perfwatch.detect;

import dev.perfwatch.config.PerfwatchConfig;
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
    /** The share of the change against the baseline that must also show against the guard window. */
    static final double GUARD_SHARE = 0.5;
    /** At detection, a change is transient when the newest quarter is back within this share of the shift. */
    static final double ANOMALY_RETURN = 0.25;

    /** An open episode stays open while the change holds at the uncorrected alpha and this share of the practical gates. */
    static final double HOLD_GATES = 0.5;
    /**
     * Mann-Whitney is exact (no ties) up to this many values in the smaller sample: a sparse series has
     * 12 values an hour, where the normal approximation's p cannot reach the corrected alpha.
     */
    static final int EXACT_MWU_SMALLER = 16;
    /** The return from an excursion must be this many standard errors below it (one-sided, about 1%). */
    static final double RETURN_Z = 2.33;
    /** The shape of a change is judged over this many comparison windows up to the evaluation. */
    static final int SHAPE_WINDOWS = 5;
    /** The day-ago reference of a bucket averages the buckets this far either side of it. */
    private static final long SEASONAL_HALF_WIDTH = 30 * 60_000L;

    private final Regression cfg;

    /**
     * How long a series' buckets are kept: the comparison and baseline windows; with a baseline of a day
     * or more, also the shape window's day-ago reference.
     */
    public long retentionMillis() {
        long held = cfg.comparisonWindow.toMillis() + cfg.baselineWindow.toMillis();
        return seasonalShape() ? Math.max(held, DAY + SHAPE_WINDOWS * cfg.comparisonWindow.toMillis() + SEASONAL_HALF_WIDTH) : held;
    }

    /** Whether the shape fit removes the daily cycle (the baseline reaches back a day, as the seasonal guard does). */
    private boolean seasonalShape() {
        return cfg.baselineWindow.toMillis() >= DAY;
    }

    public RegressionEvaluator(Regression cfg) {
        this.cfg = cfg;
    }

    /**
     * The verdict and its numbers; finding is filled when verdict is not NONE. holds: the verdict at
     * the uncorrected alpha (what keeps an open episode open). comparisonMean: the whole comparison
     * window's. baselineMean (the
     * reference the decision rests on), recentMean and recentStdErr (the newest quarter of the
     * comparison window) are set for every verdict.
     */
    public record Evaluation(Verdict verdict, Verdict holds, RegressionFinding finding, double alphaCorrected, double baselineMean,
            double comparisonMean, double recentMean, double recentStdErr) {

        /**
         * Whether the newest quarter is back from {@code level} (the excursion's mean) towards the
         * baseline: nearer the baseline than {@code share} of the way, and significantly below the
         * excursion (one-sided z at {@link #RETURN_Z}), so noise in a weak change is not read as a return.
         */
        public boolean returnedFrom(double level, double share) {
            return returned(baselineMean, level, recentMean, recentStdErr, share);
        }
    }

    static boolean returned(double baselineMean, double level, double recentMean, double recentStdErr, double share) {
        double shift = level - baselineMean;
        boolean near = Math.abs(recentMean - baselineMean) < share * Math.abs(shift);
        boolean significant = Math.signum(shift) * (level - recentMean) > RETURN_Z * recentStdErr;
        return near && significant;
    }

    public enum Verdict {
        NONE(null), REGRESSION("regression"), IMPROVEMENT("improvement");

        /** The finding's {@code direction} for this verdict (null for NONE). */
        public final String direction;

        Verdict(String direction) {
            this.direction = direction;
        }
    }

    public double alphaCorrected() {
        return cfg.alpha / Math.max(1.0, (double) DAY / cfg.evaluationInterval.toMillis());
    }

    /** Null when there is not enough data to evaluate. Buckets sorted by start. */
    public Evaluation evaluate(String component, String metric, Direction direction, long t, List<Bucket> buckets) {
        return evaluate(component, metric, direction, defaultGates(), t, buckets);
    }

    /** The practical-effect gates: minimum |relative change of the mean| and minimum |Cohen's d|. */
    public record Gates(double minRelativeChange, double minEffectSize) {
        Gates scaled(double k) {
            return new Gates(k * minRelativeChange, k * minEffectSize);
        }
    }

    /** The gates of one series: its metric's (and component's) own where set, else the regression section's. */
    public static Gates gatesFor(PerfwatchConfig config, String component, String metric) {
        PerfwatchConfig.MetricThresholds t = config.levelsFor(component, metric);
        return new Gates(t != null && t.minRelativeChange != null ? t.minRelativeChange : config.regression.minRelativeChange,
                t != null && t.minEffectSize != null ? t.minEffectSize : config.regression.minEffectSize);
    }

    /** The configuration's regression gates. */
    public Gates defaultGates() {
        return new Gates(cfg.minRelativeChange, cfg.minEffectSize);
    }

    /** As {@link #evaluate(String, String, Direction, long, List)}, with the series' own practical gates. */
    public Evaluation evaluate(String component, String metric, Direction direction, Gates gates, long t, List<Bucket> buckets) {
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
        // The seasonal guard window (see decide).
        boolean fullDay = baseline.get(0).start <= compStart - DAY;
        long guardStart = fullDay ? compStart - DAY : compStart - cfg.comparisonWindow.toMillis();
        long guardEnd = fullDay ? t - DAY : compStart;
        List<Bucket> guard = new ArrayList<>();
        for (Bucket b : baseline) {
            if (b.start >= guardStart && b.start < guardEnd) {
                guard.add(b);
            }
        }
        Moments mg = guard.size() * 2 >= comparisonBuckets ? merged(guard) : null;
        Change against = mg != null ? change(mg, mc, reservoir(guard, kComparison), rc) : null;
        Decision decision = decide(main, against, fullDay, alpha, gates, sign);
        // An open episode stays open while the change holds at the uncorrected alpha and half the
        // practical gates (hysteresis): a change that sits near the thresholds (few values a window,
        // heavy tails) is one episode, not a flicker of them.
        Verdict holds = decision.verdict != Verdict.NONE ? decision.verdict
                : decide(main, against, fullDay, cfg.alpha, gates.scaled(HOLD_GATES), sign).verdict;
        Verdict verdict = decision.verdict;
        List<Bucket> reference = decision.change == against ? guard : baseline;
        main = decision.change;
        Moments referenceMoments = reference == baseline ? mb : mg;
        double referenceMean = fullDay && mg != null ? mg.mean() : mb.mean();
        Moments recentMoments = recentMoments(comparison);
        double recent = recentMoments.mean();
        double recentStdErr = Math.sqrt(recentMoments.sampleVariance() / Math.max(1, recentMoments.count()));
        if (verdict == Verdict.NONE) {
            return new Evaluation(Verdict.NONE, holds, null, alpha, referenceMean, mc.mean(), recent, recentStdErr);
        }

        RegressionFinding f = new RegressionFinding();
        f.component = component;
        f.metric = metric;
        f.direction = verdict.direction;
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
        classify(f, buckets, baseline, comparison, sign, recent, recentStdErr);
        f.confidence = confidence(main, alpha, gates);
        double size = Math.abs(main.relative);
        f.severity = verdict == Verdict.IMPROVEMENT ? "info"
                : size >= 0.5 || Math.abs(main.d) >= 2 ? "critical" : size >= 0.2 || Math.abs(main.d) >= 1 ? "warning" : "info";
        f.recommendation = Recommendations.of(metric, f.type, f.direction);
        return new Evaluation(verdict, holds, f, alpha, referenceMean, mc.mean(), recent, recentStdErr);
    }

    /** Moments of the newest quarter of the comparison window's buckets. */
    static Moments recentMoments(List<Bucket> comparison) {
        int tail = Math.max(1, comparison.size() / 4);
        return merged(comparison.subList(comparison.size() - tail, comparison.size()));
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
                mwu = MannWhitneyU.of(rb, rc, EXACT_MWU_SMALLER);
            }
            return mwu;
        }
    }

    private static Change change(Moments mb, Moments mc, double[] rb, double[] rc) {
        return new Change(mb, mc, rb, rc);
    }

    /** The verdict at one alpha and the comparison it rests on. */
    private record Decision(Verdict verdict, Change change) {}

    /**
     * Daily cycles are not regressions. With a day of history, the same hour yesterday ({@code against})
     * is the seasonal reference: a change against it counts on its own (whatever the day's mean says: a
     * change in a daily trough can sit below the day's mean), and a change against the day's baseline
     * counts only when it shows against that hour too, at least half as large. Before a day, the hour
     * just before the comparison window is the reference in the second role only.
     */
    private Decision decide(Change main, Change against, boolean fullDay, double alpha, Gates gates, double sign) {
        Verdict verdict = verdictOf(main, alpha, gates, sign);
        if (against == null) {
            return new Decision(verdict, main);
        }
        Verdict guardVerdict = verdictOf(against, alpha, gates, sign);
        boolean mainHolds = verdict != Verdict.NONE && guardVerdict == verdict
                && Math.abs(against.relative) >= GUARD_SHARE * Math.abs(main.relative);
        boolean seasonalHolds = fullDay && guardVerdict != Verdict.NONE;
        if (mainHolds) {
            return new Decision(verdict, main);
        }
        return seasonalHolds ? new Decision(guardVerdict, against) : new Decision(Verdict.NONE, main);
    }

    /** The verdict of one comparison at alpha and the practical gates. */
    private Verdict verdictOf(Change c, double alpha, Gates gates, double sign) {
        boolean practical = Math.abs(c.relative) >= gates.minRelativeChange() && Math.abs(c.d) >= gates.minEffectSize();
        if (!practical || Double.isNaN(c.d) || !(c.welch.pValue() < alpha) || !(c.mwu().pValue() < alpha)) {
            return Verdict.NONE;
        }
        return sign * c.d > 0 ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
    }

    /**
     * The shape of the change, from the bucket levels (trimmed means, robust to heavy tails) of the
     * last {@link #SHAPE_WINDOWS} comparison windows, each minus the level of the same time a day
     * earlier when that is known (so a daily cycle does not read as a ramp).
     * anomaly: the newest quarter of the comparison window is back nearer the baseline than a quarter
     * of the shift, significantly. Else the best fit of "one level, a straight ramp, another level"
     * decides (see {@link #shape}): a ramp shorter than {@code gradual-min-duration} is sudden, a longer
     * one gradual if it fits better than a step by more than BIC's price (a ramp still rising at the end
     * counts as long as it has lasted). trend_reversal: a gradual change whose
     * slope is significant and opposite to a significant, at least half as steep slope of the hour
     * before it, turning the worse way.
     */
    private void classify(RegressionFinding f, List<Bucket> all, List<Bucket> baseline, List<Bucket> comparison, double sign,
            double recentMean, double recentStdErr) {
        List<Bucket> recent = new ArrayList<>();
        int fromBaseline = Math.min(baseline.size(), (SHAPE_WINDOWS - 1) * comparison.size());
        recent.addAll(baseline.subList(baseline.size() - fromBaseline, baseline.size()));
        recent.addAll(comparison);
        double[] levels = new double[recent.size()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = recent.get(i).trimmedMean();
        }
        int from = seasonalShape() ? deseasonalize(all, recent, levels) : 0;
        if (from > 0 && recent.size() - from >= comparison.size() + SHAPE_MIN_BEFORE) {
            recent = recent.subList(from, recent.size());
            levels = Arrays.copyOfRange(levels, from, levels.length);
        } else if (from > 0) {
            for (int i = 0; i < levels.length; i++) {
                levels[i] = recent.get(i).trimmedMean(); // too short a day-ago reference: none
            }
        }
        ChangePoint.Result cp = ChangePoint.of(levels);
        f.changePointAt = cp.index() > 0 ? recent.get(cp.index()).start : f.comparisonStart;
        f.changePointP = cp.pValue();
        LinearTrend.Fit compTrend = trend(comparison);
        f.trendSlopePerHour = compTrend.slope();
        f.trendP = compTrend.pValue();
        f.trendR2 = compTrend.r2();

        double shift = f.comparisonMean - f.baselineMean;
        if (returned(f.baselineMean, f.comparisonMean, recentMean, recentStdErr, ANOMALY_RETURN)) {
            f.type = "anomaly";
            return;
        }
        long minRamp = Math.max(2, cfg.gradualMinDuration.toMillis() / cfg.evaluationInterval.toMillis());
        Shape shape = shape(levels, (int) Math.min(Integer.MAX_VALUE, minRamp));
        f.type = shape.sudden ? "sudden" : "gradual";
        if (shape.at >= 0) {
            f.changePointAt = recent.get(shape.at).start;
        }
        // A ramp that turns around a trend of the hour before it, as steep, is a trend reversal.
        List<Bucket> before = baseline.subList(Math.max(0, baseline.size() - comparison.size()), baseline.size());
        LinearTrend.Fit previous = trend(before);
        if (!shape.sudden && before.size() >= 6 && previous.pValue() < 0.01 && compTrend.pValue() < 0.01
                && Math.signum(previous.slope()) == -Math.signum(compTrend.slope())
                && Math.abs(previous.slope()) >= 0.5 * Math.abs(compTrend.slope()) && sign * compTrend.slope() * Math.signum(shift) > 0) {
            f.type = "trend_reversal";
        }
    }

    /** Buckets the shape fit wants before the comparison window at least, for a day-ago reference to be used. */
    private static final int SHAPE_MIN_BEFORE = 6;

    /** Whether a change is a step, and the index of the first bucket it shows in. */
    record Shape(boolean sudden, int at) {}

    /**
     * Subtracts from each bucket's level the mean level of the buckets a day earlier within
     * {@link #SEASONAL_HALF_WIDTH} either side (at least half of them present). Returns the index of the
     * first bucket of the adjusted suffix; buckets before it (no day-ago reference) are left as they were.
     */
    private int deseasonalize(List<Bucket> all, List<Bucket> recent, double[] x) {
        long expected = 2 * SEASONAL_HALF_WIDTH / cfg.evaluationInterval.toMillis() + 1;
        int from = x.length;
        double[] ref = new double[x.length];
        for (int i = x.length - 1; i >= 0; i--) {
            long c = recent.get(i).start - DAY;
            double sum = 0;
            int k = 0;
            for (int j = firstAtOrAfter(all, c - SEASONAL_HALF_WIDTH); j < all.size() && all.get(j).start <= c + SEASONAL_HALF_WIDTH; j++) {
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

    /** Index of the first bucket starting at or after {@code start}, in buckets sorted by start. */
    private static int firstAtOrAfter(List<Bucket> sorted, long start) {
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

    /**
     * The least-squares fit of level a up to bucket c1, a straight line from there to level b at bucket
     * c1 + len, level b after (c1 + len may lie past the end: a ramp still rising), over every c1 and len.
     * len = 1 is a step. Gradual when the best len is at least {@code minRamp} buckets and the ramp beats
     * the best step by more than BIC's price of its extra parameter (ln n times the residual variance);
     * else sudden, dated where the best short ramp starts, or (a long ramp not worth its parameter) at
     * -1: by the CUSUM change point.
     */
    static Shape shape(double[] x, int minRamp) {
        int n = x.length;
        // Prefix sums of x, i*x and x^2 make each (c1, len) fit O(1).
        double[] px = new double[n + 1];
        double[] pix = new double[n + 1];
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            px[i + 1] = px[i] + x[i];
            pix[i + 1] = pix[i] + i * x[i];
            sxx += x[i] * x[i];
        }
        double sx = px[n];
        double vx = sxx - sx * sx / n;
        double best = Double.POSITIVE_INFINITY;
        double bestStep = Double.POSITIVE_INFINITY;
        int bestC1 = 0;
        int bestLen = 1;
        for (int c1 = 0; c1 < n - 1; c1++) {
            for (int len = 1; c1 + len <= 2 * n; len++) {
                // g = (i - c1) / len on the ramp (c1, c1 + len), 1 from c1 + len on.
                int rampFrom = c1 + 1;
                int rampTo = Math.min(c1 + len, n); // exclusive
                int k = Math.max(0, rampTo - rampFrom);
                double sumD = 0;
                double sumD2 = 0;
                double sumDx = 0;
                if (k > 0) {
                    // d = i - c1 runs 1..k on the ramp
                    sumD = k * (k + 1) / 2.0;
                    sumD2 = k * (k + 1) * (2.0 * k + 1) / 6.0;
                    sumDx = (pix[rampTo] - pix[rampFrom]) - c1 * (px[rampTo] - px[rampFrom]);
                }
                int ones = Math.max(0, n - (c1 + len));
                double onesX = ones > 0 ? sx - px[c1 + len] : 0;
                double sg = sumD / len + ones;
                double sgg = sumD2 / ((double) len * len) + ones;
                double sgx = sumDx / len + onesX;
                double vg = sgg - sg * sg / n;
                double cov = sgx - sg * sx / n;
                double sse = vg <= 1e-12 ? vx : Math.max(0, vx - cov * cov / vg);
                if (sse < best) {
                    best = sse;
                    bestC1 = c1;
                    bestLen = len;
                }
                if (len == 1 && sse < bestStep) {
                    bestStep = sse;
                }
            }
        }
        // The ramp's extra parameter must pay for itself (BIC): a noisy step is fitted a little better by
        // some ramp, and that is not evidence of one.
        double noise = best / Math.max(1, n - 4);
        if (bestLen < minRamp) {
            return new Shape(true, Math.min(n - 1, bestC1 + 1)); // a short ramp: a step, where it starts
        }
        boolean gradual = bestStep - best > noise * Math.log(n);
        return gradual ? new Shape(false, Math.min(n - 1, bestC1 + 1)) : new Shape(true, -1);
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
    private double confidence(Change c, double alpha, Gates gates) {
        double p = Math.max(c.welch.pValue(), c.mwu().pValue());
        double significance = Math.max(0, 1 - p / alpha);
        double effect = gates.minEffectSize() > 0 ? Math.min(1, Math.abs(c.d) / (2 * gates.minEffectSize())) : 1;
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
