package dev.perfwatch.detect;

import dev.perfwatch.stats.ExactMoments;

/**
 * Fills one {@link Bucket} faster than adding to it value by value: values are appended with their
 * hashes and, once twice the capacity are held, cut to the capacity with the smallest hashes (so a value
 * costs a constant amortized time, not an insertion into a sorted reservoir). {@link #build} gives the
 * bucket {@link Bucket#add} would have made of the same values: the same moments (exact sums, which
 * no order changes), the same values with the smallest hashes, ascending by hash.
 */
public final class BucketBuilder {
    public final long start;
    private final int capacity;
    /** The moments of every value added (exact sums, as an open bucket keeps them). */
    private final ExactMoments moments = new ExactMoments();
    private long[] hashes;
    private double[] values;
    private int n;
    /** Once cut: a value whose hash is not below this (unsigned) is not among the smallest. */
    private long threshold;
    private boolean cut;
    /** A part restored from a checkpoint, merged into what is built. */
    private Bucket restored;

    public BucketBuilder(long start, int capacity) {
        this.start = start;
        this.capacity = capacity;
        int initial = Math.min(2 * capacity, 8);
        this.hashes = new long[initial];
        this.values = new double[initial];
    }

    public void add(long timestamp, double value, long seriesHash) {
        moments.add(value);
        long h = Bucket.hash(timestamp, value, seriesHash);
        if (cut && Long.compareUnsigned(h, threshold) >= 0) {
            return;
        }
        if (n == hashes.length) {
            if (n >= 2 * capacity) {
                cutToCapacity();
                if (Long.compareUnsigned(h, threshold) >= 0) {
                    return;
                }
            } else {
                int grown = Math.min(2 * capacity, 2 * n);
                hashes = java.util.Arrays.copyOf(hashes, grown);
                values = java.util.Arrays.copyOf(values, grown);
            }
        }
        hashes[n] = h;
        values[n] = value;
        n++;
    }

    /** Keeps the {@code capacity} values with the smallest hashes, sorted (ties in arrival order). */
    private void cutToCapacity() {
        sortByHash(hashes, values, n);
        n = Math.min(n, capacity);
        threshold = hashes[n - 1];
        cut = true;
    }

    /** Restores a part from a checkpoint (merged into the bucket {@link #build} makes). */
    public void restore(Bucket b) {
        if (restored == null) {
            restored = new Bucket(start, capacity);
        }
        restored.merge(b);
    }

    /** The bucket of the values added so far (this builder can go on). */
    public Bucket build() {
        long[] h = java.util.Arrays.copyOf(hashes, n);
        double[] v = java.util.Arrays.copyOf(values, n);
        sortByHash(h, v, n);
        int size = Math.min(n, capacity);
        Bucket b = new Bucket();
        b.start = start;
        b.capacity = capacity;
        b.sums = moments.copy();
        b.count = moments.count();
        if (b.count > 0) {
            b.min = moments.min();
            b.max = moments.max();
        }
        b.size = size;
        b.hashes = size == n ? h : java.util.Arrays.copyOf(h, size);
        b.values = size == n ? v : java.util.Arrays.copyOf(v, size);
        if (restored != null) {
            Bucket merged = Bucket.Serializer.INSTANCE.copy(restored);
            merged.merge(b);
            return merged;
        }
        return b;
    }

    /**
     * Sorts the first {@code n} hashes ascending as unsigned numbers, the values with them, equal hashes
     * keeping their order (insertion sort for short runs, else a stable merge sort).
     */
    static void sortByHash(long[] h, double[] v, int n) {
        if (n <= INSERTION) {
            insertionSort(h, v, 0, n);
        } else {
            mergeSort(h, v, new long[n], new double[n], 0, n);
        }
    }

    /** Runs this short are sorted by insertion. */
    private static final int INSERTION = 16;

    private static void insertionSort(long[] h, double[] v, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            long hk = h[i];
            double vk = v[i];
            int j = i;
            while (j > from && Long.compareUnsigned(h[j - 1], hk) > 0) {
                h[j] = h[j - 1];
                v[j] = v[j - 1];
                j--;
            }
            h[j] = hk;
            v[j] = vk;
        }
    }

    private static void mergeSort(long[] h, double[] v, long[] th, double[] tv, int from, int to) {
        if (to - from <= INSERTION) {
            insertionSort(h, v, from, to);
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(h, v, th, tv, from, mid);
        mergeSort(h, v, th, tv, mid, to);
        if (Long.compareUnsigned(h[mid - 1], h[mid]) <= 0) {
            return;
        }
        System.arraycopy(h, from, th, from, to - from);
        System.arraycopy(v, from, tv, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && Long.compareUnsigned(th[i], th[j]) <= 0)) {
                h[k] = th[i];
                v[k] = tv[i++];
            } else {
                h[k] = th[j];
                v[k] = tv[j++];
            }
        }
    }
}
