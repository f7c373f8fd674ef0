package dev.perfwatch.bench;

import dev.perfwatch.analyze.SummaryAccumulator;
import dev.perfwatch.analyze.WindowSummaries;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.detect.AnomalyScores;
import dev.perfwatch.detect.BucketPartial;
import dev.perfwatch.detect.RegressionDetector;
import dev.perfwatch.pipeline.PartialAggregates;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.stats.QuantileSketch;
import dev.perfwatch.suggest.SuggestionCatalogue;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The keyed state per series of the two detectors that keep history, the regression detector (raw
 * samples into interval buckets) and the anomaly scores (window summaries), after three days of one
 * series at several sampling intervals: the job's own operators driven through Flink's keyed operator
 * test harness with the watermark one sample behind, then a checkpoint of their keyed state (heap
 * backend, Flink's serializers; timers included). A checkpoint also holds what does not grow with the
 * series (the serializers' descriptions, the key groups' offsets): each operator runs once with one series
 * and once with the same series under two keys, and a series costs the difference.
 */
final class StateBenchmark {

    private StateBenchmark() {}

    private static final long MINUTE = 60_000;
    private static final int DAYS = 3;

    static void run(PerfwatchConfig config, PrintStream out) throws Exception {
        out.printf("perfwatch bench --state: keyed state per series after %d days of one series (a checkpoint of each operator's keyed state)%n", DAYS);
        out.printf("and on the heap (hashmap backend): the keys, values and timers of the operators' state with N series minus with two, over N - 2 (JOL's graph walk)%n");
        out.printf("%-14s %14s %20s %20s %14s %6s %12s%n", "sample every", "samples", "regression KiB", "anomaly scores KiB", "total KiB",
                "N", "heap KiB");
        for (long every : new long[] {1_000, 10_000, 60_000, 300_000}) {
            Figures f = measure(config, every);
            out.printf("%-14s %,14d %20.1f %20.1f %14.1f %6d %12.1f%n", every >= MINUTE ? (every / MINUTE) + " min" : (every / 1000) + " s",
                    f.samples, f.regression / 1024.0, f.anomaly / 1024.0, (f.regression + f.anomaly) / 1024.0, f.series, f.heap / 1024.0);
        }
        out.printf("%nAn open summary window's accumulator in a checkpoint (one a series while its window is open), bytes: it keeps%n"
                + "its values up to %d (exact quantiles), against the same values in a DDSketch at the configured accuracy%n",
                SummaryAccumulator.EXACT_UP_TO);
        out.printf("%-36s %8s %16s %16s%n", "values", "in window", "accumulator", "DDSketch alone");
        for (String shape : SHAPES) {
            for (int n : new int[] {6, 60, SummaryAccumulator.EXACT_UP_TO}) {
                WindowBytes w = windowBytes(config, shape, n);
                out.printf("%-36s %8d %16d %16d%n", shape, n, w.accumulator(), w.sketch());
            }
        }
    }

    /** Value shapes of the window figures: CPU-like, heavy-tailed latency, memory in bytes (large offset, small spread). */
    static final String[] SHAPES = {"cpu 40 +- 8 (3 decimals)", "latency log-normal 100 ms, sigma 0.5", "memory 8e9 +- 1e6"};

    /** Bytes of a window's accumulator of {@code n} values of a shape, and of a sketch of the same values. */
    record WindowBytes(int accumulator, int sketch) {}

    static WindowBytes windowBytes(PerfwatchConfig config, String shape, int n) throws java.io.IOException {
        SplittableRandom r = new SplittableRandom(1);
        SummaryAccumulator acc = new SummaryAccumulator(config.windows.quantileRelativeAccuracy);
        QuantileSketch sketch = new QuantileSketch(config.windows.quantileRelativeAccuracy);
        for (int i = 0; i < n; i++) {
            double v = shape.startsWith("cpu") ? Math.round(1000 * (40 + 8 * r.nextGaussian())) / 1000.0
                    : shape.startsWith("latency") ? 100 * Math.exp(0.5 * r.nextGaussian()) : 8e9 + 1e6 * r.nextGaussian();
            acc.add("component", "metric", v);
            sketch.add(v);
        }
        DataOutputSerializer bytes = new DataOutputSerializer(256);
        SummaryAccumulator.Serializer.INSTANCE.serialize(acc, bytes);
        return new WindowBytes(bytes.length(), sketch.toBytes().length);
    }

    /** Bytes per series: in a checkpoint, of each operator; on the heap, of both, measured with {@code series} series. */
    record Figures(int samples, long regression, long anomaly, int series, double heap) {}

    static Figures measure(PerfwatchConfig config, long every) throws Exception {
        LabelledSeries series = LabelledSeries.generate(1, 1, every, DAYS).get(0);
        long[] regression1 = regressionState(series, config, 1);
        long[] anomaly1 = anomalyState(series, config, 1);
        long[] regression2 = regressionState(series, config, 2);
        long[] anomaly2 = anomalyState(series, config, 2);
        // The heap from 2 to N series: what the series' state reaches in common (the catalogue's texts in
        // a finding, say) counts once in each.
        int n = (int) Math.max(4, Math.min(100, HEAP_SAMPLES / series.samples()));
        long heap = regressionState(series, config, n)[1] + anomalyState(series, config, n)[1] - regression2[1] - anomaly2[1];
        return new Figures(series.samples(), regression2[0] - regression1[0], anomaly2[0] - anomaly1[0], n, heap / (double) (n - 2));
    }

    /** Samples fed for the heap figure (N series of one interval's samples). */
    private static final long HEAP_SAMPLES = 500_000;

    /**
     * The bytes of the operator's keyed state objects: every key and state value in the heap backend's
     * state tables and every timer in its timer queues, with all they reach (JOL's graph walk). The
     * tables themselves are not walked: they reach the serializers and through them caches shared by
     * every series, whose size changed from run to run (the maps' per-entry objects, about 40 bytes per
     * series and state, are left out with them).
     */
    private static long heapBytes(org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness<?> h) throws Exception {
        Object backend = h.getOperator().getKeyedStateBackend();
        List<Object> objects = new ArrayList<>();
        java.util.Map<?, ?> tables = (java.util.Map<?, ?>) field(org.apache.flink.runtime.state.heap.HeapKeyedStateBackend.class, "registeredKVStates", backend);
        for (Object table : tables.values()) {
            for (org.apache.flink.runtime.state.StateEntry<?, ?, ?> e : (org.apache.flink.runtime.state.heap.StateTable<?, ?, ?>) table) {
                objects.add(e.getKey());
                objects.add(e.getNamespace());
                objects.add(e.getState());
            }
        }
        java.util.Map<?, ?> queues = (java.util.Map<?, ?>) field(org.apache.flink.runtime.state.HeapPriorityQueuesManager.class, "registeredPQStates",
                field(org.apache.flink.runtime.state.heap.HeapKeyedStateBackend.class, "priorityQueuesManager", backend));
        for (Object wrapper : queues.values()) {
            try (org.apache.flink.util.CloseableIterator<?> it =
                    ((org.apache.flink.runtime.state.heap.HeapPriorityQueueSnapshotRestoreWrapper<?>) wrapper).getPriorityQueue().iterator()) {
                it.forEachRemaining(objects::add);
            }
        }
        jolQuietly();
        return org.openjdk.jol.info.GraphLayout.parseInstance(objects.toArray()).totalSize();
    }

    private static Object field(Class<?> type, String name, Object of) throws ReflectiveOperationException {
        java.lang.reflect.Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(of);
    }

    private static boolean jolReady;

    /**
     * JOL prints a warning to standard output when it starts without a Java agent; it then takes the
     * object layout from the JVM's own field offsets, which is what is wanted here.
     */
    private static void jolQuietly() {
        if (jolReady) {
            return;
        }
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            org.openjdk.jol.vm.VM.current();
        } finally {
            System.setOut(stdout);
        }
        jolReady = true;
    }

    /** The keyed state checkpointed, and its objects on the heap, after the series ran under {@code keys} keys. */
    private static long[] regressionState(LabelledSeries s, PerfwatchConfig config, int keys) throws Exception {
        KeySelector<BucketPartial, Long> key = p -> p.seriesId;
        try (KeyedOneInputStreamOperatorTestHarness<Long, BucketPartial, RegressionFinding> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RegressionDetector(config.regression, config.levels(), SuggestionCatalogue.bundled())),
                key, Types.LONG)) {
            h.open();
            // Fed as in the job: interval parts folded where the samples are read (PartialAggregates).
            long interval = config.regression.evaluationInterval.toMillis();
            PartialAggregates parts = PartialAggregates.intervals(config.regression, 0,
                    p -> h.processElement(new StreamRecord<>(p, p.bucket.start + interval - 1)));
            long watermark = Long.MIN_VALUE;
            for (int i = 0; i < s.samples(); i++) {
                long t = s.time(i);
                if (t - 1 > watermark) {
                    watermark = t - 1;
                    parts.advance(watermark);
                    h.processWatermark(new Watermark(watermark));
                }
                for (int k = 0; k < keys; k++) {
                    parts.add(new MetricSample(t, s.metric, "series-" + k, s.value(i)));
                }
            }
            return sizes(h, keys, watermark);
        }
    }

    private static long[] anomalyState(LabelledSeries s, PerfwatchConfig config, int keys) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, AlertCandidate> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AnomalyScores(config.alerts.anomaly, config.levels(), config.alerts.retention)),
                WindowSummary::seriesId, Types.LONG)) {
            h.open();
            long window = config.windows.summary.toMillis();
            long watermark = Long.MIN_VALUE;
            // The window summaries the job would make of these samples (its own accumulator and summary).
            SummaryAccumulator acc = null;
            long start = 0;
            for (int i = 0; i <= s.samples(); i++) {
                long t = i < s.samples() ? s.time(i) : Long.MAX_VALUE;
                if (acc != null && t >= start + window) {
                    watermark = start + window - 1;
                    h.processWatermark(new Watermark(watermark));
                    for (int k = 0; k < keys; k++) {
                        WindowSummary w = WindowSummaries.summarize("series-" + k, s.metric, start, start + window, acc);
                        h.processElement(new StreamRecord<>(w, watermark));
                    }
                    acc = null;
                }
                if (i < s.samples()) {
                    start = Math.floorDiv(t, window) * window;
                    if (acc == null) {
                        acc = new SummaryAccumulator(config.windows.quantileRelativeAccuracy);
                    }
                    acc.add(s.value(i));
                }
            }
            return sizes(h, keys, watermark);
        }
    }

    /**
     * The operator's keyed state in a checkpoint ({@code -1} for more than two keys: a checkpoint of many
     * series outgrows the harness's in-memory checkpoint storage) and its objects on the heap.
     */
    private static long[] sizes(KeyedOneInputStreamOperatorTestHarness<Long, ?, ?> h, int keys, long watermark) throws Exception {
        long heap = heapBytes(h);
        return new long[] {keys <= 2 ? keyedStateBytes(h.snapshot(1, watermark)) : -1, heap};
    }

    private static long keyedStateBytes(OperatorSubtaskState snapshot) {
        long bytes = 0;
        for (KeyedStateHandle handle : snapshot.getManagedKeyedState()) {
            bytes += handle.getStateSize();
        }
        return bytes;
    }
}
