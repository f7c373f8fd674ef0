package dev.perfwatch.detect;

import java.util.Arrays;
import java.util.List;

/**
 * A two-sided CUSUM over the series' deseasonalised bucket levels: evidence that grows with the change,
 * where a fixed comparison window (tested every interval) has a fixed power.
 *
 * <p>Each bucket, once complete, gives a residual: its robust level (trimmed mean) minus the mean level
 * of the same time a day earlier (the buckets within {@link #REFERENCE_HALF_WIDTH} either side), in
 * units of the residuals' noise, measured on the series itself from the spread of successive residual
 * differences (a step moves one difference, clipped; a ramp all of them alike): a median absolute
 * deviation of the recent ones at first, then a running mean of their squares over about a day. Residuals are clipped at {@link #CLIP} (one outlier cannot raise an alarm).
 * The tuning follows the series' own sampling: with n values a bucket, a per-value shift of
 * {@link #DESIGN_EFFECT} standard deviations is a shift of about {@code DESIGN_EFFECT * sqrt(n)} in
 * bucket units, the reference value k is half of that, and the threshold h is the one at which
 * Siegmund's approximation of the in-control run length equals {@code 2 / alpha} days of buckets (per
 * side): alpha false alarms per series-day when the residuals are independent and normal. An alarm
 * names the change point (where the run that crossed h began); the window test then confirms the
 * change between the baseline and the data since that point.
 *
 * <p>Restores exactly: the statistics are keyed state ({@link Cusum}), updated once per bucket at the
 * evaluation just after it, in event time, in streaming and batch alike.
 */
public final class SequentialTest {

    /** The per-value effect (in standard deviations) the test is tuned to find fastest. */
    static final double DESIGN_EFFECT = 0.5;
    /** The bucket-unit design shift is kept within these (very dense series: the gates decide). */
    static final double MIN_SHIFT = 0.5;
    static final double MAX_SHIFT = 3.0;
    /** Residuals are clipped at this many noise units. */
    static final double CLIP = 6.0;
    /** The day-ago reference averages the buckets this far either side. */
    static final long REFERENCE_HALF_WIDTH = 60 * 60_000L;
    /** Residuals the noise estimate wants at least. */
    static final int MIN_RESIDUALS = 12;
    /** Residual differences before the running noise estimate is used, and its memory (buckets). */
    static final int NOISE_WARM_UP = 36;
    static final int NOISE_MEMORY = 288;
    /** Statistics are capped at this multiple of h, so a series that is back ends the episode in a bounded time. */
    static final double CAP = 1.0;
    /** An open episode holds while the statistic in its direction is at least this share of h. */
    static final double HOLD_SHARE = 0.5;

    private final long interval;
    private final double alpha;

    /** @param interval the bucket (evaluation) interval; @param alpha false alarms per series-day. */
    public SequentialTest(long interval, double alpha) {
        this.interval = interval;
        this.alpha = alpha;
    }

    /** The CUSUM statistics of one series (keyed state, inside its {@link Episode}). */
    public static class Cusum {
        /** The statistic towards higher values, and the bucket start its current run began at. */
        public double up;
        public long upSince = Long.MIN_VALUE;
        public double down;
        public long downSince = Long.MIN_VALUE;
        /** The start of the newest bucket applied. */
        public long last = Long.MIN_VALUE;
        /** The running mean of squared successive residual differences, and how many it holds. */
        public double var;
        public long n;
        /** The threshold and reference value of the last update, for the evidence. */
        public double h;
        public double k;
    }

    /** An alarm: the direction (+1 higher, -1 lower), the change point, the statistic and its threshold. */
    public record Alarm(int side, long since, double statistic, double threshold) {}

    /**
     * Applies the newest complete bucket (the one ending at t), if it has not been applied and has a
     * day-ago reference. buckets: sorted by start, all retained ones before t.
     */
    public void update(Cusum c, long t, List<Bucket> buckets) {
        int n = buckets.size();
        if (n == 0) {
            return;
        }
        Bucket newest = buckets.get(n - 1);
        if (newest.start != t - interval || newest.start <= c.last) {
            return;
        }
        // Residuals of the buckets that have a reference, newest last, up to the newest 5 hours' worth.
        int lookback = (int) Math.max(MIN_RESIDUALS, 5 * 3_600_000L / interval);
        double[] r = new double[Math.min(n, lookback)];
        double[] counts = new double[r.length];
        int m = 0;
        for (int i = n - 1; i >= 0 && m < r.length; i--) {
            double ref = reference(buckets, buckets.get(i).start);
            if (Double.isNaN(ref)) {
                break;
            }
            r[m] = buckets.get(i).trimmedMean() - ref;
            counts[m] = buckets.get(i).count;
            m++;
        }
        if (m == 0) {
            return; // no day-ago reference yet: nothing applied, nothing lost (the window test still runs)
        }
        c.last = newest.start;
        if (m < MIN_RESIDUALS) {
            return;
        }
        // The noise: the median absolute deviation of the recent differences to begin with, then a running
        // mean of squared differences over about a day (a few hours' MAD wanders by 10-15%, and a CUSUM's
        // false-alarm rate is exponential in the noise it is told: an underestimate doubles it).
        double s = c.n >= NOISE_WARM_UP ? Math.sqrt(c.var / 2) : noise(r, m);
        if (!(s > 0)) {
            s = noise(r, m);
            if (!(s > 0)) {
                return;
            }
        }
        double d = r[0] - r[1];
        double d2 = Math.min(d * d, 2 * CLIP * CLIP * s * s); // one jump (a step) moves it by a bounded amount
        c.n++;
        c.var += (d2 - c.var) / Math.min(c.n, NOISE_MEMORY);
        double perBucket = median(counts, m);
        double shift = Math.max(MIN_SHIFT, Math.min(MAX_SHIFT, DESIGN_EFFECT * Math.sqrt(perBucket)));
        double k = shift / 2;
        double h = threshold(k, runLength());
        double z = Math.max(-CLIP, Math.min(CLIP, r[0] / s));
        if (c.up == 0) {
            c.upSince = newest.start;
        }
        if (c.down == 0) {
            c.downSince = newest.start;
        }
        c.up = Math.min(CAP * h, Math.max(0, c.up + z - k));
        c.down = Math.min(CAP * h, Math.max(0, c.down - z - k));
        c.h = h;
        c.k = k;
    }

    /** The alarm on the side with the larger statistic over its threshold, or null. */
    public static Alarm alarm(Cusum c) {
        if (c.h <= 0) {
            return null;
        }
        if (c.up >= c.h && c.up >= c.down) {
            return new Alarm(1, c.upSince, c.up, c.h);
        }
        if (c.down >= c.h) {
            return new Alarm(-1, c.downSince, c.down, c.h);
        }
        return null;
    }

    /** Whether the statistic on {@code side} still holds an open episode. */
    public static boolean holds(Cusum c, int side) {
        return c.h > 0 && (side > 0 ? c.up : c.down) >= HOLD_SHARE * c.h;
    }

    /** In-control average run length per side, in buckets: 2 / alpha days (two sides: alpha a day). */
    double runLength() {
        return 2.0 / alpha * (RegressionEvaluator.DAY / (double) interval);
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

    /** The mean level of the buckets a day before {@code start}, within the half width; NaN under half of them present. */
    double reference(List<Bucket> sorted, long start) {
        long c = start - RegressionEvaluator.DAY;
        long expected = 2 * REFERENCE_HALF_WIDTH / interval + 1;
        double sum = 0;
        int k = 0;
        for (int j = ChangeShape.firstAtOrAfter(sorted, c - REFERENCE_HALF_WIDTH); j < sorted.size() && sorted.get(j).start <= c + REFERENCE_HALF_WIDTH; j++) {
            sum += sorted.get(j).trimmedMean();
            k++;
        }
        return k * 2 < expected ? Double.NaN : sum / k;
    }

    /**
     * The residuals' noise from their successive differences: a normal-consistent median absolute
     * deviation of the differences about their median, over sqrt(2); the root mean square of the
     * centred differences when more than half are equal (a quantized series).
     */
    static double noise(double[] r, int m) {
        double[] d = new double[m - 1];
        for (int i = 0; i < m - 1; i++) {
            d[i] = r[i] - r[i + 1];
        }
        double med = median(d, d.length);
        double[] dev = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            dev[i] = Math.abs(d[i] - med);
        }
        double mad = 1.4826 * median(dev, dev.length);
        if (mad > 0) {
            return mad / Math.sqrt(2);
        }
        double ss = 0;
        for (double v : dev) {
            ss += v * v;
        }
        return Math.sqrt(ss / dev.length / 2);
    }

    static double median(double[] x, int n) {
        double[] s = Arrays.copyOf(x, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
