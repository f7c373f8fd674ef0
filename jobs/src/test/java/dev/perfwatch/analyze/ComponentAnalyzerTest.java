package dev.perfwatch.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.BottleneckReport;
import dev.perfwatch.model.WindowSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * When a bottleneck opens: at the first window with its condition where a window holds enough samples to
 * tell (a minute of 2-second samples); after {@code resolve-after} windows in a row of a series sampled once
 * a minute, whose single windows are five values; never on one high value.
 */
class ComponentAnalyzerTest {

    private static final long MIN = 60_000L;
    private static final long WINDOW = 5 * MIN;
    private static final PerfwatchConfig CONFIG = ConfigLoader.defaults();

    /** Profile window {@code i} of "svc": response time 180 ms, database query time {@code query} ms, {@code perMinute} samples a minute. */
    private static StreamRecord<ComponentWindow> window(int i, double query, long perMinute) {
        ComponentWindow w = new ComponentWindow();
        w.component = "svc";
        w.windowStart = i * WINDOW;
        w.windowEnd = w.windowStart + WINDOW;
        w.metrics.put("response_time", metric("response_time", w.windowStart, 180, perMinute));
        w.metrics.put("database_query_time", metric("database_query_time", w.windowStart, query, perMinute));
        return new StreamRecord<>(w, w.windowEnd - 1);
    }

    private static MetricWindow metric(String metric, long start, double value, long perMinute) {
        MetricWindow mw = new MetricWindow();
        for (int m = 0; m < 5; m++) {
            WindowSummary s = new WindowSummary();
            s.component = "svc";
            s.metric = metric;
            s.windowStart = start + m * MIN;
            s.windowEnd = s.windowStart + MIN;
            s.count = perMinute;
            s.mean = s.p50 = s.p95 = s.p99 = s.min = s.max = value;
            mw.add(s, CONFIG.levels().of("svc", metric).statistic);
        }
        return mw;
    }

    /** The reports for query times per window (database_query_time warning 200 ms: 300 ms is past it). */
    private static List<BottleneckReport> run(double[] queries, long perMinute) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ComponentWindow, BottleneckReport> h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ComponentAnalyzer(CONFIG.analysis, CONFIG.levels(), CONFIG.catalogue(), CONFIG.alerts.retention), w -> w.component, Types.STRING)) {
            for (int i = 0; i < queries.length; i++) {
                h.processElement(window(i, queries[i], perMinute));
            }
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    private static double[] queries(Set<Integer> slow, int n) {
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = slow.contains(i) ? 300 : 100;
        }
        return q;
    }

    /**
     * A component whose GC time grows to a third of its response time, without a memory metric: a memory-bound
     * bottleneck opens on the GC time's samples (this once stopped the job: the detection named no metric).
     */
    @Test
    void gcPressureWithoutAMemoryMetricOpensAMemoryBottleneck() throws Exception {
        List<BottleneckReport> reports;
        try (KeyedOneInputStreamOperatorTestHarness<String, ComponentWindow, BottleneckReport> h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ComponentAnalyzer(CONFIG.analysis, CONFIG.levels(), CONFIG.catalogue(), CONFIG.alerts.retention), w -> w.component, Types.STRING)) {
            for (int i = 0; i < 16; i++) {
                ComponentWindow w = new ComponentWindow();
                w.component = "svc";
                w.windowStart = i * WINDOW;
                w.windowEnd = w.windowStart + WINDOW;
                w.metrics.put("response_time", metric("response_time", w.windowStart, 180, 30));
                w.metrics.put("gc_time", metric("gc_time", w.windowStart, i < 12 ? 9 : 60, 30));
                h.processElement(new StreamRecord<>(w, w.windowEnd - 1));
            }
            reports = new ArrayList<>(h.extractOutputValues());
        }
        assertEquals(List.of("memory_bound open at 12"), describe(reports));
        assertEquals(dev.perfwatch.model.BottleneckType.MEMORY_BOUND, reports.get(0).type);
        assertEquals("gc_time", reports.get(0).evidence.text("metric"));
    }

    @Test
    void aSparseSeriesOpensAfterResolveAfterWindowsNotOnOne() throws Exception {
        assertEquals(3, CONFIG.analysis.resolveAfter, "the default this test is written for");
        // One sample a minute: a single slow window (five values) opens nothing; three in a row open it, dated
        // from the first of them.
        List<BottleneckReport> sparse = run(queries(Set.of(12, 16, 17, 18), 24), 1);
        assertEquals(List.of("open at 18 since 16", "resolved at 21 since 16"), describe(sparse));
        assertEquals(3L, (long) sparse.get(0).evidence.number("held_windows"));
        assertEquals(15L, (long) sparse.get(0).evidence.number("held_samples"));
        // Two in a row, then a normal window: the count starts again.
        assertEquals(List.of(), describe(run(queries(Set.of(12, 13, 15, 16), 24), 1)));
    }

    @Test
    void aDenseSeriesOpensAtTheFirstWindow() throws Exception {
        // Thirty samples a minute: one window holds 150 values, enough at once.
        List<BottleneckReport> dense = run(queries(Set.of(12), 20), 30);
        assertEquals(List.of("open at 12 since 12", "resolved at 15 since 12"), describe(dense));
        // Four samples a minute: 20 values a window, enough too.
        assertEquals(List.of("open at 12 since 12", "resolved at 15 since 12"), describe(run(queries(Set.of(12), 20), 4)));
        // Two samples a minute: two windows make 20 values.
        assertEquals(List.of("open at 13 since 12", "resolved at 16 since 12"), describe(run(queries(Set.of(12, 13), 20), 2)));
    }

    /**
     * Hysteresis: once open, a bottleneck stays open while its metric is within a tenth of what opened it (here
     * 185 ms: past 180, a tenth under the 200 ms warning level), and resolves after three windows clearly under
     * it (170 ms).
     */
    @Test
    void anOpenBottleneckStaysOpenNearItsLevel() throws Exception {
        double[] q = queries(Set.of(12, 13, 14), 30);
        for (int i = 15; i < 22; i++) {
            q[i] = 185;
        }
        for (int i = 22; i < 30; i++) {
            q[i] = 170;
        }
        assertEquals(List.of("open at 14 since 12", "resolved at 24 since 12"), describe(run(q, 1)));
    }

    /**
     * A component silent for longer than the retention while a bottleneck is open: the cleanup ("no data") resolves
     * it and forgets the component before its next window, whenever the watermark comes. In streaming with the
     * watermark passing the cleanup's time in the gap, Flink's timer fires it; with the watermark behind the next
     * window's record (an operator's watermark is the least of its input channels', and the channel that sends the
     * record can be ahead), and in BATCH mode (no watermark until the key's end), the operator fires it before the
     * record. Bottlenecks, health and suggestions come out the same, with the same times. Without it the lagging
     * watermark and BATCH kept the component's history across the gap (its health trend after the gap differed)
     * and resolved nothing at the gap.
     */
    @Test
    void aGapLongerThanTheRetentionGivesTheSameOutputWhateverTheWatermark() throws Exception {
        long gapWindows = CONFIG.alerts.retention.toMillis() / WINDOW + 3;
        List<StreamRecord<ComponentWindow>> input = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int at = i < 20 ? i : (int) (i + gapWindows);
            input.add(window(at, i >= 12 && i < 20 || i >= 30 && i < 33 ? 300 : 100, 30));
        }
        List<List<String>> byMode = new ArrayList<>();
        for (String mode : new String[] {"streaming", "streaming, watermark behind", "batch"}) {
            ComponentAnalyzer f = new ComponentAnalyzer(CONFIG.analysis, CONFIG.levels(), CONFIG.catalogue(), CONFIG.alerts.retention);
            try (var h = new KeyedOneInputStreamOperatorTestHarness<>(dev.perfwatch.pipeline.CleanupTimers.operator(f),
                    (ComponentWindow w) -> w.component, Types.STRING)) {
                h.open();
                long behind = Long.MIN_VALUE;
                for (StreamRecord<ComponentWindow> r : input) {
                    h.processElement(new StreamRecord<>(r.getValue(), r.getTimestamp()));
                    if (mode.equals("streaming")) {
                        h.processWatermark(r.getTimestamp());
                        if (r.getValue().windowStart == 19 * WINDOW) {
                            h.processWatermark(r.getTimestamp() + gapWindows * WINDOW); // time passes in the gap
                        }
                    } else if (mode.startsWith("streaming")) {
                        h.processWatermark(behind); // the previous record's time: behind the gap's end when it comes
                        behind = r.getTimestamp();
                    }
                }
                h.processWatermark(Long.MAX_VALUE);
                List<String> out = new ArrayList<>();
                h.getOutput().forEach(o -> out.add(o instanceof StreamRecord<?> r
                        ? r.getTimestamp() + " " + dev.perfwatch.model.OutputJson.toJson(r.getValue()) : ""));
                out.removeIf(String::isEmpty);
                h.getSideOutput(ComponentAnalyzer.HEALTH).forEach(r -> out.add(r.getTimestamp() + " " + dev.perfwatch.model.OutputJson.toJson(r.getValue())));
                byMode.add(out);
            }
        }
        List<String> streaming = byMode.get(0);
        assertEquals(true, streaming.stream().anyMatch(l -> l.contains("\"ended_by\":\"no data\"")), "resolved at the gap: " + streaming);
        assertEquals(streaming, byMode.get(1), "the watermark behind the record after the gap");
        assertEquals(streaming, byMode.get(2), "batch");
    }

    /**
     * A suggestion is written again when its evidence grows, not at every crossing of one of its conditions: CPU
     * alternating between 93% and 97% keeps the component CPU-bound and crosses cpu-scale-out's second condition
     * (cpu_headroom <= 5) every other window; the code before wrote a row at each crossing. A pause (CPU at 50%,
     * the bottleneck resolved) and the same peaks again add no row within analysis.suggestion-repeat (1 day); after
     * it, the suggestion is written again.
     */
    @Test
    void aSuggestionIsWrittenAgainWhenItsEvidenceGrowsNotAtEachCrossingOfOneOfItsConditions() throws Exception {
        long day = CONFIG.analysis.suggestionRepeat.toMillis() / WINDOW;
        List<Integer> at = new ArrayList<>();
        try (KeyedOneInputStreamOperatorTestHarness<String, ComponentWindow, BottleneckReport> h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ComponentAnalyzer(CONFIG.analysis, CONFIG.levels(), CONFIG.catalogue(), CONFIG.alerts.retention), w -> w.component, Types.STRING)) {
            for (int i = 0; i < day + 20; i++) {
                boolean calm = i >= 20 && i < 30 || i >= 50 && i < day;
                h.processElement(cpuWindow(i, calm ? 50 : i % 2 == 0 ? 93 : 97));
            }
            h.getSideOutput(ComponentAnalyzer.SUGGESTIONS).forEach(r -> {
                if (r.getValue().suggestionId.equals("cpu-scale-out")) {
                    at.add((int) (r.getValue().windowStart / WINDOW));
                }
            });
        }
        // at 0 CPU-bound; at 1 also the headroom under 5%; then a day after that last row
        assertEquals(List.of(0, 1, 1 + (int) day), at);
    }

    /**
     * Memory sampled once a minute, a GC sawtooth: the heap fills for 90 minutes at 12 points an hour (50% to 68%),
     * then is collected. Each tooth rises as fast as a leak for an hour, but after the first three hours the series
     * has a tooth behind it: no memory-bound leak, no exhaustion forecast (before: both opened at every tooth, 32 a day).
     * A second series is the same sawtooth until a collection fails to come, 36 hours in: the heap keeps filling,
     * and once it passes the peaks the series held and came back from, the forecast opens an exhaustion.
     */
    @Test
    void aGcSawtoothIsNotALeakButTheToothThatKeepsRisingIs() throws Exception {
        int stuckAt = 23 * 90; // a tooth's start, 34.5 hours in
        List<BottleneckReport> reports;
        try (KeyedOneInputStreamOperatorTestHarness<String, ComponentWindow, BottleneckReport> h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ComponentAnalyzer(CONFIG.analysis, CONFIG.levels(), CONFIG.catalogue(), CONFIG.alerts.retention), w -> w.component, Types.STRING)) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
            for (int i = 0; i < (stuckAt + 180) / 5; i++) {
                for (String component : List.of("gc", "stuck")) {
                    double[] minutes = new double[5];
                    for (int m = 0; m < 5; m++) {
                        int minute = i * 5 + m;
                        double x = component.equals("stuck") && minute >= stuckAt ? (minute - stuckAt) / 90.0 : (minute % 90) / 90.0;
                        minutes[m] = 50 + 18 * x + 0.3 * rnd.nextGaussian();
                    }
                    h.processElement(memoryWindow(component, i, minutes));
                }
            }
            reports = new ArrayList<>(h.extractOutputValues());
        }
        List<String> gc = new ArrayList<>();
        int stuckOpened = -1;
        for (BottleneckReport r : reports) {
            if (r.status != dev.perfwatch.model.BottleneckStatus.OPEN) {
                continue;
            }
            int minute = (int) (r.windowStart / MIN);
            if (r.component.equals("gc") && minute >= 180) {
                gc.add(r.type.code() + " at minute " + minute);
            }
            if (r.component.equals("stuck") && minute >= stuckAt && stuckOpened < 0 && r.type == dev.perfwatch.model.BottleneckType.RESOURCE_EXHAUSTION) {
                stuckOpened = minute - stuckAt;
            }
        }
        assertEquals(List.of(), gc, "the sawtooth after its first three hours");
        // it passes the last peak (68%) 90 minutes in, and opens once its trend's level is past the highest window held
        assertTrue(stuckOpened >= 90 && stuckOpened <= 150, "the tooth that keeps rising opened an exhaustion at minute " + stuckOpened + " of it");
    }

    /** Profile window {@code i} of {@code component} with memory_usage at one value a minute. */
    private static StreamRecord<ComponentWindow> memoryWindow(String component, int i, double[] minutes) {
        ComponentWindow w = new ComponentWindow();
        w.component = component;
        w.windowStart = i * WINDOW;
        w.windowEnd = w.windowStart + WINDOW;
        MetricWindow mw = new MetricWindow();
        for (int m = 0; m < 5; m++) {
            WindowSummary s = new WindowSummary();
            s.component = component;
            s.metric = "memory_usage";
            s.windowStart = w.windowStart + m * MIN;
            s.windowEnd = s.windowStart + MIN;
            s.count = 1;
            s.mean = s.p50 = s.p95 = s.p99 = s.min = s.max = minutes[m];
            mw.add(s, CONFIG.levels().of(component, "memory_usage").statistic);
        }
        w.metrics.put("memory_usage", mw);
        return new StreamRecord<>(w, w.windowEnd - 1);
    }

    /** Profile window {@code i} of "svc" with CPU at {@code cpu}% (30 samples a minute). */
    private static StreamRecord<ComponentWindow> cpuWindow(int i, double cpu) {
        ComponentWindow w = new ComponentWindow();
        w.component = "svc";
        w.windowStart = i * WINDOW;
        w.windowEnd = w.windowStart + WINDOW;
        w.metrics.put("cpu_usage", metric("cpu_usage", w.windowStart, cpu, 30));
        return new StreamRecord<>(w, w.windowEnd - 1);
    }

    private static List<String> describe(List<BottleneckReport> reports) {
        List<String> out = new ArrayList<>();
        for (BottleneckReport r : reports) {
            if (r.type == dev.perfwatch.model.BottleneckType.DATABASE) {
                out.add(r.status.code() + " at " + r.windowStart / WINDOW + " since " + r.openedAt / WINDOW);
            } else {
                out.add(r.type.code() + " " + r.status.code() + " at " + r.windowStart / WINDOW);
            }
        }
        return out;
    }
}
