package dev.perfwatch.detect;

import dev.perfwatch.config.Direction;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.config.RegressionConfig;
import dev.perfwatch.model.ChangeDirection;
import dev.perfwatch.model.MetricKind;
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
 * must also hold against the same hour of the previous day, and against that hour moved an hour either way (daylight
 * saving, {@link #SEASONAL_SHIFT}). The shape of a change is judged by
 * {@link ChangeShape}.
 */
public final class RegressionEvaluator {

    static final long DAY = 86_400_000L;
    /** The share of the change against the baseline that must also show against the guard window. */
    static final double GUARD_SHARE = 0.5;
    /**
     * A short change is ordinary when the baseline holds this many stretches, apart, that rose as far
     * ({@code Windows#ordinaryExcursion}): one can be chance (a +100% spike on a log-normal latency with a heavy tail was
     * ruled out by one, 12 of 294 spikes at one value a minute, before each bucket's most extreme value was left out
     * too), a pattern that recurs holds many.
     */
    static final int ORDINARY_STRETCHES = 2;
    /**
     * That rose at least this share of the comparison's rise: a batch job's runs fall on the 5-minute buckets each a
     * little differently, and the comparison that holds one whole is now and then the day's largest (with the whole rise
     * required, 5 of 20 series with a job every hour or so had a finding; with three quarters, none).
     */
    static final double ORDINARY_SHARE = 0.75;
    /** How far a daily pattern moves when the clocks change: the day-ago guard shifted this far either way must show a change too. */
    static final long SEASONAL_SHIFT = 3_600_000L;
    /** A window shorter than the comparison window is also set against its own span a day earlier moved by each of this many steps to SEASONAL_SHIFT either way. */
    static final int SHORT_SHIFTS = 4;
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
    /** The short windows for excursions: the newest this many buckets of the comparison window, and one fewer. */
    static final int SHORT_BUCKETS = 3;
    /**
     * How many of its standard errors low the variance inflation is taken (SequentialTest#varianceInflation):
     * for the comparison hour's tests half of one, for the short excursions' one. An estimate from a few
     * hours is noisy; low, it lets some false findings through on correlated values, high, it costs power
     * on independent ones. Half for the hour: on 100 unchanged AR(1) series at 0.5 / 0.8 / 0.95 the findings
     * fell 5 / 10 / 3 -> 3 / 4 / 2 with the same 1-minute recall, spikes and classification; the spikes'
     * windows lost 7 of 294 with half there too, so they keep one (jobs/REGRESSION.md).
     */
    static final double HOUR_INFLATION_SE = 0.5;
    static final double EXCURSION_INFLATION_SE = 1;
    /** An excursion in the short window must pass the practical gates this many times over. */
    static final double SHORT_GATES = 3.0;

    private final RegressionConfig cfg;
    private final ChangeShape shape;
    private final boolean excursions;
    /** Whether the variance inflation's trend scale counts at this interval ({@link SequentialTest#cycleCancels}). */
    private final boolean trendScale;
    private final SuggestionCatalogue catalogue;
    /** The sorted baselines of the series evaluated lately, each slid from one evaluation to the next (see the class). */
    private final SlidingSortedBaseline slidingBaseline = new SlidingSortedBaseline();
    /** The same for the baseline before the sequential test's change point. */
    private final SlidingSortedBaseline sequentialBaseline = new SlidingSortedBaseline();

    /**
     * How long a series' buckets are kept: the comparison and baseline windows; with a baseline of a day
     * or more, also the shape window's day-ago reference.
     */
    public long retentionMillis() {
        long held = cfg.comparisonWindow.toMillis() + cfg.baselineWindow.toMillis();
        return Math.max(held, shape.retentionMillis());
    }

    public RegressionEvaluator(RegressionConfig cfg, SuggestionCatalogue catalogue) {
        this(cfg, catalogue, true);
    }

    /**
     * excursions: whether the newest intervals are tested on their own (short excursions). Not for a series
     * evaluated over longer intervals than configured (sampled every 10 minutes or less often): a spike of a
     * quarter hour is one or two of its values (none found in regression-bench at 10 or 30 minutes), and the
     * guard, the comparison window's span a day earlier (8 hours at 40-minute intervals), averages a good part
     * of a daily cycle, so a daily peak read as an excursion (4 of 20 irregular half-hourly series with a +-15%
     * cycle had such a false finding).
     */
    public RegressionEvaluator(RegressionConfig cfg, SuggestionCatalogue catalogue, boolean excursions) {
        this.cfg = cfg;
        this.shape = new ChangeShape(cfg);
        this.catalogue = catalogue;
        this.excursions = excursions;
        this.trendScale = SequentialTest.cycleCancels(cfg.evaluationInterval.toMillis());
    }

    /**
     * The verdict and its numbers; finding is filled when verdict is not NONE. holds: the verdict at
     * the uncorrected alpha (what keeps an open episode open); sequentialHolds: the direction in which the
     * sequential statistic is still at least half its threshold (what keeps an episode the sequential
     * test opened open). comparisonMean: the whole comparison
     * window's. baselineMean (the
     * reference the decision rests on), recentMean and recentStdErr (the newest quarter of the
     * comparison window) are set for every verdict. holds is worked out when first asked for (its rank
     * tests are most of an evaluation's cost, and only an open episode asks).
     */
    public record Evaluation(Verdict verdict, java.util.function.Supplier<Verdict> holdsTest, Verdict sequentialHolds, RegressionFinding finding,
            double alphaCorrected, double baselineMean, double comparisonMean, double recentMean, double recentStdErr) {

        /** The verdict at the uncorrected alpha and the hold gates (what keeps an open episode open). */
        public Verdict holds() {
            return holdsTest.get();
        }

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

    /**
     * The practical-effect gates: minimum |relative change of the mean| and minimum |Cohen's d|. For a ratio
     * ({@code ratio}: a known metric whose unit is a share of 0 to 1, a cache's hit rate, an error rate) the change
     * is relative to the smaller of the mean and its complement ({@link #practicalSize}): a hit rate from 0.97 to
     * 0.94 is 3% of the hits and twice the misses.
     */
    public record Gates(double minRelativeChange, double minEffectSize, boolean ratio) {
        public Gates(double minRelativeChange, double minEffectSize) {
            this(minRelativeChange, minEffectSize, false);
        }

        Gates scaled(double k) {
            return new Gates(k * minRelativeChange, k * minEffectSize, ratio);
        }
    }

    /** The gates of one series: its metric's (and component's) own where set, else the regression section's. */
    public static Gates gatesFor(MetricLevels levels, RegressionConfig regression, String component, String metric) {
        MetricThresholds t = levels.of(component, metric);
        return new Gates(t != null && t.minRelativeChange != null ? t.minRelativeChange : regression.minRelativeChange,
                t != null && t.minEffectSize != null ? t.minEffectSize : regression.minEffectSize, MetricKind.isRatio(metric));
    }

    /**
     * The size of a change from the mean {@code from} to {@code to} that the practical gate and the severity read:
     * relative to {@link MetricKind#changeBase} (|from|; for a ratio the smaller of from and 1 - from).
     */
    static double practicalSize(double from, double to, boolean ratio) {
        double base = MetricKind.changeBase(from, ratio);
        // From exactly zero (an error rate or a queue that had none) any change is unbounded: it passes the gate
        // and reads as large, where NaN had failed it (errors from 0 to 2% went unfound; jobs/REGRESSION.md).
        return base != 0 ? Math.abs(to - from) / base : to != from ? Double.POSITIVE_INFINITY : Double.NaN;
    }

    /** The configuration's regression gates. */
    public Gates defaultGates() {
        return new Gates(cfg.minRelativeChange, cfg.minEffectSize);
    }

    /** As {@link #evaluate(String, String, Direction, long, List)}, with the series' own practical gates. */
    public Evaluation evaluate(String component, String metric, Direction direction, Gates gates, long t, List<Bucket> buckets) {
        return evaluate(component, metric, direction, gates, t, buckets, null);
    }

    /**
     * One evaluation: the comparison hour (and, when it shows nothing, its newest quarter hour for short
     * excursions); when that shows nothing either and the sequential test has an alarm, the data since
     * the alarm's change point. cusum: the series' sequential statistics (null: none).
     */
    public Evaluation evaluate(String component, String metric, Direction direction, Gates gates, long t, List<Bucket> buckets,
            SequentialTest.Cusum cusum) {
        return evaluate(component, metric, direction, gates, t, buckets, cusum, null);
    }

    /**
     * As above; {@code week}: the series' hourly means of the last eight days (null: none), against which a
     * change must show too once they reach a week back ({@link #weeklyCycle}).
     */
    public Evaluation evaluate(String component, String metric, Direction direction, Gates gates, long t, List<Bucket> buckets,
            SequentialTest.Cusum cusum, HourlyMeans week) {
        // The fixed window's baseline slides by an interval from one evaluation to the next. The hour is tested once it
        // holds half its buckets; with fewer (the data coming back after an outage), only its short excursions are,
        // so a spike as the data comes back is not over before anything looks (3-hour outages ending in spikes of 10 to
        // 20 minutes at one value a minute: 36% of them found before, 99% now; jobs/REGRESSION.md "Outages").
        long hourBuckets = cfg.comparisonWindow.toMillis() / cfg.evaluationInterval.toMillis() / 2;
        Windows fixed = windows(t - cfg.comparisonWindow.toMillis(), t, buckets, excursions ? Math.min(hourBuckets, SHORT_BUCKETS - 1) : hourBuckets,
                slidingBaseline, component, metric);
        if (fixed == null) {
            return null;
        }
        boolean hour = fixed.comparison.size() >= hourBuckets;
        // Values that are not independent (most metrics sampled often): the fixed window's tests allow for it.
        // Its scan, every interval of the day, is what such values fool (an hour of AR(1) noise of
        // correlation 0.8 at one value a minute holds about 6 independent values, not 60); a finding from
        // the sequential test below has its own evidence, the alarm at its stated rate, and is confirmed at
        // the tests' own level (on real series the inflation measured is partly real changes: applied there
        // it costs found changes, jobs/REGRESSION.md).
        // The hour's tests take the inflation half a standard error low, the short excursions' one (their windows of
        // a few intervals are where a spike is found, and an estimate a little high costs them most); the trend
        // scale only where its blocks span little of a day (a daily cycle cancels).
        fixed.inflation = SequentialTest.varianceInflation(cusum, HOUR_INFLATION_SE, trendScale);
        double shortInflation = SequentialTest.varianceInflation(cusum, EXCURSION_INFLATION_SE, trendScale);
        double alpha = alphaCorrected();
        double sign = direction.sign();
        Tested tested = fixed.test(alpha, gates, sign);
        tested.test = DETECTED_BY_WINDOW;
        if (!hour) {
            tested.decision = new Decision(Verdict.NONE, tested.decision.change);
        }
        // A short, large excursion (a spike of a quarter hour) is diluted in the comparison hour: test the
        // newest buckets on their own (the newest 2, then 3: a spike seldom fills aligned buckets), each at
        // a quarter of the alpha (the two share half of it) and a multiple of the practical gates. Significance there is Mann-Whitney's alone
        // (Welch is reported): with 10 heavy-tailed values a +100% spike gives Welch p about 1e-3, a rank
        // test 1e-7, and the rank test's level holds whatever the distribution. Only the worse way: a short dip
        // is not an improvement anyone acts on (an improvement must hold for the hour or the sequential test).
        for (int k = SHORT_BUCKETS - 1; excursions && k <= SHORT_BUCKETS && tested.decision.verdict == Verdict.NONE
                && (fixed.comparison.size() > k || !hour && fixed.comparison.size() == k); k++) {
            Windows recent = fixed.shortened(k);
            if (recent != null) {
                recent.inflation = shortInflation;
                Tested shortTested = recent.test(alpha / 4, gates.scaled(SHORT_GATES), sign, WELCH_NOT_REQUIRED);
                if (shortTested.decision.verdict == Verdict.REGRESSION) {
                    shortTested.test = DETECTED_BY_EXCURSION;
                    tested = shortTested;
                }
            }
        }
        if (!hour && tested.decision.verdict == Verdict.NONE) {
            return null; // not evaluable yet, as before the short excursions were looked at: no verdict, no miss
        }
        SequentialTest.Alarm alarm = cusum != null ? SequentialTest.alarm(cusum) : null;
        if (hour && tested.decision.verdict == Verdict.NONE && alarm != null && alarm.since() <= t - SEQUENTIAL_MIN_BUCKETS * cfg.evaluationInterval.toMillis()) {
            // Evidence that grew with the change: the data since the change point the sequential test names.
            // Degradations only: an improvement is reported when the comparison hour shows it (on real series
            // the sequential test finds many slow drifts against yesterday, and a better one needs no action).
            // A run that began before the retained history allows a full baseline window is tested from the
            // earliest point that does (the run's start is where the statistic last left zero, which under a
            // slow drift can be long before the change).
            long from = Math.max(alarm.since(), buckets.get(0).start + cfg.baselineWindow.toMillis());
            // (The baseline before a change point stays where it is while the alarm lasts.)
            Windows since = from <= t - SEQUENTIAL_MIN_BUCKETS * cfg.evaluationInterval.toMillis()
                    ? windows(from, t, buckets, SEQUENTIAL_MIN_BUCKETS, sequentialBaseline, component, metric) : null;
            if (since != null && trendScale && SequentialTest.young(cusum, cfg.evaluationInterval.toMillis())) {
                // While the CUSUM's long-run measure is young, its alarm's rate rests on the first day's scale (an
                // estimate from a day of hourly means, short of a long correlation): the confirmation allows for
                // values that are not independent, as the scan's tests do. Once the measure is a day old, at the
                // tests' own level (the inflation is partly real changes on real series: jobs/REGRESSION.md).
                since.inflation = fixed.inflation;
            }
            if (since != null) {
                // The alarm has its own stated rate; its confirmation's significance is the rank test's at the
                // corrected level (its level holds whatever the distribution), and Welch's test need only reach
                // the uncorrected alpha: the mean moved too, but a heavy tail, whose few large values widen
                // Welch's variance, cannot veto a change the ranks show beyond doubt (a latency doubled over
                // an hour, log-normal with a 0.5% tail at 3 to 8 times, at one value every 5 minutes: 57
                // values since the change point, Mann-Whitney p 2e-22, Welch's 6e-4, the corrected alpha 3.5e-5;
                // jobs/REGRESSION.md "Heavy tails and the sequential test's confirmation").
                Tested sequential = since.test(alpha, gates, sign, cfg.alpha);
                if (sequential.decision.verdict == Verdict.REGRESSION) {
                    sequential.test = DETECTED_BY_SEQUENTIAL;
                    tested = sequential;
                }
            }
        }
        Windows w = tested.windows;
        // An open episode stays open while the change holds at the uncorrected alpha and half the
        // practical gates (hysteresis): a change that sits near the thresholds (few values a window,
        // heavy tails) is one episode, not a flicker of them.
        Verdict testedVerdict = tested.decision.verdict;
        java.util.function.Supplier<Verdict> holds = testedVerdict != Verdict.NONE ? () -> testedVerdict
                : new java.util.function.Supplier<>() {
                    private Verdict v;

                    @Override
                    public Verdict get() {
                        if (v == null) {
                            v = fixed.decide(fixed.main, fixed.against, cfg.alpha, gates.scaled(HOLD_GATES), sign).verdict;
                        }
                        return v;
                    }
                };
        Verdict sequentialHolds = Verdict.NONE;
        if (cusum != null) {
            for (int side : new int[] {1, -1}) {
                if (SequentialTest.holds(cusum, side)) {
                    sequentialHolds = side * sign > 0 ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
                }
            }
        }
        Verdict verdict = tested.decision.verdict;
        Change main = tested.decision.change;
        List<Bucket> reference = main == w.against && w.against != null ? w.guard : w.baseline;
        double referenceMean = w.fullDay && w.mg != null ? w.mg.mean() : w.mb().mean();
        Moments recentMoments = recentMoments(fixed.comparison);
        double recent = recentMoments.mean();
        double recentStdErr = Math.sqrt(recentMoments.sampleVariance() / Math.max(1, recentMoments.count()));
        if (verdict != Verdict.NONE && weeklyCycle(main, w, t, week)) {
            verdict = Verdict.NONE;
        }
        if (verdict == Verdict.NONE) {
            return new Evaluation(Verdict.NONE, holds, sequentialHolds, null, alpha, referenceMean, fixed.mc.mean(), recent, recentStdErr);
        }
        Moments referenceMoments = reference == w.baseline ? w.mb() : w.mg;
        // The type's anomaly rule looks at the newest quarter of the window tested.
        Moments testedRecent = recentMoments(w.comparison);
        double testedRecentMean = testedRecent.mean();
        double testedRecentStdErr = Math.sqrt(testedRecent.sampleVariance() / Math.max(1, testedRecent.count()));

        long interval = cfg.evaluationInterval.toMillis();
        RegressionFinding f = new RegressionFinding();
        f.component = component;
        f.metric = metric;
        f.direction = verdict.direction;
        f.detectedAt = t;
        // The baseline reported is the one the decision rests on: the day before, or that hour of it.
        f.baselineStart = reference.get(0).start;
        f.baselineEnd = reference == w.baseline ? w.compStart : reference.get(reference.size() - 1).start + interval;
        double[] rb = reference == w.baseline ? w.rb() : reservoir(reference, w.kComparison);
        f.comparisonStart = w.compStart;
        f.comparisonEnd = t;
        double[] rankedSorted = reference == w.baseline ? w.rankedBaseline.sorted() : null;
        if (rankedSorted != null && rankedSorted.length == rb.length) {
            fillSorted(f.baseline, referenceMoments, rankedSorted); // the baseline as the rank tests had it, sorted
        } else {
            fill(f.baseline, referenceMoments, rb); // the reservoir itself (NaN was left out of the ranked one)
        }
        fill(f.comparison, w.mc, Arrays.copyOf(w.rc, w.rc.length));
        f.relativeChange = main.relative();
        f.relativeChangeP95 = f.baseline.p95 != 0 ? (f.comparison.p95 - f.baseline.p95) / Math.abs(f.baseline.p95) : Double.NaN;
        f.welch.t = main.welch().t();
        f.welch.df = main.welch().df();
        f.welch.pValue = main.welch().pValue();
        f.mannWhitney.u = main.mwu().u();
        f.mannWhitney.pValue = main.mwu().pValue();
        f.cohensD = main.d();
        f.alphaCorrected = alpha;
        f.detection.test = tested.test;
        f.detection.varianceInflation = w.inflation;
        if (alarm != null && DETECTED_BY_SEQUENTIAL.equals(tested.test)) {
            f.detection.cusum = alarm.statistic();
            f.detection.cusumThreshold = alarm.threshold();
            f.detection.falseAlarmsPerDay = cfg.alpha;
        } else if (cusum != null && cusum.slow.h > 0) {
            f.detection.cusum = verdict.direction == ChangeDirection.REGRESSION == (sign > 0) ? cusum.slow.up : cusum.slow.down;
            f.detection.cusumThreshold = cusum.slow.h;
            f.detection.falseAlarmsPerDay = cfg.alpha;
        }
        shape.classify(f, buckets, w.baseline, w.comparison, sign, testedRecentMean, testedRecentStdErr);
        f.confidence = confidence(main, tested.alpha, tested.welchAlpha, gates);
        double size = main.size(gates.ratio());
        f.severity = verdict == Verdict.IMPROVEMENT ? Severity.INFO
                : size >= 0.5 || Math.abs(main.d()) >= 2 ? Severity.CRITICAL : size >= 0.2 || Math.abs(main.d()) >= 1 ? Severity.WARNING : Severity.INFO;
        FindingAdvice.apply(f, catalogue);
        return new Evaluation(verdict, holds, sequentialHolds, f, alpha, referenceMean, fixed.mc.mean(), recent, recentStdErr);
    }

    /**
     * Weekly cycles are not regressions either: with hourly means reaching a week back, a change counts only
     * if the tested window's mean differs from the same hours a week earlier the same way, by at least
     * {@link #GUARD_SHARE} of the change (the rule the day-ago guard applies to the day's baseline). Monday
     * morning after a quiet weekend is a change against Sunday, not against last Monday. Without a week of
     * history (or with less than half of those hours held) nothing is ruled out.
     */
    static boolean weeklyCycle(Change main, Windows w, long t, HourlyMeans week) {
        if (week == null) {
            return false;
        }
        double weekAgo = week.mean(w.compStart - HourlyMeans.WEEK, t - HourlyMeans.WEEK);
        if (Double.isNaN(weekAgo)) {
            return false;
        }
        double comparison = w.mc.mean();
        double shift = comparison - main.mb().mean();
        double againstWeek = comparison - weekAgo;
        return !showsAsMuch(againstWeek, shift);
    }

    /** Whether a change against a second reference goes the same way as {@code change} and is at least {@link #GUARD_SHARE} of it. */
    static boolean showsAsMuch(double against, double change) {
        return Math.signum(against) == Math.signum(change) && Math.abs(against) >= GUARD_SHARE * Math.abs(change);
    }

    /** How a finding's change was found: the comparison hour, its newest quarter hour, or the sequential test's window. */
    public static final String DETECTED_BY_WINDOW = "window";
    public static final String DETECTED_BY_EXCURSION = "excursion";
    public static final String DETECTED_BY_SEQUENTIAL = "sequential";
    /** The sequential window holds at least this many buckets. */
    static final int SEQUENTIAL_MIN_BUCKETS = 2;

    /** The windows of one comparison [compStart, t): the comparison, the baseline before it, the seasonal guard. */
    private final class Windows {
        long compStart;
        /** Ranges of the evaluation's buckets (sorted by start), never changed. */
        List<Bucket> comparison = List.of();
        List<Bucket> baseline = List.of();
        List<Bucket> guard = List.of();
        boolean fullDay;
        int kComparison;
        int kBaseline;
        /** The baseline's moments, merged when first needed (a day's 288 buckets; most evaluations decide on the guard alone). */
        private Moments mb;
        /** A shortened comparison's windows share the baseline of the ones they were cut from. */
        private Windows cutFrom;
        Moments mc;
        Moments mg;
        /** The baseline's reservoir (the first kBaseline values of each bucket), drawn when first needed. */
        private double[] rb;
        double[] rc;
        /** rb, the guard's and the comparison's reservoirs for the rank tests, each sorted once however many comparisons use it. */
        Ranked rankedBaseline;
        Ranked rankedGuard;
        Ranked rankedComparison;
        Change main;
        Change against;
        /** The variance inflation the tests allow for ({@link SequentialTest#varianceInflation}; 1: independent values). */
        double inflation = 1;
        /**
         * The series' buckets, the comparison's end and the guard's span: for the guard shifted by an hour
         * ({@link #shiftedCycle}) and the baseline's stretches ({@link #ordinaryExcursion}).
         */
        List<Bucket> all = List.of();
        long end;
        long guardStart;
        long guardEnd;

        Moments mb() {
            if (cutFrom != null) {
                return cutFrom.mb();
            }
            if (mb == null) {
                mb = merged(baseline);
            }
            return mb;
        }

        double[] rb() {
            if (rb == null) {
                rb = reservoir(baseline, kBaseline);
            }
            return rb;
        }

        Tested test(double alpha, Gates gates, double sign) {
            return test(alpha, gates, sign, alpha);
        }

        /**
         * Mann-Whitney's p below alpha and Welch's below welchAlpha ({@link #WELCH_NOT_REQUIRED}: significance
         * from Mann-Whitney alone; Welch is reported either way).
         */
        Tested test(double alpha, Gates gates, double sign, double welchAlpha) {
            main = new Change(this::mb, mc, rankedBaseline, rankedComparison, inflation);
            against = mg != null ? new Change(mg, mc, rankedGuard, rankedComparison, inflation) : null;
            Tested t = new Tested();
            t.windows = this;
            t.alpha = alpha;
            t.welchAlpha = welchAlpha;
            t.decision = RegressionEvaluator.this.decide(main, against, fullDay, shortSequential(), alpha, gates, sign, welchAlpha);
            // A short sequential window's relative change must pass the gate by a standard error: on a series growing 4% a
            // day, such windows of 15 minutes were 7% to 9% above the day before now and then.
            if (t.decision.verdict != Verdict.NONE && shortSequential() && !practicalBeyondNoise(t.decision.change, gates)) {
                t.decision = new Decision(Verdict.NONE, t.decision.change);
            }
            if (t.decision.verdict != Verdict.NONE && (fullDay && shiftedCycle(t.decision.change)
                    || shorterThanTheComparisonWindow() && ordinaryExcursion(sign))) {
                t.decision = new Decision(Verdict.NONE, t.decision.change);
            }
            return t;
        }

        /** Whether these windows' comparison is shorter than the comparison window (a short excursion's, or a sequential window's). */
        boolean shorterThanTheComparisonWindow() {
            return end - compStart < cfg.comparisonWindow.toMillis();
        }

        /** Whether these are the sequential test's windows since a recent change point (shorter than the comparison window, not cut from it). */
        boolean shortSequential() {
            return cutFrom == null && shorterThanTheComparisonWindow();
        }

        /**
         * Whether the change passes the practical gate on relative change with the comparison's mean moved one standard
         * error of the difference towards the reference's.
         */
        boolean practicalBeyondNoise(Change c, Gates gates) {
            Moments b = c.mb();
            double diff = mc.mean() - b.mean();
            double se = Math.sqrt(b.sampleVariance() / b.count() + mc.sampleVariance() / mc.count());
            if (!(Math.abs(diff) > se)) {
                return false;
            }
            return practicalSize(b.mean(), mc.mean() - Math.signum(diff) * se, gates.ratio()) >= gates.minRelativeChange();
        }

        /**
         * Whether a change found in a window shorter than the comparison window (a short excursion, or the sequential
         * test's data since a recent change point) is one the baseline holds too: {@link #ORDINARY_STRETCHES} stretches
         * of the baseline as long, apart, each of which rose against the hour before it (in the worse direction) by
         * {@link #ORDINARY_SHARE} of the comparison's rise against the hour before it at least (the hour before the
         * comparison hour, for a short window of it). A periodic batch job, memory in a sawtooth between collections:
         * their stretches are far from the baseline's values taken one by one, and an everyday sight against their own
         * neighbourhood. Each stretch must stand out against the hour after it too: a rise that stays (the ramp of a
         * daily cycle, into a busy day's plateau) is a level, not an excursion, and one such ramp had ruled out every
         * short window of a step that day. Not for an hour or more: against the hour before, a daily cycle's edge would
         * read as such a rise. Nothing is ruled out while the hour before the comparison holds less than half its intervals.
         */
        boolean ordinaryExcursion(double sign) {
            long interval = cfg.evaluationInterval.toMillis();
            long hour = cfg.comparisonWindow.toMillis();
            // The stretch is as long as the comparison's buckets span; each is set against the hour that ended as far
            // before it as the baseline ends before the comparison (a short window's, the comparison hour's start: the
            // earlier part of an excursion is not its own reference), and the stretches lie within the baseline.
            long len = comparison.get(comparison.size() - 1).start + interval - compStart;
            long baseEnd = cutFrom != null ? cutFrom.compStart : compStart;
            long gap = compStart - baseEnd;
            int n = all.size();
            double[] sums = new double[n + 1];
            long[] counts = new long[n + 1];
            int[] held = new int[n + 1];
            for (int i = 0; i < n; i++) {
                Bucket b = all.get(i);
                boolean ok = b.count > 0 && !Double.isNaN(b.mean);
                // Each bucket without its most extreme value the worse way (of two or more): two values of a heavy tail
                // in one stretch are not a rise its whole length (a +100% spike on a log-normal latency was ruled out by
                // such stretches, 9 of 294 spikes at one value a minute).
                boolean trim = ok && b.count > 1 && !Double.isInfinite(sign > 0 ? b.max : b.min);
                sums[i + 1] = sums[i] + (ok ? b.count * b.mean - (trim ? (sign > 0 ? b.max : b.min) : 0) : 0);
                counts[i + 1] = counts[i] + (ok ? b.count - (trim ? 1 : 0) : 0);
                held[i + 1] = held[i] + (ok ? 1 : 0);
            }
            int c = ChangeShape.firstAtOrAfter(all, baseEnd);
            int h = ChangeShape.firstAtOrAfter(all, baseEnd - hour);
            if ((held[c] - held[h]) * 2 < hour / interval) {
                return false;
            }
            int from = ChangeShape.firstAtOrAfter(all, compStart);
            int to = ChangeShape.firstAtOrAfter(all, compStart + len);
            double excess = sign * ((sums[to] - sums[from]) / (counts[to] - counts[from]) - (sums[c] - sums[h]) / (counts[c] - counts[h]));
            if (Double.isNaN(excess)) {
                return false;
            }
            int found = 0;
            long next = Long.MIN_VALUE;
            for (int j = baseline.isEmpty() ? n : ChangeShape.firstAtOrAfter(all, baseline.get(0).start);
                    j < n && all.get(j).start + len + gap + hour <= baseEnd; j++) {
                long s = all.get(j).start;
                if (s < next) {
                    continue;
                }
                int e = ChangeShape.firstAtOrAfter(all, s + len);
                int refEnd = ChangeShape.firstAtOrAfter(all, s - gap);
                int refStart = ChangeShape.firstAtOrAfter(all, s - gap - hour);
                int afterStart = ChangeShape.firstAtOrAfter(all, s + len + gap);
                int afterEnd = ChangeShape.firstAtOrAfter(all, s + len + gap + hour);
                if ((held[e] - held[j]) * 2 < len / interval || (held[refEnd] - held[refStart]) * 2 < hour / interval
                        || (held[afterEnd] - held[afterStart]) * 2 < hour / interval) {
                    continue;
                }
                double mean = (sums[e] - sums[j]) / (counts[e] - counts[j]);
                double stretch = Math.min(sign * (mean - (sums[refEnd] - sums[refStart]) / (counts[refEnd] - counts[refStart])),
                        sign * (mean - (sums[afterEnd] - sums[afterStart]) / (counts[afterEnd] - counts[afterStart])));
                if (stretch >= ORDINARY_SHARE * excess) {
                    next = s + len;
                    if (++found >= ORDINARY_STRETCHES) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * Whether the change is the daily cycle come an hour early or late (a service that follows local time, after
         * a daylight-saving change): the comparison's mean does not differ from the day-ago guard's span shifted by
         * {@link #SEASONAL_SHIFT} one way or the other in the change's direction by {@link #GUARD_SHARE} of the change
         * at least (the rule the day-ago guard applies to the day's baseline). A window shorter than the comparison window
         * is also set against its own span a day earlier, moved by 0 to SEASONAL_SHIFT either way in {@link #SHORT_SHIFTS}
         * steps: a ramp that comes 20 minutes early reads as a change against the guard's hour, not against the same span
         * moved that far. A shifted span with less than half its intervals held rules nothing out.
         */
        boolean shiftedCycle(Change decided) {
            double shift = mc.mean() - (mg != null ? mg.mean() : decided.mb().mean());
            for (long by : new long[] {-SEASONAL_SHIFT, SEASONAL_SHIFT}) {
                double against = againstShiftedGuard(by);
                if (!Double.isNaN(against) && !showsAsMuch(against, shift)) {
                    return true;
                }
            }
            if (shorterThanTheComparisonWindow()) {
                // Bucket levels (each a trimmed mean), not means: the spans are short, and one value of a heavy tail in
                // one of them would rule out a spike.
                double level = level(comparison);
                double reference = guard.size() * 2 >= Math.max(end - compStart, cfg.comparisonWindow.toMillis()) / cfg.evaluationInterval.toMillis()
                        ? level(guard) : level - levelAgainstOwnSpanDayAgo(level, 0);
                double levelShift = level - reference;
                long step = SEASONAL_SHIFT / SHORT_SHIFTS;
                // (Neither the guard nor the span a day earlier held: nothing to measure the change by, nothing ruled out.)
                for (long by = -SEASONAL_SHIFT; !Double.isNaN(levelShift) && by <= SEASONAL_SHIFT; by += step) {
                    double against = levelAgainstOwnSpanDayAgo(level, by);
                    if (!Double.isNaN(against) && !showsAsMuch(against, levelShift)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** {@code level} minus the level of the comparison's own span a day earlier moved by {@code by}; NaN when fewer than half its intervals hold data. */
        private double levelAgainstOwnSpanDayAgo(double level, long by) {
            long interval = cfg.evaluationInterval.toMillis();
            long from = compStart - DAY + by;
            long to = Math.min(end - DAY + by, compStart);
            if (from < all.get(0).start) {
                return Double.NaN;
            }
            List<Bucket> span = range(all, from, to);
            if (span.size() * 2 < (end - compStart) / interval) {
                return Double.NaN;
            }
            return level - level(span);
        }

        /**
         * The comparison's mean minus the mean of the series' buckets in the guard's span moved by {@code by}; NaN when
         * fewer than half its intervals hold data. Where the history held or the comparison's start cuts the moved span
         * short (a long sequential window's, whose guard reaches back to the oldest bucket), the comparison's part a day
         * after the part held.
         */
        private double againstShiftedGuard(long by) {
            long interval = cfg.evaluationInterval.toMillis();
            // The guard ends where the baseline does (a comparison of more than a day overlaps its span a day later).
            long end = Math.min(guardEnd, compStart);
            long from = Math.max(guardStart + by, all.get(0).start);
            long to = Math.min(end + by, compStart);
            List<Bucket> span = range(all, from, to);
            if (span.size() * 2 < (end - guardStart) / interval) {
                return Double.NaN;
            }
            double comparisonMean = mc.mean();
            if ((from > guardStart + by || to < end + by) && guardStart + DAY == compStart) {
                List<Bucket> part = range(comparison, from - by + DAY, to - by + DAY);
                if (part.isEmpty()) {
                    return Double.NaN;
                }
                comparisonMean = merged(part).mean();
            }
            return comparisonMean - merged(span).mean();
        }

        Decision decide(Change main, Change against, double alpha, Gates gates, double sign) {
            return RegressionEvaluator.this.decide(main, against, fullDay, shortSequential(), alpha, gates, sign, alpha);
        }

        /** The newest {@code buckets} of the comparison on their own, against the same baseline and guard. */
        Windows shortened(int buckets) {
            Windows s = new Windows();
            s.comparison = new ArrayList<>(comparison.subList(comparison.size() - buckets, comparison.size()));
            s.compStart = s.comparison.get(0).start;
            s.baseline = baseline;
            s.guard = guard;
            s.all = all;
            s.end = end;
            s.guardStart = guardStart;
            s.guardEnd = guardEnd;
            s.fullDay = fullDay;
            s.kComparison = kComparison;
            s.cutFrom = this;
            s.inflation = inflation;
            s.mg = mg;
            s.rb = rb;
            s.kBaseline = kBaseline;
            s.rankedBaseline = rankedBaseline;
            s.rankedGuard = rankedGuard;
            s.mc = merged(s.comparison);
            if (s.mc.count() < 2) {
                return null;
            }
            s.rc = reservoir(s.comparison, kComparison);
            s.rankedComparison = ranked(s.rc);
            return s;
        }
    }

    /** A tested comparison: its windows, the decision, and which test it was. */
    private static final class Tested {
        Windows windows;
        Decision decision;
        String test;
        /** The levels the decision was tested at: Mann-Whitney's, and Welch's ({@link #WELCH_NOT_REQUIRED}: none). */
        double alpha;
        double welchAlpha;
    }

    /**
     * The windows for a comparison [compStart, t), with the baseline window before it and the seasonal
     * guard (the same span a day earlier when the baseline reaches back a day, else the span before the
     * comparison); null when the comparison has fewer than minBuckets buckets or the baseline is short.
     * The rank tests take the baseline sorted by {@code sortedBaselines} (kept from the series' last
     * evaluation of the same kind).
     */
    private Windows windows(long compStart, long t, List<Bucket> buckets, long minBuckets, SlidingSortedBaseline sortedBaselines,
            String component, String metric) {
        long interval = cfg.evaluationInterval.toMillis();
        long span = t - compStart;
        long baseStart = compStart - cfg.baselineWindow.toMillis();
        Windows w = new Windows();
        w.compStart = compStart;
        // Buckets are sorted by start: each window is a range of them (views, not copies).
        int compFrom = ChangeShape.firstAtOrAfter(buckets, compStart);
        w.comparison = buckets.subList(compFrom, Math.max(compFrom, ChangeShape.firstAtOrAfter(buckets, t)));
        w.baseline = buckets.subList(Math.min(compFrom, ChangeShape.firstAtOrAfter(buckets, baseStart)), compFrom);
        // The baseline holds data in nine tenths of min-baseline's intervals at least: a short outage (a missed
        // scrape of ten minutes) does not stop the series' evaluations until it has left the baseline a day later.
        // With the same span a day earlier held (below), half is enough: that guard decides then, and an outage of
        // three hours had stopped them for a day (a +30% step as the data came back found 17 hours later).
        // And the series' history reaches back min-baseline: a young series is not evaluated on nine tenths of a
        // day (its baseline without a full daily cycle, and no day-ago guard: false findings on unchanged series).
        boolean covered = w.baseline.size() * interval >= COVERED * cfg.minBaseline.toMillis();
        if (w.comparison.size() < Math.max(1, minBuckets) || w.baseline.size() * interval < COVERED_WITH_GUARD * cfg.minBaseline.toMillis()
                || w.baseline.isEmpty() || buckets.get(0).start > compStart - cfg.minBaseline.toMillis()) {
            return null;
        }
        long spanBuckets = span / interval;
        w.kComparison = perBucket(Math.max(spanBuckets, cfg.comparisonWindow.toMillis() / interval));
        // Reservoirs are bottom-k samples, so a prefix of each is too: a short baseline gets a larger share.
        int kBaseline = Math.min(perBucket(w.baseline.size()), bucketCapacity());
        w.kBaseline = kBaseline;
        w.mc = merged(w.comparison);
        if (!twoValuesOrMore(w.baseline) || w.mc.count() < 2) {
            return null;
        }
        List<Bucket> baseline = w.baseline;
        w.rankedBaseline = new Ranked(() -> sortedBaselines.sorted(component, metric, baseline, kBaseline), true);
        w.rc = reservoir(w.comparison, w.kComparison);
        w.rankedComparison = ranked(w.rc);
        // A full day: the baseline window is a day or more and the series' history reaches back a day before the
        // comparison. Not the baseline's first bucket: an irregular series (samples at random times, ten minutes
        // apart on average, in 30-minute intervals) has no bucket at the day's very start one evaluation in
        // twenty, and each such evaluation lost the day-ago guard, so a daily cycle of +-15% read as a change
        // (a false finding on half of such series in three days).
        w.fullDay = w.baseline.get(0).start <= compStart - DAY
                || cfg.baselineWindow.toMillis() >= DAY && buckets.get(0).start <= compStart - DAY;
        // The guard a day earlier spans at least the comparison window (ending where the comparison ends; a shorter
        // window's, the sequential test's data since a recent change point, centred on the window's own span, so that a
        // daily cycle's slope does not read as a change): a few intervals of a sparse series, a day apart, are too few
        // values for either test to say anything. It comes from the series' history, not the baseline's range: a short
        // window's hour a day earlier begins before the baseline does (cut there, such a window had no guard, and was
        // judged against the day's mean alone; jobs/REGRESSION.md "Business hours").
        long guardSpan = Math.max(span, cfg.comparisonWindow.toMillis());
        long guardStart = !w.fullDay ? compStart - span : span < guardSpan ? (compStart + t) / 2 - guardSpan / 2 - DAY : t - guardSpan - DAY;
        long guardEnd = w.fullDay ? guardStart + guardSpan : compStart;
        w.all = buckets;
        w.end = t;
        w.guardStart = guardStart;
        w.guardEnd = guardEnd;
        w.guard = range(buckets, guardStart, Math.min(guardEnd, compStart));
        w.mg = w.guard.size() * 2 >= (w.fullDay ? guardSpan : span) / interval ? merged(w.guard) : null;
        if (w.fullDay && w.mg == null && w.guard.size() * 2 < (Math.min(guardEnd, compStart) - Math.max(guardStart, buckets.get(0).start)) / interval) {
            // A day of history, but the span a day earlier is mostly missing where the baseline and the history
            // held should have it (an outage yesterday): the day's baseline alone mixes the daily cycle in, and a
            // comparison hour near the cycle's peak read as a change (a two-hour outage gave 14 of 20 unchanged
            // series with a daily cycle a finding the next day, at the same time). Not evaluable, as a short
            // baseline is not: no verdict, no miss. (A guard cut short by the baseline's start or the history held,
            // as a short or a long sequential window's is, is not missing data: the baseline decides, as before.)
            return null;
        }
        if (!covered && !(w.fullDay && w.mg != null)) {
            return null;
        }
        List<Bucket> guard = w.guard;
        int kGuard = w.kComparison;
        w.rankedGuard = new Ranked(() -> reservoir(guard, kGuard), false);
        return w;
    }

    /** The share of min-baseline's intervals the baseline must hold data in; with the day-ago guard held, the lower one. */
    static final double COVERED = 0.9;
    static final double COVERED_WITH_GUARD = 0.5;

    /** Moments of the newest quarter of the comparison window's buckets. */
    static Moments recentMoments(List<Bucket> comparison) {
        int tail = Math.max(1, comparison.size() / 4);
        return merged(comparison.subList(comparison.size() - tail, comparison.size()));
    }

    /** The tests of one comparison; Mann-Whitney (the costly one) only runs once the rest has passed. */
    private static final class Change {
        private java.util.function.Supplier<Moments> baselineMoments;
        private Moments mb;
        private final Moments mc;
        private double d;
        private double relative;
        private final Ranked rb;
        private final Ranked rc;
        private WelchTest.Result welch;
        private MannWhitneyU.Result mwu;
        private final double inflation;

        /** mb: the baseline's moments, merged the first time the change is looked at; inflation: of the tests' variances (1: none). */
        Change(java.util.function.Supplier<Moments> mb, Moments mc, Ranked rb, Ranked rc, double inflation) {
            this.baselineMoments = mb;
            this.mc = mc;
            this.rb = rb;
            this.rc = rc;
            this.inflation = inflation;
        }

        Change(Moments mb, Moments mc, Ranked rb, Ranked rc, double inflation) {
            this(() -> mb, mc, rb, rc, inflation);
        }

        private Moments mb() {
            if (mb == null) {
                mb = baselineMoments.get();
                baselineMoments = null;
                d = EffectSize.cohensD(mb, mc);
                relative = mb.mean() != 0 ? (mc.mean() - mb.mean()) / Math.abs(mb.mean()) : Double.NaN;
            }
            return mb;
        }

        /** Cohen's d of the comparison against the baseline. */
        double d() {
            mb();
            return d;
        }

        /** The comparison's mean relative to the baseline's. */
        double relative() {
            mb();
            return relative;
        }

        /**
         * |relative()| (infinite from a mean of exactly zero), for a ratio relative to the smaller of the baseline's mean and
         * its complement ({@link #practicalSize}).
         */
        double size(boolean ratio) {
            return practicalSize(mb().mean(), mc.mean(), ratio);
        }

        /** Welch's test, computed the first time it is needed (most comparisons fail the practical gates first). */
        WelchTest.Result welch() {
            if (welch == null) {
                welch = WelchTest.inflated(WelchTest.fromMoments(mb(), mc), inflation);
            }
            return welch;
        }

        MannWhitneyU.Result mwu() {
            if (mwu == null) {
                mwu = MannWhitneyU.inflated(MannWhitneyU.ofSorted(rb.sorted(), rc.sorted(), EXACT_MWU_SMALLER), inflation);
                double floor = rareValuesP(rb.sorted(), rc.sorted());
                if (floor > mwu.pValue()) {
                    mwu = new MannWhitneyU.Result(mwu.u(), mwu.z(), floor, false);
                }
            }
            return mwu;
        }
    }


    /**
     * For samples where one value is most of the pooled values (an error rate or a queue that is mostly exactly 0): the
     * exact two-sided p of the count of other values the comparison holds (hypergeometric: the comparison a random
     * subset of the pooled values), else 0. Mann-Whitney's normal approximation, its variance corrected for ties, is
     * far too small there: one minute with errors among ten, after a day of none, is p 4e-33 by it (scipy's too), 0.014
     * two-sided by the exact count; a regression test at alpha / 288 takes the larger of the two.
     */
    static double rareValuesP(double[] sortedBaseline, double[] sortedComparison) {
        int nb = sortedBaseline.length;
        int nc = sortedComparison.length;
        int n = nb + nc;
        if (nb == 0 || nc == 0) {
            return 0;
        }
        // The most common value of the baseline (sorted: its longest run), and how often each sample holds it.
        double common = sortedBaseline[0];
        int best = 0;
        for (int i = 0, j; i < nb; i = j) {
            for (j = i + 1; j < nb && sortedBaseline[j] == sortedBaseline[i]; j++) { }
            if (j - i > best) {
                best = j - i;
                common = sortedBaseline[i];
            }
        }
        int inComparison = 0;
        for (double v : sortedComparison) {
            inComparison += v == common ? 1 : 0;
        }
        if (2 * (best + inComparison) < n) {
            return 0; // no value is half the pooled values: the ranks are not mostly ties
        }
        int others = n - best - inComparison;
        int otherInComparison = nc - inComparison;
        org.apache.commons.math3.distribution.HypergeometricDistribution h =
                new org.apache.commons.math3.distribution.HypergeometricDistribution(null, n, others, nc);
        double upper = h.upperCumulativeProbability(otherInComparison);
        double lower = h.cumulativeProbability(otherInComparison);
        return Math.min(1, 2 * Math.min(upper, lower));
    }

    /** A comparison's reservoir for the rank tests: a sorted copy without NaN, made when first needed (the reservoir itself stays as it is). */
    private static Ranked ranked(double[] reservoir) {
        return new Ranked(() -> reservoir, false);
    }

    /**
     * A sample for the rank tests, made and sorted the first time a test needs it: the main comparison and
     * the short excursion windows test against the same baseline and guard, each comparison against both,
     * and most evaluations need no rank test at all. The baseline comes sorted from a
     * {@link SlidingSortedBaseline}; the guard's and the comparison's reservoirs are sorted copies.
     */
    static final class Ranked {
        private final java.util.function.Supplier<double[]> make;
        private final boolean madeSorted;
        private double[] sorted;

        /** madeSorted: make gives the values sorted and without NaN (an array no one may change). */
        Ranked(java.util.function.Supplier<double[]> make, boolean madeSorted) {
            this.make = make;
            this.madeSorted = madeSorted;
        }

        double[] sorted() {
            if (sorted == null) {
                sorted = madeSorted ? make.get() : MannWhitneyU.sortedWithoutNaN(make.get());
            }
            return sorted;
        }
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
    private Decision decide(Change main, Change against, boolean fullDay, boolean shortSequential, double alpha, Gates gates,
            double sign, double welchAlpha) {
        if (against == null) {
            return new Decision(verdictOf(main, alpha, gates, sign, welchAlpha), main);
        }
        Verdict guardVerdict = verdictOf(against, alpha, gates, sign, welchAlpha);
        if (fullDay && guardVerdict == Verdict.NONE) {
            // With a full day the change must show against the same hour yesterday: without that, nothing the
            // day's baseline says counts, and its rank test (a day's reservoir, sorted) is not needed. Except for the
            // sequential test's data since a recent change point, shorter than the comparison window: a spike of 4 values
            // at one value every 5 minutes cannot reach the corrected alpha against the guard's 12 (an exact rank test's
            // least p is 5e-4), so it counts when it does against the day's baseline, is at least half as large against
            // the guard, and shows there at the uncorrected alpha and half the gates.
            if (shortSequential) {
                Verdict verdict = verdictOf(main, alpha, gates, sign, welchAlpha);
                if (verdict != Verdict.NONE && showsAsMuch(against.relative(), main.relative())
                        && verdictOf(against, cfg.alpha, gates.scaled(GUARD_SHARE), sign, cfg.alpha) == verdict) {
                    return new Decision(verdict, main);
                }
            }
            return new Decision(Verdict.NONE, main);
        }
        Verdict verdict = verdictOf(main, alpha, gates, sign, welchAlpha);
        boolean mainHolds = verdict != Verdict.NONE && guardVerdict == verdict
                && Math.abs(against.relative()) >= GUARD_SHARE * Math.abs(main.relative());
        boolean seasonalHolds = fullDay && guardVerdict != Verdict.NONE;
        if (mainHolds) {
            return new Decision(verdict, main);
        }
        return seasonalHolds ? new Decision(guardVerdict, against) : new Decision(Verdict.NONE, main);
    }

    /** Welch's test is reported but not required (the short excursions': a rank test's significance alone). */
    static final double WELCH_NOT_REQUIRED = Double.POSITIVE_INFINITY;

    /** The verdict of one comparison: Mann-Whitney at alpha, Welch at welchAlpha, and the practical gates. */
    private Verdict verdictOf(Change c, double alpha, Gates gates, double sign, double welchAlpha) {
        // The practical gates first: most comparisons fail them, and then neither test is computed.
        boolean practical = c.size(gates.ratio()) >= gates.minRelativeChange() && Math.abs(c.d()) >= gates.minEffectSize();
        if (!practical || Double.isNaN(c.d())) {
            return Verdict.NONE;
        }
        boolean welch = welchAlpha == WELCH_NOT_REQUIRED || c.welch().pValue() < welchAlpha;
        if (!welch || !(c.mwu().pValue() < alpha)) {
            return Verdict.NONE;
        }
        return sign * c.d() > 0 ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
    }

    /**
     * 1 minus the larger of each required test's p over the level it was tested at (Mann-Whitney's over alpha,
     * Welch's over welchAlpha), times how far |d| is past its minimum (saturating at 2x).
     */
    private static double confidence(Change c, double alpha, double welchAlpha, Gates gates) {
        double share = c.mwu().pValue() / alpha;
        if (welchAlpha != WELCH_NOT_REQUIRED) {
            share = Math.max(share, c.welch().pValue() / welchAlpha);
        }
        double significance = Math.max(0, 1 - share);
        double effect = gates.minEffectSize() > 0 ? Math.min(1, Math.abs(c.d()) / (2 * gates.minEffectSize())) : 1;
        return significance * effect;
    }

    private int perBucket(long buckets) {
        return perBucket(cfg, buckets);
    }

    private static int perBucket(RegressionConfig cfg, long buckets) {
        return (int) Math.max(1, (cfg.reservoirSize + buckets - 1) / buckets);
    }

    /** Capacity of each bucket's reservoir: the comparison window's share. */
    public int bucketCapacity() {
        return bucketCapacity(cfg);
    }

    /** Capacity of each bucket's reservoir under {@code cfg}: the comparison window's share. */
    public static int bucketCapacity(RegressionConfig cfg) {
        return perBucket(cfg, cfg.comparisonWindow.toMillis() / cfg.evaluationInterval.toMillis());
    }

    /** Whether the buckets hold two values or more (as their merged moments' count would say, without the merge). */
    private static boolean twoValuesOrMore(List<Bucket> buckets) {
        long n = 0;
        for (Bucket b : buckets) {
            n += b.count;
            if (n >= 2) {
                return true;
            }
        }
        return false;
    }

    /** The buckets of {@code sorted} (by start) that start in [from, to): a view, not a copy. */
    static List<Bucket> range(List<Bucket> sorted, long from, long to) {
        int i = ChangeShape.firstAtOrAfter(sorted, from);
        return sorted.subList(i, Math.max(i, ChangeShape.firstAtOrAfter(sorted, to)));
    }

    /** The mean of the buckets' levels ({@link Bucket#trimmedMean}) over those holding values; NaN for none. */
    static double level(List<Bucket> buckets) {
        double sum = 0;
        int n = 0;
        for (Bucket b : buckets) {
            if (b.count > 0) {
                sum += b.trimmedMean();
                n++;
            }
        }
        return n > 0 ? sum / n : Double.NaN;
    }

    static Moments merged(List<Bucket> buckets) {
        Moments m = new Moments();
        for (Bucket b : buckets) {
            b.settle(); // evaluated buckets: nothing to do
            m.merge(b.count, b.mean, b.m2, b.min, b.max); // no object per bucket: a baseline is up to 288 of them
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
        fillSorted(stats, m, reservoir);
    }

    private static void fillSorted(RegressionFinding.SampleStats stats, Moments m, double[] reservoir) {
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
