package dev.perfwatch.detect;

import java.util.Arrays;

/**
 * A series' hourly means over the last eight days, for the week-ago reference: a ring of 192 floats
 * (768 bytes of state) and the hour still filling. Fed with the regression detector's complete buckets in
 * time order, each once (a bucket not newer than the newest added is left out).
 * A Flink POJO (public fields, a no-argument constructor), held in the series' {@link Episode}.
 */
public class HourlyMeans {
    static final long HOUR = 3_600_000L;
    static final long WEEK = 7 * 24 * HOUR;
    /** Eight days: a week back from a comparison window that may reach a day back itself. */
    static final int HOURS = 8 * 24;

    /** Mean of hour h at index floorMod(h, HOURS) (NaN: no data); null until the first bucket. */
    public float[] means;
    /** The hour filling (its mean is sum / count), as hours since the epoch; Long.MIN_VALUE: none yet. */
    public long hour = Long.MIN_VALUE;
    public double sum;
    public long count;
    /** Start of the newest bucket added (Long.MIN_VALUE: none). */
    public long newest = Long.MIN_VALUE;

    /** Adds a complete bucket of n values with this mean, starting at {@code start}. */
    public void add(long start, long n, double mean) {
        if (start <= newest) {
            return;
        }
        newest = start;
        if (n <= 0 || !Double.isFinite(mean)) {
            return;
        }
        long h = Math.floorDiv(start, HOUR);
        if (h < hour) {
            return;
        }
        if (h > hour) {
            if (means == null) {
                means = new float[HOURS];
                Arrays.fill(means, Float.NaN);
            } else {
                if (count > 0) {
                    means[(int) Math.floorMod(hour, HOURS)] = (float) (sum / count);
                }
                // the hours between had no data (at most a ring's worth to clear)
                for (long g = hour + 1; g < h && g < hour + 1 + HOURS; g++) {
                    means[(int) Math.floorMod(g, HOURS)] = Float.NaN;
                }
            }
            means[(int) Math.floorMod(h, HOURS)] = Float.NaN;
            hour = h;
            sum = 0;
            count = 0;
        }
        sum += n * mean;
        count += n;
    }

    /**
     * The mean over [from, to) from the hourly means, each hour weighted by its overlap with the span;
     * NaN unless hours with data cover at least half of it (an hour that has left the ring, or is ahead of
     * the newest, has none).
     */
    public double mean(long from, long to) {
        if (means == null || to <= from) {
            return Double.NaN;
        }
        double weighted = 0;
        double covered = 0;
        for (long h = Math.floorDiv(from, HOUR); h * HOUR < to; h++) {
            double m;
            if (h == hour) {
                m = count > 0 ? sum / count : Double.NaN;
            } else if (h < hour && h > hour - HOURS) {
                m = means[(int) Math.floorMod(h, HOURS)];
            } else {
                m = Double.NaN;
            }
            if (!Double.isNaN(m)) {
                double overlap = Math.min(to, (h + 1) * HOUR) - Math.max(from, h * HOUR);
                weighted += overlap * m;
                covered += overlap;
            }
        }
        return covered * 2 >= to - from ? weighted / covered : Double.NaN;
    }
}
