package dev.perfwatch.detect;

import dev.perfwatch.stats.Moments;

/**
 * One evaluation interval of one series: moments of every value, and a reservoir of raw values for
 * rank tests. The reservoir keeps the values with the smallest hashes (a bottom-k sample), so its
 * contents do not depend on the order values arrived in, and the first k' of it is itself a bottom-k'
 * sample: a bucket gives its full reservoir to the comparison window and a prefix to the baseline.
 */
public class Bucket {
    public long start;
    public long count;
    public double mean;
    public double m2;
    public double min = Double.POSITIVE_INFINITY;
    public double max = Double.NEGATIVE_INFINITY;
    /** Reservoir values, ascending by {@link #hashes}; the arrays grow as values come, up to {@link #capacity}. */

    public double[] values;
    /** The values' hashes, ascending; null once the interval is evaluated ({@link #trim}). */
    public long[] hashes;
    public int size;
    /** The most values the reservoir keeps. */
    public int capacity;
    /** The robust level ({@link #trimmedMean}) as of {@link #levelCount} values; not state, recomputed after a restore. */
    private transient double level;
    private transient long levelCount = -1;

    public Bucket() {}

    public Bucket(long start, int capacity) {
        this.start = start;
        this.capacity = capacity;
        int initial = Math.min(capacity, INITIAL_SLOTS);
        this.values = new double[initial];
        this.hashes = new long[initial];
    }

    /** Slots a new bucket starts with: most series send a few values an interval, not the capacity. */
    private static final int INITIAL_SLOTS = 8;

    /**
     * Once its interval is evaluated: drops the reservoir's unused slots (5 values a bucket at 1-minute
     * sampling keep 5 slots, not 8) and the hashes. The values keep their order by hash, so a prefix is
     * still a bottom-k sample; the hashes only placed new values, and an evaluated interval gets none in
     * the job (the ingest gate turns away samples behind the watermark that closed it). Should a value
     * come all the same, it joins the moments and, while there is room, the reservoir's end. State per
     * series at 1-minute sampling: 8 of about 150 bytes a bucket fewer per value.
     */
    public void trim() {
        if (values != null && values.length > size) {
            values = java.util.Arrays.copyOf(values, size);
        }
        hashes = null;
    }

    public void add(long timestamp, double value, long seriesHash) {
        count++;
        double d = value - mean;
        mean += d / count;
        m2 += d * (value - mean);
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (hashes == null) { // evaluated (trimmed): see trim()
            if (size < capacity) {
                values = java.util.Arrays.copyOf(values, size + 1);
                values[size++] = value;
            }
            return;
        }
        long h = mix(seriesHash ^ (timestamp * 0x9E3779B97F4A7C15L) ^ Double.doubleToLongBits(value));
        if (size == capacity && Long.compareUnsigned(h, hashes[size - 1]) >= 0) {
            return;
        }
        if (size == values.length && size < capacity) {
            int grown = Math.min(capacity, Math.max(1, 2 * values.length));
            values = java.util.Arrays.copyOf(values, grown);
            hashes = java.util.Arrays.copyOf(hashes, grown);
        }
        int i = size < capacity ? size : size - 1;
        while (i > 0 && Long.compareUnsigned(hashes[i - 1], h) > 0) {
            hashes[i] = hashes[i - 1];
            values[i] = values[i - 1];
            i--;
        }
        hashes[i] = h;
        values[i] = value;
        if (size < capacity) {
            size++;
        }
    }

    /** Share of the reservoir trimmed at either end for {@link #trimmedMean}. */
    static final double TRIM = 0.1;

    /**
     * The bucket's robust level: the mean of its reservoir without the lowest and highest {@link #TRIM}
     * share, at least one value each (the plain mean for fewer than 5 values), cached until the bucket
     * changes.
     */
    double trimmedMean() {
        if (levelCount == count) {
            return level;
        }
        if (size < 5) {
            level = mean;
        } else {
            double[] v = java.util.Arrays.copyOf(values, size);
            java.util.Arrays.sort(v);
            int cut = Math.max(1, (int) Math.floor(TRIM * v.length)); // at least the extremes: a 3x outlier in 5 values
            double sum = 0;
            for (int i = cut; i < v.length - cut; i++) {
                sum += v[i];
            }
            level = sum / (v.length - 2 * cut);
        }
        levelCount = count;
        return level;
    }

    Moments moments() {
        return new Moments(count, mean, m2, min, max);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
