package dev.perfwatch.pipeline;

import dev.perfwatch.analyze.SummaryPartial;
import dev.perfwatch.config.RegressionConfig;
import dev.perfwatch.detect.BucketBuilder;
import dev.perfwatch.detect.BucketPartial;
import dev.perfwatch.detect.RegressionEvaluator;
import dev.perfwatch.model.MetricSample;

import java.util.ArrayList;
import java.util.List;

/**
 * Samples folded where they are read, per series: into the part of each summary window this reader saw
 * ({@link SummaryPartial}) and the part of each regression interval ({@link BucketPartial}). A part is
 * handed on once its window or interval is complete here, so the exchanges behind carry one record
 * per series and window (and per interval) instead of every sample: at 1-second sampling sixty times
 * fewer to the windows and three hundred times fewer to the regression detector.
 *
 * <p>When a part is complete: when the watermark passes its end (streaming), and when the series' own
 * newest sample is past its end by more than the out-of-orderness bound (the watermark that series
 * alone would give, {@link OrderedWatermarks}). The second is what bounds the parts held in a BATCH
 * run, where there is no watermark until the end; since it depends only on the series' own order, the
 * same input makes the same parts in both modes. A series read in order by one reader makes one part
 * per window, folded in arrival order: the window gets exactly the numbers the samples would have given.
 * A sample that comes after its part was handed on (further out of order than the bound, but not behind
 * the watermark) makes a second part, which the window or detector merges.
 *
 * <p>Not thread-safe: one per operator instance.
 */
public final class PartialAggregates {

    /** Where complete parts go; either may be null (that part is not built). */
    public interface Emitter<T> {
        void emit(T part) throws Exception;
    }

    private final long windowMillis;
    private final double relativeAccuracy;
    private final long intervalMillis;
    private final int bucketCapacity;
    private final long boundMillis;
    private final Emitter<SummaryPartial> summaries;
    private final Emitter<BucketPartial> buckets;
    /** No part held ends before this (it may be lower than the true earliest: the next watermark past it walks the series). */
    private long earliestEnd = Long.MAX_VALUE;
    /** The newest watermark passed to {@link #advance}. */
    private long watermark = Long.MIN_VALUE;

    /**
     * @param windowMillis the summary window, or 0 for no summary parts
     * @param intervalMillis the regression interval, or 0 for no bucket parts
     * @param bucketCapacity the reservoir size of a bucket (see {@code RegressionEvaluator.bucketCapacity})
     * @param boundMillis the out-of-orderness bound the watermarks are made with
     */
    public PartialAggregates(long windowMillis, double relativeAccuracy, Emitter<SummaryPartial> summaries,
            long intervalMillis, int bucketCapacity, Emitter<BucketPartial> buckets, long boundMillis) {
        this.windowMillis = summaries == null ? 0 : windowMillis;
        this.relativeAccuracy = relativeAccuracy;
        this.summaries = summaries;
        this.intervalMillis = buckets == null ? 0 : intervalMillis;
        this.bucketCapacity = bucketCapacity;
        this.buckets = buckets;
        this.boundMillis = boundMillis;
        if (summaries != null && windowMillis <= 0 || buckets != null && intervalMillis <= 0) {
            throw new IllegalArgumentException("window and interval must be positive: " + windowMillis + " ms, " + intervalMillis + " ms");
        }
    }

    /**
     * Interval parts only, as the regression detector gets them from the job (its tests and benchmarks feed
     * it through this).
     */
    public static PartialAggregates intervals(RegressionConfig cfg, long boundMillis, Emitter<BucketPartial> buckets) {
        return new PartialAggregates(0, 0, null, cfg.evaluationInterval.toMillis(), RegressionEvaluator.bucketCapacity(cfg), buckets, boundMillis);
    }

    /** One series' parts not yet handed on, each list ascending by start (usually one part each). */
    private static final class Series {
        final long id;
        final String component;
        final String metric;
        final int nameHash;
        final int keyHash;
        long newest = Long.MIN_VALUE;
        /** The earliest end of a part held (Long.MAX_VALUE: none): nothing completes before a watermark reaches it. */
        long due = Long.MAX_VALUE;
        final ArrayList<SummaryPartial> windows = new ArrayList<>(2);
        final ArrayList<BucketBuilder> buckets = new ArrayList<>(2);

        Series(String component, String metric, int nameHash) {
            this.id = MetricSample.seriesId(component, metric);
            this.component = component;
            this.metric = metric;
            this.nameHash = nameHash;
            this.keyHash = MetricSample.seriesKeyHash(component, metric);
        }

        boolean isEmpty() {
            return windows.isEmpty() && buckets.isEmpty();
        }
    }

    /**
     * The series held, in an open-addressing table found by the names' own hash codes (no 64-bit id
     * computed and no key boxed per sample); rebuilt without the empty series at each walk.
     */
    private Series[] table = new Series[64];
    private int tableSize;

    private static int nameHash(String component, String metric) {
        int h = component.hashCode() * 31 + metric.hashCode();
        return h ^ (h >>> 16);
    }

    private Series seriesOf(String component, String metric) {
        int h = nameHash(component, metric);
        int mask = table.length - 1;
        for (int i = h & mask;; i = (i + 1) & mask) {
            Series x = table[i];
            if (x == null) {
                x = new Series(component, metric, h);
                table[i] = x;
                if (++tableSize > table.length / 2) {
                    rebuild(table.length * 2, false); // x has no part yet: it must stay
                }
                return x;
            }
            if (x.nameHash == h && x.component.equals(component) && x.metric.equals(metric)) {
                return x;
            }
        }
    }

    /** The table at {@code capacity} slots, without the series that hold no part if {@code dropEmpty}. */
    private void rebuild(int capacity, boolean dropEmpty) {
        Series[] old = table;
        table = new Series[capacity];
        tableSize = 0;
        int mask = capacity - 1;
        for (Series x : old) {
            if (x != null && !(dropEmpty && x.isEmpty())) {
                int i = x.nameHash & mask;
                while (table[i] != null) {
                    i = (i + 1) & mask;
                }
                table[i] = x;
                tableSize++;
            }
        }
    }

    public void add(MetricSample s) throws Exception {
        Series x = seriesOf(s.component, s.metric);
        long t = s.timestamp;
        if (windowMillis > 0) {
            window(x, t - Math.floorMod(t, windowMillis)).add(s.value, relativeAccuracy);
        }
        if (intervalMillis > 0) {
            bucket(x, t - Math.floorMod(t, intervalMillis)).add(t, s.value, x.keyHash);
        }
        if (t > x.newest) {
            x.newest = t;
        }
        // A sample that advanced its series may complete earlier parts; one further out of order than the
        // bound, or behind the watermark, made a part that is complete at once.
        long complete = Math.max(watermark, x.newest - boundMillis - 1);
        if (complete >= x.due - 1) {
            complete(x, complete);
        }
    }

    /**
     * In a list ascending by start (searched from its end: a sample is nearly always of the newest part), the
     * index of the part starting at {@code start}, or -(the index to insert it at) - 1.
     */
    private static <P> int find(ArrayList<P> list, long start, java.util.function.ToLongFunction<P> startOf) {
        int i = list.size();
        while (i > 0 && startOf.applyAsLong(list.get(i - 1)) > start) {
            i--;
        }
        return i > 0 && startOf.applyAsLong(list.get(i - 1)) == start ? i - 1 : -i - 1;
    }

    private SummaryPartial window(Series x, long start) {
        int i = find(x.windows, start, p -> p.windowStart);
        if (i >= 0) {
            return x.windows.get(i);
        }
        SummaryPartial p = new SummaryPartial(x.id, x.component, x.metric, start, start + windowMillis);
        x.windows.add(-i - 1, p);
        x.due = Math.min(x.due, p.windowEnd);
        earliestEnd = Math.min(earliestEnd, p.windowEnd);
        return p;
    }

    private BucketBuilder bucket(Series x, long start) {
        int i = find(x.buckets, start, b -> b.start);
        if (i >= 0) {
            return x.buckets.get(i);
        }
        BucketBuilder b = new BucketBuilder(start, bucketCapacity);
        x.buckets.add(-i - 1, b);
        x.due = Math.min(x.due, start + intervalMillis);
        earliestEnd = Math.min(earliestEnd, start + intervalMillis);
        return b;
    }

    /** Hands on the parts of {@code x} that end at or before {@code watermark + 1}, windows first, oldest first. */
    private void complete(Series x, long watermark) throws Exception {
        while (!x.windows.isEmpty() && x.windows.get(0).windowEnd - 1 <= watermark) {
            summaries.emit(x.windows.remove(0));
        }
        while (!x.buckets.isEmpty() && x.buckets.get(0).start + intervalMillis - 1 <= watermark) {
            buckets.emit(new BucketPartial(x.id, x.component, x.metric, x.buckets.remove(0).build()));
        }
        x.due = Math.min(x.windows.isEmpty() ? Long.MAX_VALUE : x.windows.get(0).windowEnd,
                x.buckets.isEmpty() ? Long.MAX_VALUE : x.buckets.get(0).start + intervalMillis);
    }

    /**
     * The watermark: every part it completes is handed on ({@code Long.MAX_VALUE}: all of them). Walks the
     * series only when it passes the earliest end held, about once per window of event time.
     */
    public void advance(long watermark) throws Exception {
        this.watermark = Math.max(this.watermark, watermark);
        if (watermark < earliestEnd - 1) {
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (Series x : table) {
            if (x != null) {
                complete(x, watermark);
                earliest = Math.min(earliest, x.due);
            }
        }
        rebuild(table.length > 64 && tableSize < table.length / 8 ? table.length / 2 : table.length, true);
        earliestEnd = earliest;
    }

    /** The summary parts held (for a checkpoint). */
    public List<SummaryPartial> heldSummaries() {
        List<SummaryPartial> out = new ArrayList<>();
        for (Series x : table) {
            if (x != null) {
                out.addAll(x.windows);
            }
        }
        return out;
    }

    /** The bucket parts held (for a checkpoint). */
    public List<BucketPartial> heldBuckets() {
        List<BucketPartial> out = new ArrayList<>();
        for (Series x : table) {
            if (x != null) {
                for (BucketBuilder b : x.buckets) {
                    out.add(new BucketPartial(x.id, x.component, x.metric, b.build()));
                }
            }
        }
        return out;
    }

    /** A summary part from a checkpoint (merged with one of the same window, which a rescale can bring together). */
    public void restore(SummaryPartial p) {
        if (windowMillis == 0) {
            return;
        }
        Series x = seriesOf(p.component, p.metric);
        SummaryPartial held = window(x, p.windowStart);
        held.merge(p, relativeAccuracy);
    }

    /** A bucket part from a checkpoint. */
    public void restore(BucketPartial p) {
        if (intervalMillis == 0) {
            return;
        }
        Series x = seriesOf(p.component, p.metric);
        bucket(x, p.bucket.start).restore(p.bucket);
    }

    /** Series with parts held. */
    public int seriesHeld() {
        int n = 0;
        for (Series x : table) {
            if (x != null && !x.isEmpty()) {
                n++;
            }
        }
        return n;
    }
}
