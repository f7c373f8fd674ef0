package dev.perfwatch.pipeline;

import dev.perfwatch.analyze.SummaryAccumulator;
import dev.perfwatch.analyze.SummaryPartial;
import dev.perfwatch.detect.Bucket;
import dev.perfwatch.detect.BucketPartial;
import dev.perfwatch.model.MetricSample;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Samples folded where they are read: one part per series and window, with the numbers the samples give. */
class PartialAggregatesTest {

    private static final long MIN = 60_000;
    private static final long WINDOW = MIN;
    private static final long INTERVAL = 5 * MIN;
    private static final long BOUND = 30_000;
    private static final double ACCURACY = 0.01;
    private static final int CAPACITY = 20;

    private final List<SummaryPartial> summaries = new ArrayList<>();
    private final List<BucketPartial> buckets = new ArrayList<>();

    private PartialAggregates parts() {
        return new PartialAggregates(WINDOW, ACCURACY, summaries::add, INTERVAL, CAPACITY, buckets::add, BOUND);
    }

    private static MetricSample sample(String component, long t, double v) {
        return new MetricSample(t, "response_time", component, v);
    }

    /** The window accumulator the job's window makes of these parts (the window operator's fold). */
    private static SummaryAccumulator window(List<SummaryPartial> parts, String component, long start) {
        SummaryAccumulator acc = new SummaryAccumulator(ACCURACY);
        for (SummaryPartial p : parts) {
            if (p.component.equals(component) && p.windowStart == start) {
                acc = p.foldInto(acc);
            }
        }
        return acc;
    }

    private static void assertSameNumbers(SummaryAccumulator expected, SummaryAccumulator actual, String what) {
        assertEquals(expected.moments().count(), actual.moments().count(), what + " count");
        assertEquals(expected.moments().mean(), actual.moments().mean(), what + " mean");
        assertEquals(expected.moments().m2(), actual.moments().m2(), what + " m2");
        assertEquals(expected.moments().min(), actual.moments().min(), what + " min");
        assertEquals(expected.moments().max(), actual.moments().max(), what + " max");
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            assertEquals(expected.quantiles(q)[0], actual.quantiles(q)[0], what + " quantile " + q);
        }
    }

    @Test
    void aSeriesReadInOrderMakesOnePartPerWindowAndIntervalWithTheSamplesOwnNumbers() throws Exception {
        PartialAggregates parts = parts();
        SplittableRandom rnd = new SplittableRandom(7);
        // Two series, interleaved, every 10 s for 20 minutes; no watermark (a BATCH run) until the end.
        java.util.Map<String, java.util.Map<Long, SummaryAccumulator>> direct = new java.util.HashMap<>();
        java.util.Map<String, java.util.Map<Long, Bucket>> directBuckets = new java.util.HashMap<>();
        for (long t = 0; t < 20 * MIN; t += 10_000) {
            for (String c : new String[] {"api", "db"}) {
                MetricSample s = sample(c, t, 100 * Math.exp(0.3 * rnd.nextGaussian()));
                parts.add(s);
                direct.computeIfAbsent(c, k -> new java.util.HashMap<>()).computeIfAbsent(t - t % WINDOW, k -> new SummaryAccumulator(ACCURACY)).add(c, s.metric, s.value);
                directBuckets.computeIfAbsent(c, k -> new java.util.HashMap<>()).computeIfAbsent(t - t % INTERVAL, k -> new Bucket(k, CAPACITY))
                        .add(t, s.value, MetricSample.seriesKeyHash(c, "response_time"));
            }
        }
        // Held: only the windows and interval the bound has not yet passed (the last of each, per series).
        assertEquals(2 * 19, summaries.size(), "every window but the last, per series, handed on without a watermark");
        assertEquals(2 * 3, buckets.size());
        parts.advance(Long.MAX_VALUE);
        assertEquals(2 * 20, summaries.size());
        assertEquals(2 * 4, buckets.size());
        assertEquals(0, parts.seriesHeld());
        for (String c : new String[] {"api", "db"}) {
            for (long w = 0; w < 20 * MIN; w += WINDOW) {
                final long start = w;
                assertEquals(1, summaries.stream().filter(p -> p.component.equals(c) && p.windowStart == start).count(), "one part per window");
                assertSameNumbers(direct.get(c).get(w), window(summaries, c, w), c + " window " + w);
            }
            for (BucketPartial p : buckets) {
                if (p.component.equals(c)) {
                    Bucket d = directBuckets.get(c).get(p.bucket.start);
                    assertEquals(d.count, p.bucket.count);
                    assertEquals(d.mean(), p.bucket.mean());
                    assertEquals(d.m2(), p.bucket.m2());
                    assertEquals(d.size, p.bucket.size);
                    assertArrayEquals(java.util.Arrays.copyOf(d.values, d.size), java.util.Arrays.copyOf(p.bucket.values, p.bucket.size));
                    assertEquals(p.seriesId, MetricSample.seriesId(c, "response_time"));
                }
            }
        }
    }

    @Test
    void theWatermarkCompletesThePartsOfASeriesThatStoppedSending() throws Exception {
        PartialAggregates parts = parts();
        parts.add(sample("api", 10_000, 1));
        parts.add(sample("api", 20_000, 2));
        parts.advance(WINDOW - 2);
        assertEquals(0, summaries.size(), "the window's last millisecond is not yet passed");
        parts.advance(WINDOW - 1);
        assertEquals(1, summaries.size());
        assertEquals(2, summaries.get(0).count);
        assertEquals(0, buckets.size(), "the interval is still open");
        parts.advance(INTERVAL - 1);
        assertEquals(1, buckets.size());
        assertEquals(0, parts.seriesHeld(), "nothing left of the series");
        // A sample behind the watermark (which the gate refuses in the job; here it may come) is complete at once.
        parts.add(sample("api", 30_000, 3));
        assertEquals(2, summaries.size());
        assertEquals(2, buckets.size());
    }

    @Test
    void aSampleFurtherOutOfOrderThanTheBoundMakesASecondPartThatMergesToTheWhole() throws Exception {
        PartialAggregates parts = parts();
        SplittableRandom rnd = new SplittableRandom(11);
        SummaryAccumulator all = new SummaryAccumulator(ACCURACY);
        Bucket whole = new Bucket(0, CAPACITY);
        for (long t = 0; t < 7 * MIN; t += 2_000) {
            double v = 50 + 10 * rnd.nextGaussian();
            parts.add(sample("api", t, v));
            if (t < WINDOW) {
                all.add("api", "response_time", v);
            }
            if (t < INTERVAL) {
                whole.add(t, v, MetricSample.seriesKeyHash("api", "response_time"));
            }
        }
        // Six minutes behind the newest, more than the bound: its window and interval went on already.
        long lateT = 45_000;
        parts.add(sample("api", lateT, 500));
        all.add("api", "response_time", 500);
        whole.add(lateT, 500, MetricSample.seriesKeyHash("api", "response_time"));
        parts.advance(Long.MAX_VALUE);
        assertEquals(2, summaries.stream().filter(p -> p.windowStart == 0).count(), "the first window has two parts");
        SummaryAccumulator merged = window(summaries, "api", 0);
        assertEquals(all.moments().count(), merged.moments().count());
        // Exact sums: two parts merged give the bits one accumulator of every value gives.
        assertEquals(all.moments().mean(), merged.moments().mean(), 0.0);
        assertEquals(all.moments().m2(), merged.moments().m2(), 0.0);
        assertEquals(500, merged.moments().max());
        assertEquals(all.quantiles(0.5)[0], merged.quantiles(0.5)[0]);
        assertEquals(all.quantiles(0.99)[0], merged.quantiles(0.99)[0]);
        // The interval's two parts merge into the reservoir adding every value would have kept (bottom-k by hash).
        List<BucketPartial> first = buckets.stream().filter(p -> p.bucket.start == 0).toList();
        assertEquals(2, first.size());
        Bucket b = new Bucket(0, CAPACITY);
        for (BucketPartial p : first) {
            b.merge(p.bucket);
        }
        assertEquals(whole.count, b.count);
        assertEquals(whole.size, b.size);
        assertArrayEquals(java.util.Arrays.copyOf(whole.hashes, whole.size), java.util.Arrays.copyOf(b.hashes, b.size));
        assertArrayEquals(java.util.Arrays.copyOf(whole.values, whole.size), java.util.Arrays.copyOf(b.values, b.size));
        assertEquals(whole.mean(), b.mean(), 0.0);
        assertEquals(whole.m2(), b.m2(), 0.0);
        assertEquals(whole.min, b.min);
        assertEquals(whole.max, b.max);
    }

    @Test
    void aBatchRunHoldsAFewPartsPerSeriesNotTheWholeInputAndLosesNoSample() throws Exception {
        PartialAggregates parts = parts();
        int most = 0;
        int series = 300; // the series table grows several times while parts are held
        long samples = 0;
        for (long t = 0; t < 12 * 60 * MIN; t += 10_000) {
            for (int k = 0; k < series; k++) {
                parts.add(sample("c" + k, t, k + t % 7));
                samples++;
            }
            if (t % (10 * MIN) == 0) {
                most = Math.max(most, parts.heldSummaries().size() + parts.heldBuckets().size());
            }
        }
        assertTrue(most <= series * 4, "parts held at once: " + most);
        parts.advance(Long.MAX_VALUE);
        assertEquals(series * 12 * 60, summaries.size(), "one part per series and window");
        assertEquals(series * 12 * 12, buckets.size());
        assertEquals(samples, summaries.stream().mapToLong(p -> p.count).sum(), "every sample in a window part");
        assertEquals(samples, buckets.stream().mapToLong(p -> p.bucket.count).sum(), "every sample in an interval part");
    }

    @Test
    void heldPartsRestoredFromACheckpointGiveTheSameWindows() throws Exception {
        PartialAggregates before = parts();
        List<MetricSample> input = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(5);
        for (long t = 0; t < 7 * MIN; t += 5_000) {
            input.add(sample("api", t, rnd.nextDouble()));
        }
        int cut = 40; // mid-window, mid-interval
        for (MetricSample s : input.subList(0, cut)) {
            before.add(s);
        }
        List<SummaryPartial> held = roundTrip(SummaryPartial.class, before.heldSummaries());
        List<BucketPartial> heldBuckets = roundTrip(BucketPartial.class, before.heldBuckets());
        List<SummaryPartial> sentBefore = new ArrayList<>(summaries);
        List<BucketPartial> bucketsBefore = new ArrayList<>(buckets);
        summaries.clear();
        buckets.clear();
        PartialAggregates after = parts();
        held.forEach(after::restore);
        heldBuckets.forEach(after::restore);
        for (MetricSample s : input.subList(cut, input.size())) {
            after.add(s);
        }
        after.advance(Long.MAX_VALUE);
        List<SummaryPartial> resumed = new ArrayList<>(sentBefore);
        resumed.addAll(summaries);
        List<BucketPartial> resumedBuckets = new ArrayList<>(bucketsBefore);
        resumedBuckets.addAll(buckets);

        summaries.clear();
        buckets.clear();
        PartialAggregates straight = parts();
        for (MetricSample s : input) {
            straight.add(s);
        }
        straight.advance(Long.MAX_VALUE);
        for (long w = 0; w < 7 * MIN; w += WINDOW) {
            assertSameNumbers(window(summaries, "api", w), window(resumed, "api", w), "window " + w);
        }
        assertEquals(buckets.size(), resumedBuckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            assertEquals(buckets.get(i).bucket.start, resumedBuckets.get(i).bucket.start);
            assertEquals(buckets.get(i).bucket.count, resumedBuckets.get(i).bucket.count);
            assertEquals(buckets.get(i).bucket.mean(), resumedBuckets.get(i).bucket.mean());
            assertEquals(buckets.get(i).bucket.m2(), resumedBuckets.get(i).bucket.m2());
            assertArrayEquals(java.util.Arrays.copyOf(buckets.get(i).bucket.values, buckets.get(i).bucket.size),
                    java.util.Arrays.copyOf(resumedBuckets.get(i).bucket.values, resumedBuckets.get(i).bucket.size));
        }
    }

    /** Through the types' own serializers, as a checkpoint or an exchange writes them. */
    private static <T> List<T> roundTrip(Class<T> type, List<T> values) throws Exception {
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (T v : values) {
            serializer.serialize(v, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<T> read = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            read.add(serializer.deserialize(in));
        }
        assertEquals(0, in.available());
        return read;
    }

    @Test
    void aPartLateForItsWindowBecomesOneDeadLetterCountingItsSamples() {
        SummaryPartial late = new SummaryPartial(42, "api", "response_time", 2 * MIN, 3 * MIN);
        for (double v : new double[] {1, 2, 3}) {
            late.add(v, ACCURACY);
        }
        dev.perfwatch.model.DeadLetter letter = PerfwatchPipeline.lateLetter(late);
        assertEquals(dev.perfwatch.model.DeadLetter.Reason.LATE, letter.reason);
        assertEquals(2 * MIN, letter.eventTime);
        assertEquals("{\"component\":\"api\",\"metric\":\"response_time\",\"window_start\":\"1970-01-01T00:02:00Z\",\"samples\":3}", letter.raw);
        assertTrue(letter.detail.startsWith("3 sample(s) of api/response_time for the window from 1970-01-01T00:02:00Z"), letter.detail);
    }

    @Test
    void partsReadBackAsWritten() throws Exception {
        SummaryPartial one = new SummaryPartial(42, "api", "response_time", MIN, 2 * MIN);
        one.add(3.5, ACCURACY);
        SummaryPartial many = new SummaryPartial(43, "db", "query_time", 0, MIN);
        for (double v : new double[] {1, 2, 40}) {
            many.add(v, ACCURACY);
        }
        List<SummaryPartial> read = roundTrip(SummaryPartial.class, List.of(one, many));
        assertEquals(List.of(42L, 43L), read.stream().map(p -> p.seriesId).toList());
        assertEquals(List.of("api", "db"), read.stream().map(p -> p.component).toList());
        assertEquals(List.of("response_time", "query_time"), read.stream().map(p -> p.metric).toList());
        assertEquals(List.of(MIN, 0L), read.stream().map(p -> p.windowStart).toList());
        assertEquals(List.of(2 * MIN, MIN), read.stream().map(p -> p.windowEnd).toList());
        assertEquals(List.of(1L, 3L), read.stream().map(p -> p.count).toList());
        assertEquals(3.5, read.get(0).value);
        assertSameNumbers(many.acc, read.get(1).acc, "accumulator");
        Bucket b = new Bucket(5 * MIN, CAPACITY);
        b.add(5 * MIN, 7, 1);
        b.add(6 * MIN, 9, 1);
        BucketPartial bp = roundTrip(BucketPartial.class, List.of(new BucketPartial(44, "q", "queue_depth", b))).get(0);
        assertEquals(44, bp.seriesId);
        assertEquals("q", bp.component);
        assertEquals("queue_depth", bp.metric);
        assertEquals(5 * MIN, bp.bucket.start);
        assertEquals(2, bp.bucket.count);
        assertArrayEquals(java.util.Arrays.copyOf(b.hashes, 2), java.util.Arrays.copyOf(bp.bucket.hashes, 2));
    }
}
