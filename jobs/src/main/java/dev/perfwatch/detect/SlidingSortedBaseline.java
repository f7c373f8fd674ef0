package dev.perfwatch.detect;

import org.apache.commons.math3.util.ResizableDoubleArray;

import java.util.Arrays;
import java.util.List;

/**
 * The sorted baseline reservoir (the first {@code k} values of each baseline bucket, NaN left out) of the
 * series evaluated last, kept between its evaluations and updated as the baseline slides: one evaluation
 * later the day-long baseline has lost its oldest bucket and gained a new one, so the sorted values are
 * the previous ones without the first and with the second, merged in linear time instead of sorting the
 * day again (at one sample a minute, 1,440 values every five minutes; the sort was a fifth of the
 * regression detector's CPU in a 3-day batch run).
 *
 * <p>The result is the same array {@code Arrays.sort} gives (both order by {@link Double#compare}), so
 * findings do not depend on whether it was reused. It pays when a series' evaluations follow each other:
 * always in BATCH mode, where the input arrives sorted by series; in streaming, with many series
 * interleaved, each evaluation finds another series here and sorts (the cost it had before, plus a copy).
 * Each bucket's values are compared with the ones kept for it, so a bucket whose values changed is taken
 * out and put back. Not thread-safe: one per evaluator, which is one per operator instance.
 */
final class SlidingSortedBaseline {

    /** Above this share of the values changed, sorting from scratch is as cheap. */
    private static final double MAX_CHANGED_SHARE = 0.25;

    private String component;
    private String metric;
    private int k = -1;
    private long[] starts = new long[0];
    private double[][] prefixes = new double[0][];
    private double[] sorted = new double[0];

    /** Evaluations answered by an update, and by a sort (for tests and benchmarks). */
    long updates;
    long sorts;

    /**
     * The sorted values of the first {@code k} of each bucket's values (buckets sorted by start), without
     * NaN. The array returned must not be changed.
     */
    double[] sorted(String component, String metric, List<Bucket> baseline, int k) {
        int n = baseline.size();
        long[] newStarts = new long[n];
        double[][] newPrefixes = new double[n][];
        boolean sameSeries = k == this.k && component.equals(this.component) && metric.equals(this.metric);
        ResizableDoubleArray removed = new ResizableDoubleArray();
        ResizableDoubleArray added = new ResizableDoubleArray();
        int i = 0;
        for (int j = 0; j < n; j++) {
            Bucket b = baseline.get(j);
            int kk = Math.min(k, b.size);
            newStarts[j] = b.start;
            if (sameSeries) {
                while (i < starts.length && starts[i] < b.start) {
                    removed.addElements(prefixes[i++]);
                }
                if (i < starts.length && starts[i] == b.start) {
                    double[] kept = prefixes[i++];
                    if (Arrays.equals(kept, 0, kept.length, b.values, 0, kk)) {
                        newPrefixes[j] = kept;
                        continue;
                    }
                    removed.addElements(kept);
                }
            }
            newPrefixes[j] = Arrays.copyOf(b.values, kk);
            added.addElements(newPrefixes[j]);
        }
        if (sameSeries) {
            while (i < starts.length) {
                removed.addElements(prefixes[i++]);
            }
        }
        double[] result = sameSeries && removed.getNumElements() + added.getNumElements() <= MAX_CHANGED_SHARE * sorted.length
                ? slid(sortedWithoutNaN(removed), sortedWithoutNaN(added)) : null;
        if (result == null) {
            sorts++;
            ResizableDoubleArray all = new ResizableDoubleArray();
            for (double[] p : newPrefixes) {
                all.addElements(p);
            }
            result = sortedWithoutNaN(all);
        } else {
            updates++;
        }
        this.component = component;
        this.metric = metric;
        this.k = k;
        this.starts = newStarts;
        this.prefixes = newPrefixes;
        this.sorted = result;
        return result;
    }

    /** The kept sorted values without {@code removed} and with {@code added} (both sorted); null if one removed is missing. */
    private double[] slid(double[] removed, double[] added) {
        double[] out = new double[sorted.length - removed.length + added.length];
        int r = 0;
        int a = 0;
        int o = 0;
        for (double v : sorted) {
            if (r < removed.length && Double.compare(v, removed[r]) == 0) {
                r++;
                continue;
            }
            while (a < added.length && Double.compare(added[a], v) < 0) {
                out[o++] = added[a++];
            }
            if (o == out.length) {
                return null;
            }
            out[o++] = v;
        }
        if (r != removed.length) {
            return null;
        }
        while (a < added.length) {
            out[o++] = added[a++];
        }
        return o == out.length ? out : null;
    }

    /** The values without NaN, sorted (a new array). */
    private static double[] sortedWithoutNaN(ResizableDoubleArray values) {
        double[] out = values.getElements();
        int n = 0;
        for (double v : out) {
            if (!Double.isNaN(v)) {
                out[n++] = v;
            }
        }
        out = n == out.length ? out : Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }
}
