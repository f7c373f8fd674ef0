package dev.perfwatch.detect;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The starts and means of a series' closed buckets side by side in two arrays, in the order of the stored
 * list: an evaluation's searches by start and its trend over every held bucket read them, not a few hundred
 * bucket objects scattered over the heap (at one sample a minute that walk was a sixth of the regression
 * detector's time, jobs/BENCHMARKS.md). Not state: the episode holds it between evaluations on the heap
 * backend ({@link Episode#bucketIndex}, transient); a copy of the episode (a checkpoint, RocksDB) comes
 * without it and the next evaluation builds it again from the buckets. The detector keeps it in step with
 * the list: buckets appended, the oldest dropped, a late part merged into a closed bucket; {@link #matches}
 * guards the rest.
 */
final class BucketIndex {
    private long[] starts;
    private double[] means;
    private int n;

    private BucketIndex(int capacity) {
        starts = new long[Math.max(16, capacity)];
        means = new double[starts.length];
    }

    /** The index of {@code sorted} (buckets sorted by start, each mean as its {@code mean} field holds it). */
    static BucketIndex of(List<Bucket> sorted) {
        BucketIndex x = new BucketIndex(sorted.size() + sorted.size() / 4);
        x.append(sorted);
        return x;
    }

    /** {@code cached} if it still indexes {@code sorted} (same size, same first and last start), else a new index of it. */
    static BucketIndex over(List<Bucket> sorted, BucketIndex cached) {
        return cached != null && cached.matches(sorted) ? cached : of(sorted);
    }

    boolean matches(List<Bucket> sorted) {
        return n == sorted.size() && (n == 0 || starts[0] == sorted.get(0).start && starts[n - 1] == sorted.get(n - 1).start);
    }

    /** Whether this holds exactly the starts and means of {@code sorted}, to the bit (for assertions). */
    boolean indexes(List<Bucket> sorted) {
        if (n != sorted.size()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            Bucket b = sorted.get(i);
            if (starts[i] != b.start || Double.doubleToRawLongBits(means[i]) != Double.doubleToRawLongBits(b.mean)) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return n;
    }

    /** Appends buckets that start after every one indexed. */
    void append(List<Bucket> buckets) {
        if (n + buckets.size() > starts.length) {
            int grown = Math.max(n + buckets.size(), starts.length + starts.length / 2);
            starts = Arrays.copyOf(starts, grown);
            means = Arrays.copyOf(means, grown);
        }
        for (Bucket b : buckets) {
            starts[n] = b.start;
            means[n] = b.mean;
            n++;
        }
    }

    /** Drops the first {@code k} buckets (they left the retention). */
    void dropFirst(int k) {
        System.arraycopy(starts, k, starts, 0, n - k);
        System.arraycopy(means, k, means, 0, n - k);
        n -= k;
    }

    /** The bucket at {@code i} changed (a late part merged into it). */
    void changed(int i, Bucket b) {
        means[i] = b.mean;
    }

    /** Index of the first bucket starting at or after {@code start} among those in [from, to), the same as a search of the list. */
    int firstAtOrAfter(int from, int to, long start) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] < start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The buckets [from, to) of {@code sorted} (which this indexes) as a list that carries the index to its sublists. */
    Indexed view(List<Bucket> sorted, int from, int to) {
        return new Indexed(sorted, this, from, to);
    }

    /**
     * A read-only range of the indexed list: {@link ChangeShape#firstAtOrAfter} and the trend read its
     * starts and means from the index; its sublists are ranges of the same index.
     */
    static final class Indexed extends AbstractList<Bucket> implements RandomAccess {
        private final List<Bucket> sorted;
        private final BucketIndex index;
        private final int from;
        private final int to;

        Indexed(List<Bucket> sorted, BucketIndex index, int from, int to) {
            if (from < 0 || to > index.n || from > to) {
                throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + index.n);
            }
            this.sorted = sorted;
            this.index = index;
            this.from = from;
            this.to = to;
        }

        @Override
        public Bucket get(int i) {
            return sorted.get(from + java.util.Objects.checkIndex(i, to - from));
        }

        @Override
        public int size() {
            return to - from;
        }

        /** The underlying list's own iterator over the range (cheaper than AbstractList's, which calls get). */
        @Override
        public java.util.Iterator<Bucket> iterator() {
            return java.util.Collections.unmodifiableList(sorted.subList(from, to)).iterator();
        }

        @Override
        public Indexed subList(int fromIndex, int toIndex) {
            java.util.Objects.checkFromToIndex(fromIndex, toIndex, to - from);
            return new Indexed(sorted, index, from + fromIndex, from + toIndex);
        }

        long start(int i) {
            return index.starts[from + i];
        }

        double mean(int i) {
            return index.means[from + i];
        }

        int firstAtOrAfter(long start) {
            return index.firstAtOrAfter(from, to, start) - from;
        }
    }
}
