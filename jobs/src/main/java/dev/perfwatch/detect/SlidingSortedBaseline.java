package dev.perfwatch.detect;


import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The sorted baseline reservoir (the first {@code k} values of each baseline bucket, NaN left out) of the
 * series evaluated lately, kept between their evaluations and updated as the baseline slides: one evaluation
 * later the day-long baseline has lost its oldest bucket and gained a new one, so the sorted values are
 * the previous ones without the first and with the second, merged in linear time instead of sorting the
 * day again (at one sample a minute, 1,440 values every five minutes; the sort was a fifth of the
 * regression detector's CPU in a 3-day batch run).
 *
 * <p>The result is the same array {@code Arrays.sort} gives (both order by {@link Double#compare}), so
 * findings do not depend on whether it was reused. In BATCH mode the input arrives sorted by series and
 * each series' evaluations follow each other; in streaming every series is evaluated at each interval's
 * end, one after another, so the baselines of the series evaluated lately are kept, least recently used
 * first out, up to {@link #MAX_VALUES} values (8 MiB of doubles and their arrays' headers, about 10 MB; at one
 * sample a minute about 360 series). A series not kept is sorted afresh, as before. This is a cache, not
 * state: a restored job sorts each series once and then slides again. Each bucket's values are compared
 * with the ones kept for it, so a bucket whose values changed is taken out and put back. Not thread-safe:
 * one per evaluator, which is one per operator instance.
 */
final class SlidingSortedBaseline {

    /** Above this share of the values changed, sorting from scratch is as cheap. */
    private static final double MAX_CHANGED_SHARE = 0.25;

    /** Values kept over all series (each kept twice: sorted, and per bucket to see what changed). */
    static final long MAX_VALUES = 1L << 20;

    /** One series' kept baseline. */
    private static final class Kept {
        final int k;
        final long[] starts;
        final double[][] prefixes;
        final double[] sorted;
        final long values;

        Kept(int k, long[] starts, double[][] prefixes, double[] sorted, long prefixValues) {
            this.k = k;
            this.starts = starts;
            this.prefixes = prefixes;
            this.sorted = sorted;
            this.values = sorted.length + prefixValues;
        }
    }

    private final long maxValues;
    /** By series key, least recently used first. */
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);
    private long keptValues;

    /** Evaluations answered by an update, and by a sort (for tests and benchmarks). */
    long updates;
    long sorts;

    SlidingSortedBaseline() {
        this(MAX_VALUES);
    }

    SlidingSortedBaseline(long maxValues) {
        this.maxValues = maxValues;
    }

    /**
     * The sorted values of the first {@code k} of each bucket's values (buckets sorted by start), without
     * NaN. The array returned must not be changed.
     */
    double[] sorted(String component, String metric, List<Bucket> baseline, int k) {
        String key = component + '|' + metric;
        Kept last = kept.remove(key);
        if (last != null) {
            keptValues -= last.values;
        }
        boolean sameSeries = last != null && last.k == k;
        long[] starts = sameSeries ? last.starts : new long[0];
        double[][] prefixes = sameSeries ? last.prefixes : new double[0][];
        int n = baseline.size();
        long[] newStarts = new long[n];
        double[][] newPrefixes = new double[n][];
        long prefixValues = 0;
        Values removed = new Values();
        Values added = new Values();
        int i = 0;
        for (int j = 0; j < n; j++) {
            Bucket b = baseline.get(j);
            int kk = Math.min(k, b.size);
            newStarts[j] = b.start;
            prefixValues += kk;
            if (sameSeries) {
                while (i < starts.length && starts[i] < b.start) {
                    removed.add(prefixes[i++]);
                }
                if (i < starts.length && starts[i] == b.start) {
                    double[] keptPrefix = prefixes[i++];
                    if (Arrays.equals(keptPrefix, 0, keptPrefix.length, b.values, 0, kk)) {
                        newPrefixes[j] = keptPrefix;
                        continue;
                    }
                    removed.add(keptPrefix);
                }
            }
            newPrefixes[j] = Arrays.copyOf(b.values, kk);
            added.add(newPrefixes[j]);
        }
        if (sameSeries) {
            while (i < starts.length) {
                removed.add(prefixes[i++]);
            }
        }
        double[] result = sameSeries && removed.n + added.n <= MAX_CHANGED_SHARE * last.sorted.length
                ? slid(last.sorted, sortedWithoutNaN(removed), sortedWithoutNaN(added)) : null;
        if (result == null) {
            sorts++;
            Values all = new Values((int) prefixValues);
            for (double[] p : newPrefixes) {
                all.add(p);
            }
            result = sortedWithoutNaN(all);
        } else {
            updates++;
        }
        Kept now = new Kept(k, newStarts, newPrefixes, result, prefixValues);
        kept.put(key, now);
        keptValues += now.values;
        Iterator<Kept> oldest = kept.values().iterator();
        while (keptValues > maxValues && kept.size() > 1) {
            keptValues -= oldest.next().values;
            oldest.remove();
        }
        return result;
    }

    /** Series kept now, and the values they hold (for tests). */
    int keptSeries() {
        return kept.size();
    }

    long keptValues() {
        return keptValues;
    }

    /** {@code sorted} without {@code removed} and with {@code added} (both sorted); null if one removed is missing. */
    private static double[] slid(double[] sorted, double[] removed, double[] added) {
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

    /**
     * Values collected from several arrays (commons-math's ResizableDoubleArray copied its whole array at
     * every addElements: quadratic over a day's 288 buckets, 8% of the regression detector's CPU).
     */
    private static final class Values {
        double[] a;
        int n;

        Values() {
            this(16);
        }

        Values(int capacity) {
            a = new double[Math.max(1, capacity)];
        }

        void add(double[] v) {
            if (n + v.length > a.length) {
                a = Arrays.copyOf(a, Math.max(2 * a.length, n + v.length));
            }
            System.arraycopy(v, 0, a, n, v.length);
            n += v.length;
        }
    }

    /** The values without NaN, sorted (a new array). */
    private static double[] sortedWithoutNaN(Values values) {
        double[] out = new double[values.n];
        int n = 0;
        for (int i = 0; i < values.n; i++) {
            double v = values.a[i];
            if (!Double.isNaN(v)) {
                out[n++] = v;
            }
        }
        out = n == out.length ? out : Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }
}
