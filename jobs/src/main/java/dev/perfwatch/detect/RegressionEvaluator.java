package dev.perfwatch.detect;

import dev.perfwatch.config.Direction;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.config.RegressionConfig;
import dev.perfwatch.model.ChangeDirection;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.model.Severity;
import dev.perfwatch.stats.EffectSize;
import dev.perfwatch.stats.MannWhitneyU;
import dev.perfwatch.stats.Moments;
import dev.perfwatch.stats.WelchTest;
import dev.perfwatch.suggest.FindingAdvice;
import dev.perfwatch.suggest.SuggestionCatalogue;

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
 * must also hold against the same hour of the previous day. The shape of a change is judged by
 * {@link ChangeShape}.
 */
public final class RegressionEvaluator {

    static final long DAY = 86_400_000L;
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
    /** The short window for excursions: the newest this many buckets of the comparison window. */
    static final int SHORT_BUCKETS = 3;
    /** An excursion in the short window must pass the practical gates this many times over. */
    static final double SHORT_GATES = 3.0;

    private final RegressionConfig cfg;
    private final ChangeShape shape;
    private final SuggestionCatalogue catalogue;

    /**
     * How long a series' buckets are kept: the comparison and baseline windows; with a baseline of a day
     * or more, also the shape window's day-ago reference.
     */
    public long retentionMillis() {
        long held = cfg.comparisonWindow.toMillis() + cfg.baselineWindow.toMillis();
        return Math.max(held, shape.retentionMillis());
    }

    public RegressionEvaluator(RegressionConfig cfg, SuggestionCatalogue catalogue) {
        this.cfg = cfg;
        this.shape = new ChangeShape(cfg);
        this.catalogue = catalogue;
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
        NONE(null), REGRESSION(ChangeDirection.REGRESSION), IMPROVEMENT(ChangeDirection.IMPROVEMENT);

        /** The finding's {@code direction} for this verdict (null for NONE). */
        public final ChangeDirection direction;

        Verdict(ChangeDirection direction) {
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
    public static Gates gatesFor(MetricLevels levels, RegressionConfig regression, String component, String metric) {
        MetricThresholds t = levels.of(component, metric);
        return new Gates(t != null && t.minRelativeChange != null ? t.minRelativeChange : regression.minRelativeChange,
                t != null && t.minEffectSize != null ? t.minEffectSize : regression.minEffectSize);
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
        double sign = direction.sign();

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
        long baselineEndAt = compStart;
        if (decision.verdict == Verdict.NONE && comparison.size() > SHORT_BUCKETS) {
            // A short, large excursion (a spike of a quarter hour) is diluted in the comparison hour: test the
            // newest buckets on their own, at the same alpha and a multiple of the practical gates.
            List<Bucket> recentBuckets = comparison.subList(comparison.size() - SHORT_BUCKETS, comparison.size());
            Moments ms = merged(recentBuckets);
            if (ms.count() >= 2) {
                double[] rs = reservoir(recentBuckets, kComparison);
                Change shortMain = change(mb, ms, rb, rs);
                Change shortAgainst = mg != null ? change(mg, ms, reservoir(guard, kComparison), rs) : null;
                Decision shortDecision = decide(shortMain, shortAgainst, fullDay, alpha, gates.scaled(SHORT_GATES), sign);
                if (shortDecision.verdict != Verdict.NONE) {
                    decision = shortDecision;
                    main = shortMain;
                    against = shortAgainst;
                    comparison = new ArrayList<>(recentBuckets);
                    mc = ms;
                    rc = rs;
                    compStart = recentBuckets.get(0).start;
                }
            }
        }
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
        f.baselineEnd = reference == baseline ? baselineEndAt : reference.get(reference.size() - 1).start + interval;
        if (reference != baseline) {
            rb = reservoir(reference, kComparison);
        }
        f.comparisonStart = compStart;
        f.comparisonEnd = t;
        fill(f.baseline, referenceMoments, rb);
        fill(f.comparison, mc, rc);
        f.relativeChange = main.relative;
        f.relativeChangeP95 = f.baseline.p95 != 0 ? (f.comparison.p95 - f.baseline.p95) / Math.abs(f.baseline.p95) : Double.NaN;
        f.welch.t = main.welch.t();
        f.welch.df = main.welch.df();
        f.welch.pValue = main.welch.pValue();
        f.mannWhitney.u = main.mwu().u();
        f.mannWhitney.pValue = main.mwu().pValue();
        f.cohensD = main.d;
        f.alphaCorrected = alpha;
        shape.classify(f, buckets, baseline, comparison, sign, recent, recentStdErr);
        f.confidence = confidence(main, alpha, gates);
        double size = Math.abs(main.relative);
        f.severity = verdict == Verdict.IMPROVEMENT ? Severity.INFO
                : size >= 0.5 || Math.abs(main.d) >= 2 ? Severity.CRITICAL : size >= 0.2 || Math.abs(main.d) >= 1 ? Severity.WARNING : Severity.INFO;
        FindingAdvice.apply(f, catalogue);
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

    /** n, mean, standard deviation (moments of every value) and p50 / p95 (of the reservoir, sorted here). */
    private static void fill(RegressionFinding.SampleStats stats, Moments m, double[] reservoir) {
        Arrays.sort(reservoir);
        stats.n = m.count();
        stats.mean = m.mean();
        stats.stddev = Math.sqrt(m.sampleVariance());
        stats.p50 = quantile(reservoir, 0.5);
        stats.p95 = quantile(reservoir, 0.95);
    }

    private static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.floor(q * (sorted.length - 1))];
    }
}
