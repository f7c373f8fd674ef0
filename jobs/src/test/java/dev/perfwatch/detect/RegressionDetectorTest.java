package dev.perfwatch.detect;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.RegressionFinding;

import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionDetectorTest {

    private static final long MIN = 60_000;

    private static void feed(FedDetector h,
            long fromMin, long toMin, double level, SplittableRandom rnd) throws Exception {
        for (long t = fromMin * MIN; t < toMin * MIN; t += 10_000) {
            MetricSample s = new MetricSample(t, "response_time", "api", level * Math.exp(0.2 * rnd.nextGaussian()));
            h.processElement(new StreamRecord<>(s, t));
            if (t % (5 * MIN) == 0) {
                h.processWatermark(new Watermark(t - 1));
            }
        }
        h.processWatermark(new Watermark(toMin * MIN - 1));
    }

    /** The number of buckets the detector holds for one series, read from its keyed state. */
    private static int buckets(FedDetector h, String component,
            String metric) throws Exception {
        return bucketsOf(h, component, metric).size();
    }

    /** The buckets the detector holds for one series, read from its keyed state: those not yet evaluated, then the evaluated ones. */
    private static List<Bucket> bucketsOf(FedDetector h, String component,
            String metric) throws Exception {
        KeyedStateBackend<Object> backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        backend.setCurrentKey(new MetricSample(0, metric, component, 0).seriesId());
        MapState<Long, Bucket> state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new MapStateDescriptor<>("regression-buckets", Long.class, Bucket.class));
        List<Bucket> all = new java.util.ArrayList<>();
        for (Bucket b : state.values()) {
            all.add(b);
        }
        Iterable<Bucket> closed = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ListStateDescriptor<>("regression-closed-buckets", Bucket.class)).get();
        for (Bucket b : closed == null ? List.<Bucket>of() : closed) {
            all.add(b);
        }
        return all;
    }

    /** The starts (in minutes) of the buckets not yet evaluated, read from the detector's keyed state. */
    private static java.util.SortedSet<Long> openStarts(FedDetector h) throws Exception {
        KeyedStateBackend<Object> backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        backend.setCurrentKey(new MetricSample(0, "response_time", "api", 0).seriesId());
        MapState<Long, Bucket> state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new MapStateDescriptor<>("regression-buckets", Long.class, Bucket.class));
        java.util.SortedSet<Long> starts = new java.util.TreeSet<>();
        for (Long k : state.keys()) {
            starts.add(k / MIN);
        }
        return starts;
    }

    @Test
    void theCompleteBucketsAreEvaluatedWhileTheInputRunsFarAheadOfTheWatermark() throws Exception {
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=30m"));
        var h = new FedDetector(c);
        h.open();
        // Six hours of samples every minute (intervals 0 to 355) with no gap but minutes 250-259 (intervals
        // 250 and 255 empty), all before any watermark: a catch-up.
        for (long m = 0; m < 360; m++) {
            if (m < 250 || m >= 260) {
                h.processElement(new StreamRecord<>(new MetricSample(m * MIN, "response_time", "api", 100 + m % 7), m * MIN));
            }
        }
        // Each interval reaches the detector once the series' newest sample is past its end by the bound,
        // so all but the last (355-360, still filling where the samples are read): 69 open.
        assertEquals(69, openStarts(h).size());
        // The watermark in steps of 5, 17 and 60 minutes: every interval ending at or before it leaves the
        // open buckets, the others stay.
        for (long w : new long[] {5, 22, 82, 142, 147, 300}) {
            h.processWatermark(new Watermark(w * MIN));
            java.util.SortedSet<Long> open = openStarts(h);
            long firstOpen = w - w % 5; // the intervals before the watermark's are complete
            for (Long s : open) {
                assertTrue(s >= firstOpen, "at watermark minute " + w + ", interval " + s + " should have been evaluated: " + open);
            }
            assertEquals(java.util.stream.LongStream.range(firstOpen / 5, 71).map(i -> i * 5).filter(s -> s < 250 || s >= 260).count(), open.size(),
                    "open at watermark minute " + w + ": " + open);
        }
        // A late sample for the empty interval 250 (before the watermark): it opens a bucket that the next
        // evaluation moves, so it is held once, among the evaluated ones.
        h.processElement(new StreamRecord<>(new MetricSample(251 * MIN, "response_time", "api", 500), 251 * MIN));
        assertTrue(openStarts(h).contains(250L));
        h.processWatermark(new Watermark(305 * MIN));
        assertTrue(!openStarts(h).contains(250L) && openStarts(h).first() == 305, "open: " + openStarts(h));
        assertEquals(List.of(1L), bucketsOf(h, "api", "response_time").stream().filter(b -> b.start == 250 * MIN).map(b -> b.count).toList());
        h.close();
    }

    @Test
    void bucketsFarAheadOfTheWatermarkBeyondAGapAreEvaluatedInTurn() throws Exception {
        // Minutes 0-59, then 600-659 (a gap of 108 intervals, more than the detector looks up one by one),
        // all before any watermark, as when one reader runs hours ahead of another.
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=30m"));
        var h = new FedDetector(c);
        for (long m = 0; m < 660; m++) {
            if (m < 60 || m >= 600) {
                h.processElement(new StreamRecord<>(new MetricSample(m * MIN, "response_time", "api", 100 + m % 7), m * MIN));
            }
        }
        java.util.List<Long> ahead = java.util.stream.LongStream.range(120, 131).map(i -> i * 5).boxed().toList(); // 600-650; 655 still filling
        for (long w : new long[] {62, 63, 300, 599}) {
            h.processWatermark(new Watermark(w * MIN));
            assertEquals(ahead, List.copyOf(openStarts(h)), "open at watermark minute " + w);
        }
        for (long w = 600; w <= 650; w += 5) {
            h.processWatermark(new Watermark(w * MIN + 1));
            final long cut = w;
            assertEquals(ahead.stream().filter(s -> s >= cut).toList(), List.copyOf(openStarts(h)), "open at watermark minute " + w);
        }
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertEquals(0, h.numKeyedStateEntries(), "all state gone once the data has aged out");
        h.close();
    }

    @Test
    void aLateSampleJoinsItsIntervalsBucketOnce() throws Exception {
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=30m"));
        var h = new FedDetector(c);
        h.open();
        // Minutes 0-9 and 20-29 (5-minute intervals 0, 5, 20, 25), then the watermark at minute 40: all four evaluated.
        for (long m : new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29}) {
            h.processElement(new StreamRecord<>(new MetricSample(m * MIN, "response_time", "api", 100), m * MIN));
        }
        h.processWatermark(new Watermark(40 * MIN));
        // Late: one for the evaluated interval 5-10, two for the empty interval 10-15.
        for (long m : new long[] {7, 11, 12}) {
            h.processElement(new StreamRecord<>(new MetricSample(m * MIN + 30_000, "response_time", "api", 200), m * MIN + 30_000));
        }
        h.processWatermark(new Watermark(45 * MIN));
        List<Bucket> held = bucketsOf(h, "api", "response_time");
        java.util.Map<Long, Long> counts = new java.util.TreeMap<>();
        for (Bucket b : held) {
            assertEquals(null, counts.put(b.start / MIN, b.count), "one bucket per interval: " + counts);
        }
        assertEquals(java.util.Map.of(0L, 5L, 5L, 6L, 10L, 2L, 20L, 5L, 25L, 5L), counts);
    }

    @Test
    void aLateSampleForAnEvaluatedIntervalReachesTheEvaluationsAfterIt() throws Exception {
        // The evaluations read the closed buckets' starts and means from arrays kept beside them (BucketIndex); a
        // late part merged into a closed bucket must reach them. The detector asserts after each evaluation
        // that the arrays hold every closed bucket's start and mean to the bit (tests run with -ea).
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=30m"));
        var h = new FedDetector(c);
        for (long m = 0; m < 30; m++) {
            h.processElement(new StreamRecord<>(new MetricSample(m * MIN, "response_time", "api", 100), m * MIN));
        }
        h.processWatermark(new Watermark(30 * MIN));
        // Late, for the evaluated interval 5-10 only (no interval of its own to open, so nothing is re-sorted).
        h.processElement(new StreamRecord<>(new MetricSample(7 * MIN + 30_000, "response_time", "api", 700), 7 * MIN + 30_000));
        for (long m = 30; m < 40; m++) {
            h.processElement(new StreamRecord<>(new MetricSample(m * MIN, "response_time", "api", 100), m * MIN));
        }
        h.processWatermark(new Watermark(40 * MIN));
        Bucket five = bucketsOf(h, "api", "response_time").stream().filter(b -> b.start == 5 * MIN).findFirst().orElseThrow();
        assertEquals(6, five.count);
        assertEquals(200.0, five.mean, 1e-9);
        h.close();
    }

    @Test
    void oneFindingPerEpisodeBoundedStateAndCleanup() throws Exception {
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=30m"));
        var h = new FedDetector(c);
        h.open();
        SplittableRandom rnd = new SplittableRandom(3);
        feed(h, 0, 180, 100, rnd);
        assertTrue(h.extractOutputValues().isEmpty(), "a steady series has no finding: " + h.extractOutputValues());
        feed(h, 180, 300, 150, rnd); // +50% for two hours
        List<RegressionFinding> out = h.extractOutputValues();
        // One finding; confirmations repeat it only as it grows to a higher severity (the next version,
        // with the current figures), at most once per severity.
        assertTrue(out.size() >= 1 && out.size() <= 3, "confirmations do not repeat the finding: " + out);
        for (int i = 0; i < out.size(); i++) {
            RegressionFinding v = out.get(i);
            assertEquals(out.get(0).findingId, v.findingId);
            assertEquals(out.get(0).detectedAt, v.detectedAt, "detected_at stays the first detection");
            assertEquals(i + 1, v.version);
            if (i > 0) {
                assertTrue(v.severity.compareTo(out.get(i - 1).severity) > 0, "an update is a higher severity: " + out);
                assertTrue(v.updatedAt > out.get(i - 1).updatedAt);
                assertTrue(v.relativeChange > out.get(i - 1).relativeChange, "with the current, larger change: " + out);
            }
        }
        RegressionFinding current = out.get(out.size() - 1);
        assertTrue(current.relativeChange > 0.35 && current.relativeChange < 0.65, "the newest version has grown towards +50%: " + current);
        RegressionFinding f = out.get(0);
        assertEquals(f.detectedAt, f.updatedAt);
        assertEquals("regression", f.direction.code());
        assertEquals("sudden", f.type.code());
        assertEquals(180 * MIN, f.changePointAt);
        assertTrue(f.detectedAt > 180 * MIN && f.detectedAt <= 215 * MIN, "found within 35 minutes: " + f);
        assertTrue(f.relativeChange > 0.1 && f.relativeChange < 0.6, "part of the comparison hour is past the step: " + f);
        // Buckets: the baseline and comparison windows in 5-minute intervals before the last evaluation
        // (a 2 h baseline keeps no day-ago reference), plus the one filling; 60 have been seen. Those that
        // left the retention are dropped PRUNE_AFTER at a time, so fewer than that many may still be stored.
        int retained = (120 + 60) / 5 + 1;
        int stored = buckets(h, f.component, f.metric);
        assertTrue(stored >= retained && stored < retained + RegressionDetector.PRUNE_AFTER, "bounded state: " + stored);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertEquals(0, h.numKeyedStateEntries(), "all state gone once the data has aged out");
        assertEquals(0, h.numEventTimeTimers());
        h.close();
    }

    @Test
    void aMetricsOwnGatesApply() throws Exception {
        // The +50% step of the first test, under a gate of 60% for response_time on this component only.
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=30m",
                "components.api.response_time.min-relative-change=0.6"));
        var h = new FedDetector(c);
        h.open();
        SplittableRandom rnd = new SplittableRandom(3);
        feed(h, 0, 180, 100, rnd);
        feed(h, 180, 300, 150, rnd);
        assertTrue(h.extractOutputValues().isEmpty(), "under the series' own 60% gate: " + h.extractOutputValues());
        h.close();
    }

    @Test
    void improvementsAreReportedAsSuchAndAreNotAlerts() throws Exception {
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=30m"));
        var h = new FedDetector(c);
        h.open();
        SplittableRandom rnd = new SplittableRandom(4);
        feed(h, 0, 180, 100, rnd);
        feed(h, 180, 260, 60, rnd);
        List<RegressionFinding> out = h.extractOutputValues();
        assertEquals(1, out.stream().map(f -> f.findingId).distinct().count(), "one finding (its versions as it grew): " + out);
        for (RegressionFinding f : out) {
            assertEquals("improvement", f.direction.code());
            assertEquals("info", f.severity.code());
        }
        assertTrue(out.get(out.size() - 1).relativeChange < 2 * out.get(0).relativeChange,
                "the newest version carries the change as it grew (the first look saw part of the fall to 60): " + out);
        // A finding, not an alert: nothing for the alert lifecycle to raise.
        assertEquals(null, h.harness.getSideOutput(RegressionDetector.EPISODES), "no alert for an improvement");
        h.close();

        // The same series getting slower: the finding is an alert too.
        var worse = new FedDetector(c);
        worse.open();
        rnd = new SplittableRandom(4);
        feed(worse, 0, 180, 100, rnd);
        feed(worse, 180, 260, 160, rnd);
        assertEquals("regression", worse.extractOutputValues().get(0).direction.code());
        var raised = worse.harness.getSideOutput(RegressionDetector.EPISODES);
        assertTrue(raised != null && raised.stream().anyMatch(r -> r.getValue().rule.equals("regression")
                && r.getValue().status == dev.perfwatch.model.AlertStatus.FIRING), String.valueOf(raised));
        worse.close();
    }

    /** Buckets of 5 minutes with samples every 10 s of {@code level(minute)} plus 3% normal noise. */
    private static List<Bucket> buckets(RegressionEvaluator evaluator, int minutes, java.util.function.DoubleUnaryOperator level, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        java.util.List<Bucket> out = new java.util.ArrayList<>();
        for (long t = 0; t < minutes * MIN; t += 10_000) {
            long start = t - t % (5 * MIN);
            if (out.isEmpty() || out.get(out.size() - 1).start != start) {
                out.add(new Bucket(start, evaluator.bucketCapacity()));
            }
            double v = level.applyAsDouble(t / (double) MIN);
            out.get(out.size() - 1).add(t, v * (1 + 0.03 * rnd.nextGaussian()), 42);
        }
        return out;
    }

    @Test
    void classifiesTheShapeOfAChange() {
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=30m"));
        RegressionEvaluator evaluator = new RegressionEvaluator(c.regression, c.catalogue());
        dev.perfwatch.config.Direction worse = dev.perfwatch.config.Direction.HIGHER_IS_WORSE;
        // Latency flat at 100 for two hours, recovering to 55 over the next hour, then rising to 140 over
        // the last: the slope turned from -45/h to +85/h, the worse way.
        var reversal = buckets(evaluator, 240, m -> m < 120 ? 100 : m < 180 ? 100 - 45 * (m - 120) / 60 : 55 + 85 * (m - 180) / 60, 1);
        RegressionFinding r = evaluator.evaluate("api", "response_time", worse, 240 * MIN, reversal).finding();
        assertEquals("trend_reversal", r.type.code(), r.toString());
        assertTrue(r.trend.slopePerHour > 60 && r.trend.slopePerHour < 110, "slope of the comparison hour: " + r.trend.slopePerHour);
        // The same rise from a flat level is gradual; a jump is sudden, dated to its bucket.
        var ramp = buckets(evaluator, 240, m -> m < 180 ? 100 : 100 + 60 * (m - 180) / 60, 2);
        RegressionFinding g = evaluator.evaluate("api", "response_time", worse, 240 * MIN, ramp).finding();
        assertEquals("gradual", g.type.code(), g.toString());
        assertTrue(Math.abs(g.changePointAt - 180 * MIN) <= 10 * MIN, "the ramp starts at minute 180: " + g);
        var step = buckets(evaluator, 240, m -> m < 200 ? 100 : 130, 3);
        RegressionFinding st = evaluator.evaluate("api", "response_time", worse, 240 * MIN, step).finding();
        assertEquals("sudden", st.type.code(), st.toString());
        assertEquals(200 * MIN, st.changePointAt);
        // A 15-minute excursion that has returned, at a look while it is still in the comparison window.
        var spike = buckets(evaluator, 240, m -> m >= 195 && m < 210 ? 200 : 100, 4);
        RegressionFinding a = evaluator.evaluate("api", "response_time", worse, 240 * MIN, spike).finding();
        assertEquals("anomaly", a.type.code(), a.toString());
    }

    /**
     * A short outage in the baseline does not stop the evaluations: the baseline needs data in nine tenths of
     * min-baseline's intervals (before, in all of them, so a 10-minute gap stopped a series' regression
     * detection until it left the baseline a day later).
     */
    @Test
    void aShortGapInTheBaselineStillEvaluatesALongOneDoesNot() {
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=2h"));
        RegressionEvaluator evaluator = new RegressionEvaluator(c.regression, c.catalogue());
        dev.perfwatch.config.Direction worse = dev.perfwatch.config.Direction.HIGHER_IS_WORSE;
        var all = buckets(evaluator, 180, m -> m < 160 ? 100 : 130, 5);
        List<Bucket> shortGap = new java.util.ArrayList<>(all);
        shortGap.removeIf(b -> b.start >= 60 * MIN && b.start < 70 * MIN); // 2 of the baseline's 24 intervals
        RegressionEvaluator.Evaluation e = evaluator.evaluate("api", "response_time", worse, 180 * MIN, shortGap);
        assertTrue(e != null && e.finding() != null && e.finding().changePointAt == 160 * MIN, "evaluated, the step found: " + e);
        List<Bucket> longGap = new java.util.ArrayList<>(all);
        longGap.removeIf(b -> b.start >= 60 * MIN && b.start < 75 * MIN); // 3 of 24: more than a tenth
        assertEquals(null, evaluator.evaluate("api", "response_time", worse, 180 * MIN, longGap), "not enough baseline");
    }

    @Test
    void aStepInASparseSeriesIsOneFinding() throws Exception {
        // One sample every 5 minutes (12 a comparison window, as in NAB's CloudWatch series): Mann-Whitney's
        // p sits near the corrected alpha, so without hysteresis the episode closed and reopened.
        PerfwatchConfig c = ConfigLoader.defaults();
        var h = new FedDetector(c);
        h.open();
        SplittableRandom rnd = new SplittableRandom(11);
        long step = 36 * 60 * MIN;
        for (long t = 0; t < 48 * 60 * MIN; t += 5 * MIN) {
            double level = (t < step ? 17 : 27) * (1 + 0.1 * Math.sin(2 * Math.PI * t / (24 * 60 * MIN)));
            h.processElement(new StreamRecord<>(new MetricSample(t, "cpu_usage", "db", level * (1 + 0.03 * rnd.nextGaussian())), t));
            h.processWatermark(new Watermark(t));
        }
        List<RegressionFinding> out = h.extractOutputValues();
        assertEquals(1, out.stream().map(f -> f.findingId).distinct().count(), "one episode: " + out);
        RegressionFinding f = out.get(out.size() - 1);
        assertEquals("regression", f.direction.code());
        assertEquals("sudden", f.type.code());
        assertTrue(Math.abs(f.changePointAt - step) <= 10 * MIN, "dated to the step: " + f);
        h.close();
    }

    @Test
    void aYoungSeriesIsEvaluatedOnceItsHistoryReachesBackMinBaseline() {
        // Nine tenths of the baseline's intervals with data let a short outage pass; they must not let a series
        // that is 22 hours old be evaluated against a baseline without a whole daily cycle.
        PerfwatchConfig c = ConfigLoader.defaults();
        RegressionEvaluator evaluator = new RegressionEvaluator(c.regression, c.catalogue());
        dev.perfwatch.config.Direction worse = dev.perfwatch.config.Direction.HIGHER_IS_WORSE;
        var all = buckets(evaluator, 26 * 60, m -> 100, 3);
        long day = 24 * 60 * MIN;
        assertEquals(null, evaluator.evaluate("api", "response_time", worse, day + 55 * MIN, all.subList(0, 24 * 12 + 11)),
                "23 h 55 min of history before the comparison hour: not evaluated");
        assertTrue(evaluator.evaluate("api", "response_time", worse, day + 60 * MIN, all.subList(0, 25 * 12)) != null,
                "a day of history before the comparison hour: evaluated");
    }

    @Test
    void theStrideFollowsTheSeriesOwnSampling() {
        PerfwatchConfig c = ConfigLoader.defaults();
        long day = 24 * 60 * MIN;
        java.util.function.LongFunction<List<Bucket>> every = spacing -> {
            List<Bucket> out = new java.util.ArrayList<>();
            for (long t = 0; t < 2 * day; t += spacing) {
                long start = t - t % (5 * MIN);
                if (out.isEmpty() || out.get(out.size() - 1).start != start) {
                    out.add(new Bucket(start, 16));
                }
                out.get(out.size() - 1).add(t, 1, 7);
            }
            return out;
        };
        assertEquals(1, RegressionDetector.stride(every.apply(MIN), 2 * day, c.regression, 0));
        assertEquals(1, RegressionDetector.stride(every.apply(5 * MIN), 2 * day, c.regression, 0));
        assertEquals(2, RegressionDetector.stride(every.apply(7 * MIN), 2 * day, c.regression, 0), "7 minutes: 10-minute intervals always hold one");
        assertEquals(2, RegressionDetector.stride(every.apply(10 * MIN), 2 * day, c.regression, 0));
        assertEquals(3, RegressionDetector.stride(every.apply(15 * MIN), 2 * day, c.regression, 0));
        assertEquals(6, RegressionDetector.stride(every.apply(30 * MIN), 2 * day, c.regression, 0));
        assertEquals(12, RegressionDetector.stride(every.apply(60 * MIN), 2 * day, c.regression, 0));
        assertEquals(24, RegressionDetector.stride(every.apply(3 * 60 * MIN), 2 * day, c.regression, 0),
                "sparser than the baseline can hold 12 of: the longest stride (and no evaluation)");
        List<Bucket> outage = every.apply(MIN);
        outage.removeIf(b -> b.start >= day + 60 * MIN && b.start < day + 200 * MIN);
        assertEquals(1, RegressionDetector.stride(outage, 2 * day, c.regression, 0), "a 2-hour outage is not sparse sampling");
        assertTrue(RegressionDetector.sparser(every.apply(3 * 60 * MIN), c.regression), "3 hours: beyond the longest stride (2 h)");
        assertTrue(!RegressionDetector.sparser(every.apply(2 * 60 * MIN), c.regression), "2 hours: the longest stride");
        assertTrue(!RegressionDetector.sparser(outage, c.regression), "a 2-hour outage");
        assertEquals(0, RegressionDetector.stride(every.apply(30 * MIN).subList(0, 7), 4 * 60 * MIN, c.regression, 0),
                "too few buckets to say");
    }

    @Test
    void bucketsJoinedIntoLongerIntervalsKeepEveryValueAndTheirMoments() {
        List<Bucket> fine = new java.util.ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(4);
        List<Double> values = new java.util.ArrayList<>();
        for (long t = 0; t < 60 * MIN; t += 10 * MIN) {
            Bucket b = new Bucket(t, 16);
            for (int i = 0; i < 3; i++) {
                double v = 50 + 10 * rnd.nextGaussian();
                b.add(t + i, v, 9);
                values.add(v);
            }
            b.trim();
            fine.add(b);
        }
        List<Bucket> joined = RegressionDetector.coarsen(fine, 30 * MIN);
        assertEquals(2, joined.size());
        assertEquals(List.of(0L, 30 * MIN), joined.stream().map(b -> b.start).toList());
        for (int k = 0; k < 2; k++) {
            double[] expected = values.subList(9 * k, 9 * k + 9).stream().mapToDouble(Double::doubleValue).toArray();
            dev.perfwatch.stats.Moments m = dev.perfwatch.stats.Moments.of(expected);
            Bucket b = joined.get(k);
            assertEquals(9, b.count);
            assertEquals(9, b.size, "every value in the reservoir");
            assertEquals(m.mean(), b.mean(), 1e-12);
            assertEquals(m.m2(), b.m2(), 1e-9);
            assertEquals(m.min(), b.min);
            assertEquals(m.max(), b.max);
            double[] got = java.util.Arrays.copyOf(b.values, b.size);
            java.util.Arrays.sort(got);
            java.util.Arrays.sort(expected);
            assertTrue(java.util.Arrays.equals(expected, got), "the values themselves");
        }
    }

    /** Three days of a series sampled every {@code spacing}, +40% from {@code step} on (none: Long.MAX_VALUE), through the detector. */
    private static List<RegressionFinding> sparse(long spacing, long step, long seed) throws Exception {
        return sparse(ConfigLoader.defaults(), spacing, step, 72 * 60 * MIN, seed);
    }

    private static List<RegressionFinding> sparse(PerfwatchConfig config, long spacing, long step, long until, long seed) throws Exception {
        return sparse(config, spacing, step, until, seed, true);
    }

    /** watermarks: one after each sample (streaming), else none until the end (BATCH: every element before every timer). */
    private static List<RegressionFinding> sparse(PerfwatchConfig config, long spacing, long step, long until, long seed, boolean watermarks) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        return fed(config, spacing, until, watermarks, t -> {
            double level = (t < step ? 40 : 56) * (1 + 0.1 * Math.sin(2 * Math.PI * t / (24 * 60 * MIN)));
            return List.of(new MetricSample(t, "cpu_usage", "db", level * (1 + 0.05 * rnd.nextGaussian())));
        });
    }

    /** The samples {@code at} gives for each time from 0 to {@code until} by {@code spacing}, through the detector. */
    private static List<RegressionFinding> fed(PerfwatchConfig config, long spacing, long until, boolean watermarks,
            java.util.function.LongFunction<List<MetricSample>> at) throws Exception {
        var h = new FedDetector(config);
        h.open();
        for (long t = 0; t < until; t += spacing) {
            for (MetricSample sample : at.apply(t)) {
                h.processElement(new StreamRecord<>(sample, t));
            }
            if (watermarks) {
                h.processWatermark(new Watermark(t));
            }
        }
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        List<RegressionFinding> out = h.extractOutputValues();
        h.close();
        return out;
    }

    /**
     * A cache's hit rate from 0.97 to 0.94 (the misses doubled; binomial noise of 500 requests a minute) is 3% of
     * its level, under the 7% gate that a change of the level must pass, and was never found. For a ratio the gate
     * reads the change against the smaller of the level and its complement. Two hours later the rate falls on to
     * 0.85: the finding, critical from its first look, is updated with the grown change (its next version).
     */
    @Test
    void aHitRateWhoseMissesDoubledIsARegressionAndItsGrowthUpdatesTheFinding() throws Exception {
        long step = (48 + 6) * 60 * MIN;
        long further = step + 4 * 60 * MIN; // past the three comparison windows in which its type may still be revised
        SplittableRandom rnd = new SplittableRandom(21);
        List<RegressionFinding> out = fed(ConfigLoader.defaults(), MIN, 60 * 60 * MIN, true, t -> {
            double p = t < step ? 0.97 : t < further ? 0.94 : 0.85;
            double rate = p + Math.sqrt(p * (1 - p) / 500) * rnd.nextGaussian();
            return List.of(new MetricSample(t, "cache_hit_rate", "cache", Math.min(1, rate)));
        });
        assertTrue(!out.isEmpty(), "the doubled misses are found");
        RegressionFinding first = out.get(0);
        assertEquals("regression", first.direction.code());
        assertTrue(first.detectedAt > step && first.detectedAt < further, "found before the second fall: " + json(out));
        assertTrue(first.relativeChange > -0.05 && first.relativeChange < -0.015, "the hit rate's own change reported: " + json(out));
        assertEquals("critical", first.severity.code(), "the misses doubled");
        String summary = RegressionDetector.summary(first);
        assertTrue(summary.contains("cache/cache_hit_rate regression -") && summary.matches(".*, 1 - mean 0\\.0[23][0-9]* -> 0\\.0[5-7][0-9]* \\(\\+[0-9]+%\\)"), summary);
        String all = String.join("\n", json(out));
        RegressionFinding grown = out.stream().filter(f -> f.findingId.equals(first.findingId) && f.updatedAt > further)
                .max(java.util.Comparator.comparingInt(f -> f.version)).orElseThrow(() -> new AssertionError("no update after the second fall: " + all));
        assertTrue(grown.relativeChange < -0.06 && grown.relativeChange > -0.15, "the newest version carries the grown change: " + all);
        assertEquals(first.detectedAt, grown.detectedAt);
        assertEquals(1, out.stream().map(f -> f.findingId).distinct().count(), "one finding: " + json(out));
        // An error rate's change is its own (the rarer outcome already): 0.5% of errors is not a hit rate of 0.995.
        assertEquals(1.0, RegressionEvaluator.practicalSize(0.005, 0.01, true), 1e-12);
        assertEquals(1.0, RegressionEvaluator.practicalSize(0.97, 0.94, true), 1e-9);
        assertEquals(0.03 / 0.97, RegressionEvaluator.practicalSize(0.97, 0.94, false), 1e-12);
    }

    @Test
    void seriesSampledEveryTenOrThirtyMinutesAreEvaluatedWithTheDefaults() throws Exception {
        // With the defaults' 5-minute interval such series had data in a half or a sixth of the intervals, never
        // the nine tenths a baseline needs: nothing was evaluated. Now each is evaluated every 2 or 6 intervals,
        // over a comparison window 2 or 6 hours long (12 of its values, as a 5-minute series has in an hour).
        long step = 56 * 60 * MIN;
        for (long spacing : new long[] {10 * MIN, 30 * MIN}) {
            List<RegressionFinding> out = sparse(spacing, step, 5);
            assertEquals(1, out.stream().map(f -> f.findingId).distinct().count(), "one finding at " + spacing / MIN + " min: " + out);
            RegressionFinding f = out.get(0);
            assertEquals("regression", f.direction.code());
            assertTrue(f.detectedAt > step && f.detectedAt <= step + 6 * 60 * MIN, "found within 6 hours: " + f);
            assertEquals(0, f.detectedAt % spacing, "evaluated at the end of the series' own longer interval: " + f);
            assertTrue(Math.abs(f.changePointAt - step) <= 2 * spacing, "dated to the step: " + f);
            assertEquals(List.of(), sparse(spacing, Long.MAX_VALUE, 5), "the same series without the step: nothing");
        }
    }

    @Test
    void seriesSampledEveryFourHoursAreEvaluatedWithAWeekLongBaseline() throws Exception {
        // Beyond 2 hours (12 values in a day's baseline) a series needs a longer baseline, as the run's note says:
        // with 7 days it is evaluated every 4 hours over a comparison window of 48 hours.
        PerfwatchConfig config = weekBaseline();
        long spacing = 4 * 60 * MIN;
        long step = 9 * 24 * 60 * MIN;
        long until = 12 * 24 * 60 * MIN;
        assertEquals(List.of(), sparse(ConfigLoader.defaults(), spacing, step, until, 5), "a day's baseline: not evaluated");
        List<RegressionFinding> out = sparse(config, spacing, step, until, 5);
        assertEquals(1, out.stream().map(f -> f.findingId).distinct().count(), "one finding: " + out);
        RegressionFinding f = out.get(0);
        assertTrue(f.detectedAt > step && f.detectedAt <= step + 2 * 24 * 60 * MIN, "found within 2 days: " + f);
        assertEquals(0, f.detectedAt % spacing, "evaluated at the end of one of the series' own intervals: " + f);
        assertTrue(Math.abs(f.changePointAt - step) <= 2 * spacing, "dated to the step: " + f);
        assertEquals(List.of(), sparse(config, spacing, Long.MAX_VALUE, until, 5), "the same series without the step: nothing");
    }

    @Test
    void sparseSeriesGetTheSameFindingsWhenEveryTimerFiresAfterTheInputAsInBatchMode() throws Exception {
        // In BATCH mode every element comes before every timer, so timers cannot follow the stride the detector
        // measures: a 2-hour series registered only the next hour's interval ends and was never evaluated.
        PerfwatchConfig week = weekBaseline();
        long day = 24 * 60 * MIN;
        Object[][] cases = {
                {ConfigLoader.defaults(), 10 * MIN, 2 * day + 8 * 60 * MIN, 3 * day},
                {ConfigLoader.defaults(), 120 * MIN, 3 * day, 5 * day},
                {week, 240 * MIN, 9 * day, 12 * day}};
        for (Object[] c : cases) {
            PerfwatchConfig config = (PerfwatchConfig) c[0];
            long spacing = (Long) c[1];
            List<RegressionFinding> streaming = sparse(config, spacing, (Long) c[2], (Long) c[3], 7, true);
            assertTrue(!streaming.isEmpty(), "a finding at " + spacing / MIN + " min");
            assertEquals(json(streaming), json(sparse(config, spacing, (Long) c[2], (Long) c[3], 7, false)), "at " + spacing / MIN + " min");
        }
    }

    /** The defaults with a week's baseline (and min-baseline): series sampled up to every 12 hours are evaluated. */
    private static PerfwatchConfig weekBaseline() {
        PerfwatchConfig config = ConfigLoader.defaults();
        config.regression.baselineWindow = java.time.Duration.ofDays(7);
        config.regression.minBaseline = java.time.Duration.ofDays(7);
        return config;
    }

    private static List<String> json(List<RegressionFinding> findings) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (RegressionFinding f : findings) {
            out.add(dev.perfwatch.model.OutputJson.MAPPER.writeValueAsString(f));
        }
        return out;
    }

    @Test
    void irregularHalfHourlySeriesKeepTheirDailyGuardAndStayEvaluated() throws Exception {
        // Samples at random times, 10 minutes apart on average, a daily cycle of +-15%, and a +35% step that holds to
        // the end; 20 such series. Before: 9 of them had a false finding before the step. One evaluation in twenty
        // had no bucket at the very start of its baseline day and lost the day-ago guard, so the cycle read as a
        // change. Then a daily peak read as a short excursion against a guard that averaged 8 hours of the cycle.
        // And 30-minute intervals, 95% filled, left a series unevaluated for a day after one stretch of empty ones
        // (seed 15: the step found 25 hours late).
        long day = 24 * 60 * MIN;
        long step = 2 * day + 22 * 60 * MIN;
        int falseFindings = 0;
        for (int seed = 1; seed <= 20; seed++) {
            var h = new FedDetector(ConfigLoader.defaults());
            h.open();
            SplittableRandom rnd = new SplittableRandom(seed);
            for (long t = 0; t < 4 * day; t += Math.max(1000, (long) (-Math.log(1 - rnd.nextDouble()) * 10 * MIN))) {
                double level = 100 * (1 + 0.15 * Math.sin(2 * Math.PI * t / day)) * (t >= step ? 1.35 : 1) * Math.exp(0.1 * rnd.nextGaussian());
                h.processElement(new StreamRecord<>(new MetricSample(t, "response_time", "api", level), t));
                h.processWatermark(new Watermark(t));
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<RegressionFinding> out = h.extractOutputValues();
            h.close();
            falseFindings += out.stream().anyMatch(f -> f.detectedAt <= step) ? 1 : 0;
            assertTrue(out.stream().anyMatch(f -> f.detectedAt > step && f.detectedAt <= step + day && f.direction.code().equals("regression")),
                    "seed " + seed + ": the step found within a day: " + out);
        }
        assertTrue(falseFindings <= 2, falseFindings + " of 20 series with a finding before the step");
    }

    /**
     * An outage yesterday is not a regression today. Twenty series sampled every minute for three days, a daily cycle
     * of +-15% and 3% noise, no data for two hours on the second day, from 10:00. Before: at 10:35 to 11:40 the next
     * day the same span a day earlier was mostly missing, the comparison hour was tested against the day's baseline
     * alone, and the cycle read as a change: 14 of the 20 series had a finding. A +30% step at 10:30 on the third
     * day, in the outage's shadow, is still found, once the span a day earlier holds data again.
     */
    @Test
    void anOutageYesterdayIsNotARegressionTodayAndAStepInItsShadowIsStillFound() throws Exception {
        long day = 24 * 60 * MIN;
        long outage = day + 10 * 60 * MIN;
        quietAndStepFoundWithin3Hours(seed -> 2 * day + 10 * 60 * MIN + 30 * MIN, (seed, step) -> afterAnOutage(seed, outage, outage + 120 * MIN, step));
    }

    /**
     * A step as the data comes back after an outage of three hours is found within the hour after. Ten series sampled
     * every minute for three days, a daily cycle of +-15% and 3% noise, no data from 10:00 to 13:00 on the second day,
     * and from then on +30% on five of them. Before: such a series was taken for one sampled every two hours (the
     * outage's gap), and its baseline needed data in nine tenths of its day: the step was found 17 hours later. The
     * unchanged five stay without a finding.
     */
    @Test
    void aStepAsTheDataComesBackAfterALongOutageIsFoundWithinTheHour() throws Exception {
        long day = 24 * 60 * MIN;
        long outage = day + 10 * 60 * MIN;
        long back = outage + 3 * 60 * MIN;
        for (int seed = 1; seed <= 10; seed++) {
            List<RegressionFinding> out = afterAnOutage(seed, outage, back, seed > 5 ? back : Long.MAX_VALUE);
            if (seed > 5) {
                assertTrue(regressionWithin(out, back, 60 * MIN), "seed " + seed + ": the step found within the hour: " + out);
            } else {
                assertEquals(List.of(), out, "seed " + seed + ": unchanged");
            }
        }
    }

    /**
     * A daily pattern that comes an hour earlier or later from the third day on (a service that follows local time,
     * after a daylight-saving change) is not a regression: twenty series sampled every minute for three days, a daily
     * cycle of +-20% at a phase of their own and 4% noise. Before, against the same hour a day earlier, the rising or
     * the falling edge read as a change (seed 1's shift was a finding, and the step on it none of its own; in
     * jobs/REGRESSION.md "Daylight saving", 85 false findings in 200 series, 0 now). A +25% step on the same day, at a
     * time of the cycle of its own, is still found within 3 hours.
     */
    @Test
    void aDailyPatternAnHourEarlierOrLaterIsNotARegressionAndAStepThatDayIsStillFound() throws Exception {
        long day = 24 * 60 * MIN;
        quietAndStepFoundWithin3Hours(seed -> 2 * day + (2 + seed) * 60 * MIN,
                (seed, step) -> withDaylightSaving(seed, seed % 2 == 0 ? 60 * MIN : -60 * MIN, step));
    }

    /** A series of a seed with a step from {@code step} (Long.MAX_VALUE: none). */
    private interface Stepped {
        List<RegressionFinding> findings(int seed, long step) throws Exception;
    }

    /** Seeds 1 to 20: no finding on any series without the step, and each step (at stepAt(seed)) found within 3 hours. */
    private static void quietAndStepFoundWithin3Hours(java.util.function.IntToLongFunction stepAt, Stepped series) throws Exception {
        int withFinding = 0;
        for (int seed = 1; seed <= 20; seed++) {
            withFinding += series.findings(seed, Long.MAX_VALUE).isEmpty() ? 0 : 1;
            long step = stepAt.applyAsLong(seed);
            List<RegressionFinding> out = series.findings(seed, step);
            assertTrue(regressionWithin(out, step, 3 * 60 * MIN), "seed " + seed + ": the step found within 3 hours: " + out);
        }
        assertEquals(0, withFinding, "unchanged series with a finding");
    }

    /** Whether a regression finding came after {@code from}, within {@code within}. */
    private static boolean regressionWithin(List<RegressionFinding> out, long from, long within) {
        return out.stream().anyMatch(f -> f.direction.code().equals("regression") && f.detectedAt > from && f.detectedAt <= from + within);
    }

    /**
     * Shapes whose stretches are far from the baseline's values one by one and ordinary against their own neighbourhood
     * are not regressions: a batch job every 37 to 90 minutes that doubles the CPU for 3 to 8 minutes, and memory in a
     * sawtooth between collections every 1.5 to 6.7 hours (twenty series of each, three days at one value a minute).
     * Before, some of their 10- to 15-minute stretches were found against the day's values (5 of the 20 batch-job
     * series had such a finding; jobs/REGRESSION.md "Ordinary excursions"). Stretches of an hour or more are not judged
     * this way (against the hour before, a daily cycle's edge would read as one): a sawtooth's teeth, out of phase with a
     * day earlier, can still give one (1 of the 20 here, +8%, `info`). A +150% spike of 20 minutes on the batch-job
     * series, on the third day, is found within 30 minutes.
     */
    @Test
    void aPeriodicBatchJobAndASawtoothAreNotShortRegressionsAndASpikeOnThemIs() throws Exception {
        long day = 24 * 60 * MIN;
        List<RegressionFinding> shortOnes = new ArrayList<>();
        for (int seed = 1; seed <= 20; seed++) {
            SplittableRandom shape = new SplittableRandom(100 + seed);
            long period = (37 + shape.nextInt(54)) * MIN;
            long runs = (3 + shape.nextInt(6)) * MIN;
            long offset = shape.nextLong(period);
            long spike = 2 * day + (2 + shape.nextInt(18)) * 60 * MIN;
            List<RegressionFinding> unchanged = new ArrayList<>();
            for (long from : new long[] {Long.MAX_VALUE, spike}) {
                List<RegressionFinding> out = cpuEveryMinute(seed, (t, phase, rnd) -> 30 * (1 + 0.15 * Math.sin(2 * Math.PI * t / day + phase))
                        * (Math.floorMod(t + offset, period) < runs ? 2 : 1) * (t >= from && t < from + 20 * MIN ? 2.5 : 1) * (1 + 0.05 * rnd.nextGaussian()));
                if (from == Long.MAX_VALUE) {
                    unchanged.addAll(out);
                } else {
                    assertTrue(regressionWithin(out, from, 30 * MIN), "seed " + seed + ": the spike found within 30 minutes: " + out);
                }
            }
            double tooth = (90 + shape.nextInt(310)) * MIN;
            double low = 40 + 15 * shape.nextDouble();
            double high = low + 10 + 20 * shape.nextDouble();
            double start = tooth * shape.nextDouble();
            unchanged.addAll(cpuEveryMinute(seed, (t, phase, rnd) -> low + (high - low) * ((t + start) % tooth) / tooth + 0.5 * rnd.nextGaussian()));
            unchanged.stream().filter(f -> f.comparisonEnd - f.comparisonStart < 60 * MIN).forEach(shortOnes::add);
        }
        assertEquals(List.of(), shortOnes, "findings of stretches shorter than an hour on unchanged series");
    }

    /**
     * A service busy in business hours: CPU three times the night's from about 08:00 to 18:00 of a time zone of its own,
     * ramps of 30 to 60 minutes, 5% noise, one value a minute for three days. A +20% step between the ramps (at 13:00 in
     * the day's plateau or at 01:00 in the night, whichever is not in the third day's first 4 hours, where the series'
     * scales still lean on the first day's and the ramps make those large) is found within 2 hours, half of them within
     * 30 minutes. Before, a window since the step shorter than an hour was judged against the day's mean, which the ramps
     * put far from either level, and against stretches of the day's ramp as if they were excursions that recur: such
     * steps waited for the comparison hour or longer (jobs/REGRESSION.md "Business hours"). With the ramps' times moving
     * by up to 25 minutes from day to day, as traffic's do, the unchanged series have no finding.
     */
    @Test
    void aStepBetweenTheRampsOfBusinessHoursIsFoundWithinHalfAnHourAndRampsOnTheirOwnTimeAreNotRegressions() throws Exception {
        long day = 24 * 60 * MIN;
        List<RegressionFinding> unchanged = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        for (int seed = 1; seed <= 20; seed++) {
            unchanged.addAll(businessHours(seed, 25 * MIN, Long.MAX_VALUE));
            long zone = new SplittableRandom(200 + seed).nextLong(day);
            long local = (seed % 2 == 0 ? 13 : 1) * 60 * MIN;
            long first = 2 * day + Math.floorMod(local - zone, day);
            long step = first < 2 * day + 4 * 60 * MIN ? first + 12 * 60 * MIN : first;
            List<RegressionFinding> out = businessHours(seed, 0, step);
            assertTrue(regressionWithin(out, step, 120 * MIN), "seed " + seed + ": the step found within 2 hours: " + out);
            delays.add(out.stream().filter(f -> f.direction.code().equals("regression") && f.detectedAt > step)
                    .mapToLong(f -> f.detectedAt - step).min().orElseThrow() / MIN);
        }
        assertEquals(List.of(), unchanged, "findings on unchanged series");
        Collections.sort(delays);
        assertTrue(delays.get(delays.size() / 2) <= 30, "median delay within 30 minutes: " + delays);
    }

    /** A business-hours CPU series of a seed (its time zone drawn from 200 + seed), its ramps' times moved by up to {@code jitter} a day, +20% from {@code step}. */
    private static List<RegressionFinding> businessHours(int seed, long jitter, long step) throws Exception {
        long day = 24 * 60 * MIN;
        SplittableRandom shape = new SplittableRandom(200 + seed);
        long zone = shape.nextLong(day);
        double width = (30 + 30 * shape.nextDouble()) * MIN / 4.0;
        double[] up = new double[4];
        double[] down = new double[4];
        for (int d = 0; d < 4; d++) {
            up[d] = 8 * 60 * MIN + jitter * (2 * shape.nextDouble() - 1);
            down[d] = 18 * 60 * MIN + jitter * (2 * shape.nextDouble() - 1);
        }
        return cpuEveryMinute(seed, (t, phase, rnd) -> {
            long local = t + zone;
            int d = (int) (local / day);
            double at = Math.floorMod(local, day);
            double on = 1 / (1 + Math.exp(-(at - up[d]) / width)) - 1 / (1 + Math.exp(-(at - down[d]) / width));
            return 20 * (1 + 2 * on) * (t >= step ? 1.2 : 1) * (1 + 0.05 * rnd.nextGaussian());
        });
    }

    /** A series with a daily cycle that moves by {@code by} (earlier) at the third day's start, +25% from {@code step}. */
    private static List<RegressionFinding> withDaylightSaving(int seed, long by, long step) throws Exception {
        long day = 24 * 60 * MIN;
        return cpuEveryMinute(seed, (t, phase, rnd) -> 50 * (1 + 0.2 * Math.sin(2 * Math.PI * (t >= 2 * day ? t + by : t) / day + phase))
                * (t >= step ? 1.25 : 1) * (1 + 0.04 * rnd.nextGaussian()));
    }

    /** The value of a series at t (NaN: none), given its cycle's phase and the series' random numbers. */
    private interface Level {
        double at(long t, double phase, SplittableRandom rnd);
    }

    /** The findings on a CPU series sampled every minute for three days (the watermark every 5 minutes), its phase drawn first. */
    private static List<RegressionFinding> cpuEveryMinute(int seed, Level level) throws Exception {
        var h = new FedDetector(ConfigLoader.defaults());
        SplittableRandom rnd = new SplittableRandom(seed);
        double phase = 2 * Math.PI * rnd.nextDouble();
        for (long t = 0; t < 3 * 24 * 60 * MIN; t += MIN) {
            double v = level.at(t, phase, rnd);
            if (!Double.isNaN(v)) {
                h.processElement(new StreamRecord<>(new MetricSample(t, "cpu_usage", "api", v), t));
            }
            if (Math.floorMod(t, 5 * MIN) == 0) {
                h.processWatermark(new Watermark(t - 1));
            }
        }
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        return h.extractOutputValues();
    }

    /**
     * An error rate of exactly 0 is found when errors begin (2% of 200 requests a minute, from 10:00 on the third day:
     * within 15 minutes), where a relative change from 0 had failed the practical gate and the error rate was never
     * found; and a few minutes with errors, after days without, are not a regression: Mann-Whitney's p, its variance
     * corrected for ties, is tiny whenever one value is almost every value (3 such minutes among 10: 5e-96), and the
     * exact count of the rare values (2 of 10 minutes, two-sided 9e-5) is its floor.
     */
    @Test
    void errorsFromAnErrorRateOfZeroAreFoundAndAFewErrorMinutesAreNot() throws Exception {
        long day = 24 * 60 * MIN;
        long start = 2 * day + 10 * 60 * MIN;
        for (boolean begins : new boolean[] {true, false}) {
            var h = new FedDetector(ConfigLoader.defaults());
            SplittableRandom rnd = new SplittableRandom(5);
            for (long t = 0; t < 3 * day; t += MIN) {
                double v = 0;
                if (begins && t >= start) {
                    int errors = 0;
                    for (int r = 0; r < 200; r++) {
                        errors += rnd.nextDouble() < 0.02 ? 1 : 0;
                    }
                    v = errors / 200.0;
                } else if (!begins && (t == start || t == start + 3 * MIN || Math.floorMod(t, 7 * 60 * MIN) == 0 && t > 0)) {
                    v = 0.01; // two minutes with errors within ten, and one every 7 hours before
                }
                h.processElement(new StreamRecord<>(new MetricSample(t, "error_rate", "api", v), t));
                if (Math.floorMod(t, 5 * MIN) == 0) {
                    h.processWatermark(new Watermark(t - 1));
                }
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<RegressionFinding> out = h.extractOutputValues();
            if (begins) {
                assertTrue(regressionWithin(out, start, 15 * MIN), "errors from zero found within 15 minutes: " + out);
                assertTrue(RegressionDetector.summary(out.get(0)).contains("regression from zero (sudden): mean 0.000 ->"), RegressionDetector.summary(out.get(0)));
            } else {
                assertEquals(List.of(), out, "a few error minutes");
            }
        }
    }

    @Test
    void rareValuesPIsTheExactTwoSidedCountOfTheRareValuesInTheComparison() {
        // scipy: 2 * hypergeom.sf(k - 1, N, K, n), N pooled values, K not the common one, n in the comparison, k of them there.
        double[] day = new double[1440];
        double[] tenWithOne = new double[10];
        tenWithOne[9] = 0.01;
        assertEquals(0.013793103448275862, RegressionEvaluator.rareValuesP(day, tenWithOne), 1e-12);
        double[] dayWithTwenty = new double[1440];
        java.util.Arrays.fill(dayWithTwenty, 1420, 1440, 0.01);
        double[] tenWithThree = new double[10];
        java.util.Arrays.fill(tenWithThree, 7, 10, 0.01);
        assertEquals(7.793131833589092e-4, RegressionEvaluator.rareValuesP(dayWithTwenty, tenWithThree), 1e-12 * 7.8e-4 * 1e3);
        assertEquals(1.0, RegressionEvaluator.rareValuesP(dayWithTwenty, new double[10]), "none of them in the comparison");
        double[] spread = new double[100];
        for (int i = 0; i < spread.length; i++) {
            spread[i] = i;
        }
        assertEquals(0.0, RegressionEvaluator.rareValuesP(spread, new double[] {200, 201}), "no common value: no floor");
    }

    /**
     * The findings for three days of a CPU series sampled every minute (a daily cycle of +-15%, 3% noise), without
     * data in [from, to), +30% from {@code step} on; fed as a stream, the watermark every 5 minutes.
     */
    private static List<RegressionFinding> afterAnOutage(int seed, long from, long to, long step) throws Exception {
        long day = 24 * 60 * MIN;
        return cpuEveryMinute(seed, (t, phase, rnd) -> t >= from && t < to ? Double.NaN
                : 50 * (1 + 0.15 * Math.sin(2 * Math.PI * t / day + phase)) * (t >= step ? 1.3 : 1) * (1 + 0.03 * rnd.nextGaussian()));
    }

    /**
     * Two series sampled every minute for 16 days from a Monday: weekdays at 100, weekends at half, a daily
     * cycle of +-20% and 10% noise; the second steps up 40% on the second Wednesday at noon. From the second
     * week on, the weekly cycle raises nothing (against the day before, every Saturday falls and every
     * Monday rises: a finding each, before the hourly means reached a week back); the step is found within
     * hours. Fed as a stream (the watermark every 5 minutes) and as a batch (one watermark at the end): the
     * same findings.
     */
    @Test
    void aWeeklyCycleIsNotARegressionAndAStepOnAWeekdayIs() throws Exception {
        PerfwatchConfig c = ConfigLoader.defaults();
        long day = 24 * 60 * MIN;
        long monday = java.time.Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
        long step = monday + 9 * day + 12 * 60 * MIN;
        List<List<RegressionFinding>> runs = new java.util.ArrayList<>();
        for (boolean streaming : new boolean[] {true, false}) {
            var h = new FedDetector(c);
            SplittableRandom rnd = new SplittableRandom(11);
            for (long t = monday; t < monday + 16 * day; t += MIN) {
                int weekday = (int) Math.floorMod((t - monday) / day, 7L);
                double level = (weekday >= 5 ? 50 : 100) * (1 + 0.2 * Math.sin(2 * Math.PI * Math.floorMod(t, day) / day));
                for (String component : new String[] {"weekly", "stepped"}) {
                    double v = level * (component.equals("stepped") && t >= step ? 1.4 : 1) * (1 + 0.1 * rnd.nextGaussian());
                    h.processElement(new StreamRecord<>(new MetricSample(t, "queue_depth", component, v), t));
                }
                if (streaming && Math.floorMod(t, 5 * MIN) == 0) {
                    h.processWatermark(new Watermark(t - 1));
                }
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<RegressionFinding> findings = new java.util.ArrayList<>(h.extractOutputValues());
            // (the two series' timers of one time fire in either order)
            findings.sort(java.util.Comparator.comparing((RegressionFinding f) -> f.component).thenComparingLong(f -> f.updatedAt));
            runs.add(findings);
            h.close();
        }
        assertEquals(runs.get(0).toString(), runs.get(1).toString(), "streaming and batch");
        List<RegressionFinding> out = runs.get(0);
        List<RegressionFinding> weekly = out.stream().filter(f -> f.detectedAt >= monday + 8 * day).toList();
        assertTrue(weekly.stream().allMatch(f -> f.component.equals("stepped")), "after a week, only the step: " + weekly);
        List<RegressionFinding> found = weekly.stream().filter(f -> f.direction == dev.perfwatch.model.ChangeDirection.REGRESSION
                && f.detectedAt >= step && f.detectedAt <= step + 3 * 60 * MIN).toList();
        assertEquals(1, found.stream().map(f -> f.findingId).distinct().count(), "the step, once: " + weekly);
        assertTrue(out.stream().anyMatch(f -> f.component.equals("weekly") && f.detectedAt < monday + 8 * day),
                "the first weekend, before a week of history, is a change against the day before: " + out);
    }

    /**
     * 3 days of one CPU value a minute per series (a 10% daily cycle, 5% AR(1) noise of correlation phi from
     * one minute to the next), the series of index below {@code stepped} with a 20% step at day 3, 10:00.
     */
    private static List<RegressionFinding> autocorrelated(double phi, int series, int stepped, long step) throws Exception {
        return autocorrelated(phi, series, stepped, step, MIN);
    }

    /** As above, one value every {@code spacing}, phi the correlation from one value to the next. */
    private static List<RegressionFinding> autocorrelated(double phi, int series, int stepped, long step, long spacing) throws Exception {
        double[] e = new double[series];
        SplittableRandom rnd = new SplittableRandom(29);
        return fed(ConfigLoader.defaults(), spacing, 3 * 24 * 60 * MIN, true, t -> {
            List<MetricSample> samples = new java.util.ArrayList<>();
            for (int s = 0; s < series; s++) {
                e[s] = phi * e[s] + Math.sqrt(1 - phi * phi) * rnd.nextGaussian();
                double level = 50 * (1 + 0.1 * Math.sin(2 * Math.PI * (t / (24 * 60.0 * MIN) + s / 7.0))) * (s < stepped && t >= step ? 1.2 : 1);
                samples.add(new MetricSample(t, "cpu_usage", "svc-" + s, level * (1 + 0.05 * e[s])));
            }
            return samples;
        });
    }

    @Test
    void theHourlyScanAllowsForValuesThatAreNotIndependent() throws Exception {
        // An hour of such values at phi 0.8 holds about 6 independent ones, not 60: Welch's and Mann-Whitney's
        // tests taking them as independent found a change on most unchanged series every day or two (81 of
        // 100 in 2 days, jobs/REGRESSION.md). The fixed window's scan divides their statistics by the root of
        // the inflation measured on the series itself.
        long step = (2 * 24 + 10) * 60 * MIN;
        List<RegressionFinding> out = autocorrelated(0.8, 12, 4, step);
        // before the step, and on the unchanged series throughout
        java.util.function.ToIntFunction<RegressionFinding> index = f -> Integer.parseInt(f.component.substring("svc-".length()));
        List<RegressionFinding> noChange = out.stream().filter(f -> f.detectedAt <= step || index.applyAsInt(f) >= 4).toList();
        long scanned = noChange.stream().filter(f -> f.detection.test.equals(RegressionEvaluator.DETECTED_BY_WINDOW)).map(f -> f.findingId).distinct().count();
        System.out.printf("AR(1) 0.8, 12 series over 2 days: %d findings of the hourly scan where there is no change%n", scanned);
        assertTrue(scanned <= 2, "findings of the hourly scan on 12 series over 2 days without a change: " + noChange);
        for (RegressionFinding f : out) {
            if (f.detection.test.equals(RegressionEvaluator.DETECTED_BY_SEQUENTIAL)) {
                // (the CUSUM's long-run scale a day old by then: confirmed at the tests' own level)
                assertEquals(1.0, f.detection.varianceInflation, "a sequential finding is confirmed at the tests' own level: " + f);
            } else {
                assertTrue(f.detection.varianceInflation >= 2, "the inflation the scan allowed for is reported: " + f);
            }
        }
        // the steps are still found within the hour after them (but where a finding's episode was open already)
        long found = out.stream().filter(f -> index.applyAsInt(f) < 4 && f.detectedAt > step
                && f.detectedAt <= step + 60 * MIN && "regression".equals(f.direction.code())).map(f -> f.component).distinct().count();
        assertTrue(found >= 3, "series whose 20% step was found within the hour: " + found + " of 4; "
                + out.stream().map(f -> f.component + " at " + f.detectedAt / MIN + " min (" + f.detection.test + ")").toList());
    }

    @Test
    void unchangedCorrelatedSeriesRarelyMakeAFinding() throws Exception {
        // 300 unchanged series at AR(1) 0.8 from one value a minute to the next, 3 days (two of them evaluated):
        // every finding is false. The hour's tests take the variance inflation half a standard error low: with one
        // (as the excursions' take it), 15 findings of the scan here; with half, 5. The sequential test's 3 are
        // confirmed at the tests' own level (its own calibration on such noise: SequentialCalibrationTest).
        List<RegressionFinding> out = autocorrelated(0.8, 300, 0, Long.MAX_VALUE);
        java.util.function.Function<String, Long> count = test -> out.stream().filter(f -> f.detection.test.equals(test))
                .map(f -> f.findingId).distinct().count();
        long scanned = count.apply(RegressionEvaluator.DETECTED_BY_WINDOW) + count.apply(RegressionEvaluator.DETECTED_BY_EXCURSION);
        long sequential = count.apply(RegressionEvaluator.DETECTED_BY_SEQUENTIAL);
        System.out.printf("AR(1) 0.8, 300 unchanged series over 3 days: %d findings of the scan, %d of the sequential test%n", scanned, sequential);
        assertTrue(scanned <= 9, "findings of the hourly scan and the excursions on 300 unchanged series: " + scanned);
        assertTrue(sequential <= 6, "findings of the sequential test on 300 unchanged series: " + sequential);
    }

    @Test
    void aYoungLongRunScaleHasItsAlarmsConfirmedAllowingForCorrelation() throws Exception {
        // One value every 5 minutes at AR(1) 0.95 from one to the next (a correlation over about 20 values): on the
        // second day the CUSUM's long-run scale rests on a day of hourly means, short of such a correlation, and its
        // alarms were confirmed as if the values were independent: 38 findings here; allowing for it, as the scan
        // does, while the scale is young: 11 (most of them on the third day).
        List<RegressionFinding> out = autocorrelated(0.95, 100, 0, Long.MAX_VALUE, 5 * MIN);
        long sequential = out.stream().filter(f -> f.detection.test.equals(RegressionEvaluator.DETECTED_BY_SEQUENTIAL))
                .map(f -> f.findingId).distinct().count();
        System.out.printf("AR(1) 0.95 at 5 minutes, 100 unchanged series over 3 days: %d findings of the sequential test%n", sequential);
        assertTrue(sequential <= 20, "findings of the sequential test on 100 unchanged series: " + sequential);
    }

    @Test
    void aHeavyTailDoesNotVetoAChangeTheRanksShow() throws Exception {
        // Latencies, log-normal (sigma 0.3) with 1% of the values 3 to 8 times larger, a 15% daily cycle, one value
        // every 5 minutes; on the third day at 08:00 each series' level doubles over an hour. The few large values
        // in the window since the change point widen Welch's variance: with Welch required at the corrected alpha
        // the sequential test's alarms went unconfirmed for hours on most series, while Mann-Whitney's p was far
        // below it. The alarm's confirmation now needs the rank test at the corrected alpha, Welch's at alpha.
        // (The series' generator is this test's own, not the benchmark's.)
        int series = 30;
        long change = (2 * 24 + 8) * 60 * MIN;
        SplittableRandom rnd = new SplittableRandom(41);
        PerfwatchConfig config = ConfigLoader.defaults();
        double alpha = config.regression.alpha;
        double corrected = alpha / 288; // (RegressionEvaluator.alphaCorrected at the 5-minute evaluation interval)
        List<RegressionFinding> out = fed(config, 5 * MIN, 3 * 24 * 60 * MIN, true, t -> {
            List<MetricSample> samples = new java.util.ArrayList<>();
            for (int s = 0; s < series; s++) {
                double ramp = t < change ? 0 : Math.min(1, (t - change) / (60.0 * MIN));
                double level = 200 * (1 + 0.15 * Math.sin(2 * Math.PI * (t / (24 * 60.0 * MIN) + s / 11.0))) * (1 + ramp);
                double v = level * Math.exp(0.3 * rnd.nextGaussian() - 0.045);
                if (rnd.nextDouble() < 0.01) {
                    v *= 3 + 5 * rnd.nextDouble();
                }
                samples.add(new MetricSample(t, "response_time", "svc-" + s, v));
            }
            return samples;
        });
        java.util.Map<String, RegressionFinding> first = new java.util.TreeMap<>();
        for (RegressionFinding f : out) {
            if ("regression".equals(f.direction.code()) && f.detectedAt > change) {
                first.merge(f.component, f, (a, b) -> a.detectedAt <= b.detectedAt ? a : b);
            }
        }
        long falseOnes = out.stream().filter(f -> f.detectedAt <= change).map(f -> f.findingId).distinct().count();
        long welchAboveCorrected = first.values().stream().filter(f -> f.welch.pValue >= corrected).count();
        double[] delays = first.values().stream().mapToDouble(f -> (f.detectedAt - change) / (double) MIN).sorted().toArray();
        System.out.printf("heavy-tailed latencies doubling at 5 minutes: %d of %d found within 4 hours, delays (min) %s;"
                + " %d of them with Welch's p above the corrected alpha; %d findings before the change%n",
                java.util.Arrays.stream(delays).filter(d -> d <= 240).count(), series, java.util.Arrays.toString(delays),
                welchAboveCorrected, falseOnes);
        // (before: 29 of 30, the last after 6 hours; median delay 105 minutes, now 90)
        assertEquals(series, java.util.Arrays.stream(delays).filter(d -> d <= 240).count(),
                "series whose doubling was found within 4 hours: " + java.util.Arrays.toString(delays) + " of " + series);
        assertTrue(welchAboveCorrected >= 1, "some were confirmed with Welch's p between the corrected alpha and alpha");
        for (RegressionFinding f : first.values()) {
            assertTrue(f.mannWhitney.pValue < corrected && f.welch.pValue < alpha, "the evidence: " + f);
            // the confidence takes each test's p over the level it was tested at (it was 0 for these: Welch's p over the corrected alpha)
            double share = switch (f.detection.test) {
                case RegressionEvaluator.DETECTED_BY_SEQUENTIAL -> Math.max(f.mannWhitney.pValue / corrected, f.welch.pValue / alpha);
                case RegressionEvaluator.DETECTED_BY_EXCURSION -> f.mannWhitney.pValue / (corrected / 4);
                default -> Math.max(f.mannWhitney.pValue / corrected, f.welch.pValue / corrected);
            };
            double expected = (1 - share) * Math.min(1, Math.abs(f.cohensD) / (2 * config.regression.minEffectSize));
            assertEquals(expected, f.confidence, 1e-12, "confidence: " + f);
            assertTrue(f.confidence > 0, "confidence: " + f);
        }
        assertTrue(falseOnes <= 1, "findings before the change: " + falseOnes);
    }
}
