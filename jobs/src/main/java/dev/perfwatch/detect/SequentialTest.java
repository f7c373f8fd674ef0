package dev.perfwatch.detect;

import dev.perfwatch.stats.Moments;

import java.util.List;

/**
 * A two-sided CUSUM over the series' deseasonalised bucket levels: evidence that grows with the change,
 * where a fixed comparison window (tested every interval) has a fixed power.
 *
 * <p>Each bucket, once complete, gives a residual: its robust level (trimmed mean) minus the level of
 * the same bucket a day earlier. Only that one bucket: an average over the hour around it would be less
 * noisy, but its error is shared by neighbouring residuals, a slow drift the CUSUM adds up (seen while
 * developing: about 5x the stated false-alarm rate with an hour's average; jobs/REGRESSION.md gives the
 * rate now, {@code regression-bench --calibrate}). Residuals are
 * in units of their noise, measured on the series itself from successive residual differences (a step
 * moves one difference, clipped) as their running mean absolute value over up to a week (robust to heavy
 * tails), taken one standard error high; nothing is tested before {@link #NOISE_WARM_UP} differences
 * (6 hours of 5-minute buckets), or a day's when a day holds fewer (at least 24: a half-hourly series,
 * evaluated over 30-minute buckets, is tested from its second day of references instead of its third).
 * Residuals are clipped at {@link #CLIP}, and divided by their long-run scale when that is larger (successive differences of hourly block means: real days wander). The tuning follows
 * the series' own sampling: with n values a bucket, a per-value shift of {@link #DESIGN_EFFECT} standard
 * deviations is a shift of {@code DESIGN_EFFECT * sqrt(n / 2)} residual units (today and yesterday
 * both carry noise), the reference value k is half of that, and the threshold h is the one at which
 * Siegmund's approximation of the in-control run length equals {@code 4 / alpha} days of buckets (per
 * side); a second CUSUM is tuned the same way to {@link #FAST_EFFECT} (a CUSUM tuned to a small shift
 * is slow on a larger one): alpha false alarms per series-day in all for independent normal residuals. An alarm names the change
 * point (where the run that crossed h began); the window test then confirms the change between the
 * baseline and the data since that point.
 *
 * <p>Restores exactly: the statistics are keyed state ({@link Cusum}), updated once per bucket at the
 * evaluation just after it, in event time, in streaming and batch alike.
 */
public final class SequentialTest {

    /** The per-value effects (in standard deviations) the two CUSUMs are tuned to find fastest. */
    static final double DESIGN_EFFECT = 0.5;
    static final double FAST_EFFECT = 1.5;
    /** The bucket-unit design shift is kept within these (very dense series: the gates decide). */
    static final double MIN_SHIFT = 0.5;
    static final double MAX_SHIFT = 3.0;
    /** Residuals are clipped at this many noise units. */
    static final double CLIP = 6.0;
    /** The standard deviation of a normal variable over its mean absolute value, sqrt(pi / 2). */
    static final double ABS_TO_SD = Math.sqrt(Math.PI / 2);
    /** Differences (of residuals, of block means) are clipped at this many of their standard deviations once warm. */
    static final double DIFF_CLIP = 4.0;
    /** Residual differences before anything is tested (6 hours of 5-minute buckets; a day's if fewer, at least 24), and the noise estimate's memory (a week). */
    static final int NOISE_WARM_UP = 72;
    static final int NOISE_MEMORY = 2016;
    /** Buckets per block for the long-run noise (an hour at 5-minute buckets), and block differences before it is used. */
    static final int BLOCK = 12;
    static final int MIN_BLOCKS = 6;
    /**
     * The variance inflation's scales average absolute differences (a step or an outlier moves a mean of
     * squares far more): Var|Z| / (E|Z|)^2 = pi / 2 - 1 for a normal Z, so the squared ratio of two such means
     * has about 4 (pi / 2 - 1) / n relative variance from n of them.
     */
    static final double ABS_RELATIVE_VARIANCE = Math.PI / 2 - 1;
    /**
     * Successive first differences of independent values are correlated -0.5, their absolute values 0.222:
     * the variance of the mean of those is 1 + 2 (0.222) = 1.44 times that of as many independent ones.
     */
    static final double DIFF_OVERLAP = 1.44;
    /**
     * Third differences of independent values are correlated -0.75, 0.3 and -0.05 at lags 1 to 3, their
     * absolute values 0.52, 0.08 and 0.002: the variance of their mean is 2.2 times that of as many independent ones.
     */
    static final double TREND_OVERLAP = 2.2;
    /** Statistics are capped at this multiple of h, so a series that is back ends the episode in a bounded time. */
    static final double CAP = 1.0;
    /** An open episode holds while the statistic in its direction is at least this share of h. */
    static final double HOLD_SHARE = 0.5;

    private final long interval;
    private final double alpha;
    private final int warmUp;
    /**
     * Until its blocks span a day (24 hourly blocks at 5-minute buckets), the long-run scale is at least the
     * first day's ({@link #firstDayLongRun}): from a few blocks its estimate wanders by half (a variance from
     * n differences has a relative standard deviation of sqrt(2 / n)), and the false-alarm rate is
     * exponential in it.
     */
    private final long youngBlocks;
    /**
     * Whether the first day's long-run scale is used: its third differences of four blocks cancel a daily
     * cycle's curve when the blocks span a small part of the day (hourly blocks, 4 hours: (2 sin(pi / 24))^3,
     * 2% of the cycle's amplitude, is left), less so when they span more (2-hour blocks of a 10-minute stride:
     * 14%; 6-hour blocks of a half-hourly series: 2.8 times the amplitude, the cycle taken for noise). Used
     * where the four blocks span at most 4 hours: with the 5-minute interval, series sampled every 5 minutes
     * or more often.
     */
    private final boolean firstDayScale;
    private final java.util.Map<Double, Double> thresholds = new java.util.HashMap<>();

    /** @param interval the bucket (evaluation) interval; @param alpha false alarms per series-day. */
    public SequentialTest(long interval, double alpha) {
        this.interval = interval;
        this.alpha = alpha;
        this.warmUp = (int) Math.max(24, Math.min(NOISE_WARM_UP, RegressionEvaluator.DAY / interval));
        this.youngBlocks = youngBlocks(interval);
        this.firstDayScale = cycleCancels(interval);
    }

    /** The CUSUM statistics of one series (keyed state, inside its {@link Episode}). */
    public static class Cusum {
        /** The CUSUM tuned to DESIGN_EFFECT, and the one tuned to FAST_EFFECT (threshold 0: none, both tunings alike). */
        public Statistic slow = new Statistic();
        public Statistic fast = new Statistic();
        /** The start of the newest bucket applied. */
        public long last = Long.MIN_VALUE;
        /** The running mean absolute successive residual difference, and how many differences it has seen. */
        public double meanAbsDiff;
        public long n;
        /**
         * The current block of z scores (sum, count), the mean of the block before it (NaN: none yet), and
         * half the running mean square of successive block-mean differences over how many of them.
         */
        public double blockSum;
        public int blockCount;
        public double previousBlock = Double.NaN;
        /** The mean of the block before previousBlock (NaN: none yet): block differences are taken two apart. */
        public double blockBefore = Double.NaN;
        public double blockVar;
        public long blocks;
        /**
         * For the window tests' variance inflation ({@link #varianceInflation}), at three scales, each the
         * running means of an absolute difference and of its standard deviation were values independent, and
         * how many: successive intervals' means, from the series' first (the reference from the variance of
         * values of the last complete hour, NaN: none yet); the third difference of successive hourly means;
         * successive hours' mean residuals against yesterday. The hours' own figures come from the retained
         * intervals at each hour's end: nothing else is kept.
         */
        public double stepAbsolute;
        public double stepIndependent;
        public long steps;
        public double hourVariance = Double.NaN;
        public double trendAbsolute;
        public double trendIndependent;
        public long trendHours;
        public double hourAbsolute;
        public double hourIndependent;
        public long hours;

        /** Both statistics back to zero (a restart after an alarm). */
        public void restart() {
            slow.up = slow.down = 0;
            fast.up = fast.down = 0;
        }
    }

    /** One two-sided CUSUM: its statistics, where their runs began, and its threshold h (0: not in use) and reference k. */
    public static class Statistic {
        public double up;
        public long upSince = Long.MIN_VALUE;
        public double down;
        public long downSince = Long.MIN_VALUE;
        public double h;
        public double k;

        /** Adds the residual z (noise units) of the bucket starting at {@code start}. */
        void add(double z, long start, double k, double h) {
            upSince = up == 0 ? start : upSince;
            downSince = down == 0 ? start : downSince;
            up = Math.min(CAP * h, Math.max(0, up + z - k));
            down = Math.min(CAP * h, Math.max(0, down - z - k));
            this.h = h;
            this.k = k;
        }

        void clear() {
            up = down = h = 0;
        }

        /** The side at or over the threshold, or null (both sides cannot be: their sum falls by 2k while both are positive). */
        Alarm alarm() {
            if (h <= 0) {
                return null;
            }
            if (up >= h && up >= down) {
                return new Alarm(1, upSince, up, h);
            }
            return down >= h ? new Alarm(-1, downSince, down, h) : null;
        }

        boolean holds(int side) {
            return h > 0 && (side > 0 ? up : down) >= HOLD_SHARE * h;
        }
    }

    /** An alarm: the direction (+1 higher, -1 lower), the change point, the statistic and its threshold. */
    public record Alarm(int side, long since, double statistic, double threshold) {}

    /**
     * Applies the newest complete bucket (the one ending at t), if it has not been applied and it and the
     * bucket before it have a day-ago reference. buckets: sorted by start, all retained ones before t.
     */
    public void update(Cusum c, long t, List<Bucket> buckets) {
        int n = buckets.size();
        if (n < 2) {
            return;
        }
        Bucket newest = buckets.get(n - 1);
        Bucket previous = buckets.get(n - 2);
        if (newest.start != t - interval || newest.start <= c.last) {
            return;
        }
        c.last = newest.start;
        boolean adjacent = previous.start == newest.start - interval;
        stepUpdate(c, newest, adjacent ? previous : null);
        if ((newest.start + interval) % (BLOCK * interval) == 0) {
            hourEnd(c, buckets, newest.start + interval);
        }
        Bucket ref = dayAgo(buckets, newest.start);
        Bucket previousRef = dayAgo(buckets, previous.start);
        if (ref == null || previousRef == null || !adjacent) {
            return; // no day-ago reference (the first day, a gap): nothing applied (the window test still runs)
        }
        double r0 = newest.trimmedMean() - ref.trimmedMean();
        double r1 = previous.trimmedMean() - previousRef.trimmedMean();
        // The noise: from successive residual differences (a step moves one of them), as their running mean
        // absolute value (up to a week), clipped at DIFF_CLIP of their standard deviation once warm. The mean
        // absolute difference, not the mean square: latencies' heavy tails (a value in 200 at 3x to 8x)
        // made the squares' scale about 1.3 times the noise that most buckets have, and a 20% step of
        // a 5-minute latency series was never found. Nothing is tested before NOISE_WARM_UP differences (a
        // few hours' estimate wanders by 10-15%, and a CUSUM's false-alarm rate is exponential in the noise
        // it is told: an underestimate doubles it).
        double absDiff = Math.abs(r0 - r1);
        if (c.meanAbsDiff == 0) {
            c.n = 0; // no noise seen yet (a flat series so far): no estimate, so the warm-up starts when it varies
        }
        double diffSd = c.meanAbsDiff * ABS_TO_SD;
        c.n++;
        c.meanAbsDiff += ((c.n > warmUp ? Math.min(absDiff, DIFF_CLIP * diffSd) : absDiff) - c.meanAbsDiff) / Math.min(c.n, NOISE_MEMORY);
        if (c.n <= warmUp) {
            return;
        }
        // An upper bound (one standard error) of the noise, not the estimate: the false-alarm rate is
        // exponential in it, so an estimate a few percent low costs more than one a few percent high gains.
        // (The relative standard error of a mean absolute value of normal variables is sqrt((pi / 2 - 1) / n).)
        double s = c.meanAbsDiff * ABS_TO_SD / Math.sqrt(2) * (1 + Math.sqrt((Math.PI / 2 - 1) / Math.min(c.n, NOISE_MEMORY)));
        if (!(s > 0)) {
            return;
        }
        double z = Math.max(-CLIP, Math.min(CLIP, r0 / s));
        // The CUSUM adds residuals up: what matters is the noise of their sums, the long-run one. Real
        // days differ by more than the noise from one bucket to the next (traffic, load, releases), so the
        // residuals against yesterday wander. The mean z of each block of BLOCK buckets measures that, by
        // differences of block means two blocks apart (a change moves two, clipped; block means themselves
        // would count a change's own shift as noise, and grow with it until it is no longer found): their
        // long-run standard deviation, when over 1, divides z (on independent residuals it is about 1).
        // Two apart, not neighbours: residuals correlated from one bucket to the next (AR(1) noise of 0.95
        // from one value a minute to the next is 0.84 between 5-minute means) make neighbouring blocks alike,
        // and half their squared difference measured 29 noise variances of a block's 37 (the long run: 54;
        // jobs/bench/src/test/resources/regression/ar_blocks.py); two blocks apart, 36.7: the blocks are an
        // hour apart and nearly independent, and on independent residuals nothing changes.
        c.blockSum += z;
        if (++c.blockCount == BLOCK) {
            double mean = c.blockSum / BLOCK;
            if (!Double.isNaN(c.blockBefore)) {
                double half = (mean - c.blockBefore) * (mean - c.blockBefore) / 2;
                c.blocks++;
                c.blockVar += ((c.blocks > MIN_BLOCKS ? Math.min(half, DIFF_CLIP * DIFF_CLIP * c.blockVar) : half) - c.blockVar)
                        / Math.min(c.blocks, NOISE_MEMORY / BLOCK);
            }
            c.blockBefore = c.previousBlock;
            c.previousBlock = mean;
            c.blockSum = 0;
            c.blockCount = 0;
        }
        z /= Math.sqrt(longRun(c, youngBlocks, firstDayScale));
        double perBucket = Math.min(newest.count, ref.count);
        // Two CUSUMs, each at half the false-alarm rate: one tuned to DESIGN_EFFECT (weak changes), one to
        // FAST_EFFECT (a CUSUM tuned to a small shift is slow on a larger one: a 20% step of a CPU series).
        double shift = shift(DESIGN_EFFECT, perBucket);
        c.slow.add(z, newest.start, shift / 2, threshold(shift / 2));
        double fastShift = shift(FAST_EFFECT, perBucket);
        if (fastShift <= shift) {
            c.fast.clear(); // both capped alike (dense series): one CUSUM
        } else {
            c.fast.add(z, newest.start, fastShift / 2, threshold(fastShift / 2));
        }
    }

    /**
     * The variance inflation's first scale, from every interval: the absolute difference of the newest
     * interval's mean and the previous one's (adjacent; null: a gap) against the standard deviation the last
     * complete hour's variance of values predicts for it.
     */
    private static void stepUpdate(Cusum c, Bucket newest, Bucket previous) {
        if (previous == null || newest.count == 0 || previous.count == 0 || !(c.hourVariance > 0)) {
            return;
        }
        double diff = newest.mean() - previous.mean();
        double independent = c.hourVariance * (1.0 / newest.count + 1.0 / previous.count);
        if (!Double.isFinite(diff) || !Double.isFinite(independent)) {
            return;
        }
        c.steps++;
        long memory = Math.min(c.steps, NOISE_MEMORY);
        // A step moves one difference: clipped at DIFF_CLIP of the differences' mean absolute value once warm.
        double absolute = c.steps > NOISE_WARM_UP ? Math.min(Math.abs(diff), DIFF_CLIP * c.stepAbsolute) : Math.abs(diff);
        c.stepAbsolute += (absolute - c.stepAbsolute) / memory;
        c.stepIndependent += (Math.sqrt(independent) - c.stepIndependent) / memory;
    }

    /** An hour's figures from its retained intervals: the moments of its values and of their day-ago ones, its mean residual. */
    private static final class Hour {
        final Moments values = new Moments();
        final Moments dayAgo = new Moments();
        int intervals;
        double residualSum;
        int residuals;
        double inverseCounts;
        double dayAgoInverseCounts;

        /** Independent values' variance of the hour's mean of values. */
        double meanVariance() {
            return values.sampleVariance() / values.count();
        }

        /** Independent values' variance of the hour's mean residual: each interval mean's variance, averaged over them. */
        double residualVariance() {
            return (values.sampleVariance() * inverseCounts + dayAgo.sampleVariance() * dayAgoInverseCounts) / ((double) residuals * residuals);
        }
    }

    /**
     * At the end of each hour (BLOCK intervals, aligned): the last four hours' figures from the retained
     * intervals (those with values; an hour with fewer than 3/4 of its intervals counts as missing), then the
     * step scale's reference (the newest hour's variance of values), the trend scale (the third difference of
     * the four hourly means, h0 - 3 h1 + 3 h2 - h3: a level, a trend and the curve of a daily cycle over three
     * hours cancel; its standard deviation for independent values from the hours' variances of their means,
     * weighted 1, 9, 9, 1) and the day-ago scale (the difference of the two newest hours' mean residuals
     * against yesterday, where every interval has a day-ago one). Each clipped once warm, as the others.
     */
    private void hourEnd(Cusum c, List<Bucket> buckets, long end) {
        long block = BLOCK * interval;
        Hour[] h = new Hour[4];
        for (int k = 0; k < h.length; k++) {
            h[k] = new Hour();
        }
        for (int i = buckets.size() - 1; i >= 0 && buckets.get(i).start >= end - h.length * block; i--) {
            Bucket b = buckets.get(i);
            if (b.start >= end || b.count == 0 || !Double.isFinite(b.mean())) {
                continue;
            }
            Hour hour = h[(int) ((end - 1 - b.start) / block)];
            hour.values.merge(b.moments());
            hour.intervals++;
            Bucket ref = hour == h[0] || hour == h[1] ? dayAgo(buckets, b.start) : null;
            if (ref != null && ref.count > 0 && Double.isFinite(ref.mean())) {
                hour.residualSum += b.mean() - ref.mean();
                hour.residuals++;
                hour.dayAgo.merge(ref.moments());
                hour.inverseCounts += 1.0 / b.count;
                hour.dayAgoInverseCounts += 1.0 / ref.count;
            }
        }
        int full = BLOCK * 3 / 4;
        if (h[0].intervals >= full) {
            double v = h[0].values.sampleVariance();
            if (Double.isFinite(v)) {
                c.hourVariance = v;
            }
        }
        boolean four = true;
        for (Hour hour : h) {
            four &= hour.intervals >= full && hour.meanVariance() > 0;
        }
        if (four) {
            double d = h[0].values.mean() - 3 * h[1].values.mean() + 3 * h[2].values.mean() - h[3].values.mean();
            double independent = h[0].meanVariance() + 9 * h[1].meanVariance() + 9 * h[2].meanVariance() + h[3].meanVariance();
            if (Double.isFinite(d) && Double.isFinite(independent)) {
                c.trendHours++;
                long memory = Math.min(c.trendHours, NOISE_MEMORY / BLOCK);
                double absolute = c.trendHours > MIN_BLOCKS ? Math.min(Math.abs(d), DIFF_CLIP * c.trendAbsolute) : Math.abs(d);
                c.trendAbsolute += (absolute - c.trendAbsolute) / memory;
                c.trendIndependent += (Math.sqrt(independent) - c.trendIndependent) / memory;
            }
        }
        if (h[0].residuals >= full && h[1].residuals >= full) {
            double d = h[0].residualSum / h[0].residuals - h[1].residualSum / h[1].residuals;
            double independent = h[0].residualVariance() + h[1].residualVariance();
            if (Double.isFinite(d) && Double.isFinite(independent) && independent > 0) {
                c.hours++;
                long memory = Math.min(c.hours, NOISE_MEMORY / BLOCK);
                double absolute = c.hours > MIN_BLOCKS ? Math.min(Math.abs(d), DIFF_CLIP * c.hourAbsolute) : Math.abs(d);
                c.hourAbsolute += (absolute - c.hourAbsolute) / memory;
                c.hourIndependent += (Math.sqrt(independent) - c.hourIndependent) / memory;
            }
        }
    }

    /**
     * How many times the variance of a window's mean exceeds what the window's own variance of values
     * and count say it is, as Welch's and Mann-Whitney's tests take it (at least 1): those tests assume
     * independent values, and metrics sampled often are not (a CPU or queue series at one value a minute
     * carries much of each value into the next, and an hour of them holds far fewer independent values than
     * sixty). Measured on the series itself at three scales, each as the squared ratio of the running mean
     * absolute difference of successive means (a level or a slow cycle barely moves them; absolute values,
     * clipped, so that a step or an outlier moves them little) to what independent values would make it,
     * taken {@code standardErrors} of its standard errors low (on independent values each is about 1, and an
     * estimate a little over 1 would cost power for nothing): neighbouring intervals' means, from the series'
     * first hours; the third difference of successive hourly means (a daily cycle's curve cancels), from
     * MIN_BLOCKS hours of them, and only where {@code trendScale} (its blocks span little of a day: {@link #cycleCancels});
     * hourly mean residuals against yesterday (where the daily cycle cancels), from MIN_BLOCKS hours of them.
     * The largest of the three (the hourly ones hold correlation over longer spans; the interval's is there
     * first). A test's statistics are divided by its square root: effective sample sizes n / inflation.
     * 1 until measured (and for a series sampled once an interval: its intervals hold no variance of their
     * own until an hour holds two values). An estimate, conservative: below what an hour's window of AR(1)
     * values really has (SequentialTestTest prints both).
     */
    public static double varianceInflation(Cusum c, double standardErrors, boolean trendScale) {
        if (c == null) {
            return 1;
        }
        double v = 1;
        if (c.steps > NOISE_WARM_UP) {
            v = Math.max(v, lowInflation(c.stepAbsolute, c.stepIndependent, Math.min(c.steps, NOISE_MEMORY) / DIFF_OVERLAP, standardErrors));
        }
        if (c.hours >= MIN_BLOCKS) {
            v = Math.max(v, lowInflation(c.hourAbsolute, c.hourIndependent, Math.min(c.hours, NOISE_MEMORY / BLOCK) / DIFF_OVERLAP, standardErrors));
        }
        if (trendScale && c.trendHours >= MIN_BLOCKS) {
            v = Math.max(v, lowInflation(c.trendAbsolute, c.trendIndependent, Math.min(c.trendHours, NOISE_MEMORY / BLOCK) / TREND_OVERLAP, standardErrors));
        }
        return Double.isFinite(v) ? v : 1;
    }

    /**
     * Whether the long-run scale is young at this interval: its blocks' own measure not yet used, or used for under
     * a day (the first day's scale its floor, see {@link #longRun}).
     */
    public static boolean young(Cusum c, long interval) {
        return c != null && c.blocks < youngBlocks(interval);
    }

    /** Block differences before the blocks' own measure is a day old at this interval (at least MIN_BLOCKS). */
    private static long youngBlocks(long interval) {
        return Math.max(MIN_BLOCKS, RegressionEvaluator.DAY / (BLOCK * interval));
    }

    /**
     * The variance of the mean of BLOCK successive AR(1) values of correlation rho, over what it would be were
     * they independent: 1 + 2 sum over k < BLOCK of (1 - k / BLOCK) rho^k.
     */
    static double blockFactor(double rho) {
        double f = 1;
        double p = 1;
        for (int k = 1; k < BLOCK; k++) {
            p *= rho;
            f += 2 * (1 - k / (double) BLOCK) * p;
        }
        return f;
    }

    /**
     * For AR(1) residuals, their long-run variance over the variance of BLOCK-interval means, given the latter
     * {@code g} in units of the noise measured between neighbouring intervals (so g = f(rho) / (1 - rho), f the
     * {@link #blockFactor}): g solved for rho (bisection; g grows with rho), then ((1 + rho) / (1 - rho)) / f(rho).
     * 1 for g at most 1 (independent values); 1.12, 1.53 and 3.9 at rho 0.5, 0.8 and 0.95 (g 5.3, 29 and 198: ar_blocks.py). Hourly
     * means of values correlated over hours vary less than the sums of several hours a CUSUM's false alarm is
     * made of; a strongly correlated 5-minute series (rho 0.95 from one value to the next) raised 61 false
     * findings on 100 series over two days without it, 47 with it (jobs/REGRESSION.md).
     */
    static double longRunOverBlock(double g) {
        if (!(g > 1) || !Double.isFinite(g)) {
            return 1;
        }
        double lo = 0;
        double hi = 0.9999;
        if (blockFactor(hi) / (1 - hi) <= g) {
            return ((1 + hi) / (1 - hi)) / blockFactor(hi);
        }
        for (int i = 0; i < 50; i++) {
            double mid = (lo + hi) / 2;
            if (blockFactor(mid) / (1 - mid) < g) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double rho = (lo + hi) / 2;
        return Math.max(1, ((1 + rho) / (1 - rho)) / blockFactor(rho));
    }

    /**
     * Whether the trend scale's third differences of four blocks cancel a daily cycle at this interval: where the
     * blocks span at most 4 hours (see firstDayScale; with the 5-minute interval, series sampled every 5 minutes
     * or more often). At a half-hourly stride's 6-hour blocks the cycle itself read as correlated noise.
     */
    public static boolean cycleCancels(long interval) {
        return 4 * BLOCK * interval <= RegressionEvaluator.DAY / 6;
    }

    /**
     * The residuals' long-run variance over their noise, from the first day, for the CUSUM until its own
     * measure (hourly blocks of residuals) has MIN_BLOCKS, and as its floor while they span under a day (at least 1):
     * the hourly means' inflation (the trend scale) over the intervals' (the step scale), both against the
     * variance of values: the noise s is measured between neighbouring intervals as the step scale is, the
     * sums the CUSUM makes vary as hourly means do. Without it, an autocorrelated series' false alarms came
     * in the second day's first hours (jobs/REGRESSION.md, "Autocorrelated series"). Both scales at their
     * estimates, not one standard error low as the window tests take them: here a low estimate is what
     * makes false alarms (with the trend scale one standard error low, from a day of hours about half of
     * what it is, 15 of the 21 alarms on 100 series at 0.95 came on the second day's morning).
     */
    static double firstDayLongRun(Cusum c) {
        if (c.trendHours < MIN_BLOCKS || c.steps <= NOISE_WARM_UP || !(c.stepAbsolute > 0)) {
            return 1;
        }
        double v = lowInflation(c.trendAbsolute, c.trendIndependent, 1, 0) / lowInflation(c.stepAbsolute, c.stepIndependent, 1, 0);
        return Double.isFinite(v) ? Math.max(1, v) : 1;
    }

    /**
     * The residuals' long-run variance over their noise, by which the CUSUM's z is divided (at least 1): the
     * hourly blocks' own measure from MIN_BLOCKS of them, and while it is young (under {@code young}) at least
     * the first day's; the first day's before that.
     */
    static double longRun(Cusum c, long young, boolean firstDayScale) {
        double blocks = c.blocks < MIN_BLOCKS ? 1 : Math.max(1, BLOCK * c.blockVar);
        if (c.blocks >= young || !firstDayScale) {
            return blocks; // (young is at least MIN_BLOCKS)
        }
        // The first day's measure is an hour's (BLOCK intervals') variance; the CUSUM's sums span longer, and
        // correlated residuals vary more over longer spans: for AR(1) residuals by a factor of the measure alone.
        double firstDay = firstDayLongRun(c);
        return Math.max(blocks, firstDay * longRunOverBlock(firstDay));
    }

    /**
     * The squared ratio of a mean absolute difference to what independent values would make it (a normal
     * difference's E|d| is sqrt(2 / pi) of its standard deviation), {@code standardErrors} standard errors low for
     * {@code effective} independent differences (its relative standard error 2 sqrt((pi / 2 - 1) / effective); 0: the
     * estimate itself; 1 without a reference).
     */
    private static double lowInflation(double absolute, double independent, double effective, double standardErrors) {
        if (!(independent > 0) || !Double.isFinite(absolute)) {
            return 1;
        }
        double ratio = absolute / (independent * Math.sqrt(2 / Math.PI));
        return ratio * ratio * (1 - standardErrors * 2 * Math.sqrt(ABS_RELATIVE_VARIANCE / effective));
    }

    /** The design shift in residual units for a per-value effect, with n values a bucket (today and yesterday both noisy). */
    private static double shift(double effect, double perBucket) {
        return Math.max(MIN_SHIFT, Math.min(MAX_SHIFT, effect * Math.sqrt(perBucket / 2)));
    }

    /** The threshold for reference k at this test's run length, computed once per k (a few distinct k per job). */
    private double threshold(double k) {
        return thresholds.computeIfAbsent(k, key -> threshold(key, runLength()));
    }

    /** The fast CUSUM's alarm, else the slow one's, or null. */
    public static Alarm alarm(Cusum c) {
        if (c.slow.h <= 0) {
            return null;
        }
        Alarm fast = c.fast.alarm();
        return fast != null ? fast : c.slow.alarm();
    }

    /** Whether either statistic on {@code side} still holds an open episode (half its threshold). */
    public static boolean holds(Cusum c, int side) {
        return c.slow.holds(side) || c.slow.h > 0 && c.fast.holds(side);
    }

    /** In-control average run length of each one-sided statistic, in buckets: 4 / alpha days (two CUSUMs, two sides: alpha a day). */
    double runLength() {
        return 4.0 / alpha * (RegressionEvaluator.DAY / (double) interval);
    }

    /**
     * The h at which Siegmund's approximation of a CUSUM's in-control run length,
     * (exp(2kb) - 2kb - 1) / (2k^2) with b = h + 1.166, equals {@code arl} (k > 0).
     */
    static double threshold(double k, double arl) {
        double lo = 0;
        double hi = 1;
        while (siegmund(k, hi) < arl) {
            hi *= 2;
        }
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (siegmund(k, mid) < arl) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** Siegmund's approximation of the in-control average run length of a CUSUM with reference k and threshold h. */
    static double siegmund(double k, double h) {
        double x = 2 * k * (h + 1.166);
        return (Math.exp(x) - x - 1) / (2 * k * k);
    }

    /**
     * The delay (in samples) at which any test with the same false-alarm rate can find a shift of
     * {@code effect} standard deviations, at best: log(run length) over the Kullback-Leibler information
     * per sample, effect^2 / 2 (Lorden's bound, reached by a CUSUM tuned to that shift).
     */
    public static double delayLimit(double effect, double samplesPerDay, double alpha) {
        double arl = 2.0 / alpha * samplesPerDay;
        return Math.log(arl) / (effect * effect / 2);
    }

    /** The bucket exactly a day before {@code start}, or null. */
    static Bucket dayAgo(List<Bucket> sorted, long start) {
        int i = ChangeShape.firstAtOrAfter(sorted, start - RegressionEvaluator.DAY);
        return i < sorted.size() && sorted.get(i).start == start - RegressionEvaluator.DAY ? sorted.get(i) : null;
    }

}
