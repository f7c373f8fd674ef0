package dev.perfwatch.detect;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.OutputJson;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesDetectorsTest {

    private static final long MIN = 60_000L;

    private static PerfwatchConfig config() {
        return ConfigLoader.load(null, List.of("metrics.cpu_usage.warning=80", "metrics.cpu_usage.critical=95",
                "metrics.cpu_usage.statistic=mean", "alerts.retention=30m", "alerts.anomaly.cold-start-windows=30"));
    }

    /** Two series' windows: cpu_usage wandering across its levels with a few spikes, and a metric without levels; then silence. */
    private static List<WindowSummary> windows() {
        SplittableRandom random = new SplittableRandom(11);
        List<WindowSummary> out = new ArrayList<>();
        for (int minute = 1; minute <= 400; minute++) {
            for (String metric : new String[] {"cpu_usage", "custom_metric"}) {
                if (metric.equals("custom_metric") && minute > 300) {
                    continue; // silent earlier: its timers fire while the other series goes on
                }
                double mean = 70 + 12 * Math.sin(minute / 9.0) + random.nextGaussian() * 3 + (minute % 97 < 2 && minute > 1 ? 40 : 0); // two-sample spikes: a young series' excursion needs two
                if (minute > 390) {
                    mean = 90; // firing when the series falls silent
                }
                WindowSummary w = new WindowSummary();
                w.component = "web";
                w.metric = metric;
                w.windowStart = (minute - 1) * MIN;
                w.windowEnd = minute * MIN;
                w.count = 1;
                w.mean = mean;
                w.p50 = w.p95 = w.p99 = w.min = w.max = mean;
                out.add(w);
            }
        }
        return out;
    }

    private static <O> KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, O> run(KeyedProcessFunction<Long, WindowSummary, O> f)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(f, WindowSummary::seriesId, Types.LONG);
        long minute = 0;
        for (WindowSummary w : windows()) {
            h.processElement(new StreamRecord<>(w, w.windowEnd - 1));
            if (w.windowEnd / MIN != minute) {
                minute = w.windowEnd / MIN;
                h.processWatermark(new Watermark(w.windowEnd - 1));
            }
        }
        h.processWatermark(new Watermark(500 * MIN)); // silent for the retention: alert state gone
        h.processWatermark(new Watermark(400 * MIN + forgetAfterMillis())); // and for the anomaly scores' forget-after
        return h;
    }

    private static long forgetAfterMillis() {
        return config().alerts.anomaly.forgetAfter.toMillis();
    }

    private static List<String> json(List<?> records) {
        List<String> out = new ArrayList<>();
        for (Object r : records) {
            out.add(OutputJson.toJson(r));
        }
        out.sort(null);
        return out;
    }

    /** One sequence pattern's windows on the pre-filters' side output, with their times. */
    private static List<String> side(KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, ?> h, boolean crossing) {
        ConcurrentLinkedQueue<StreamRecord<SequencePreFilters.PatternWindow>> q = h.getSideOutput(SequencePreFilters.PATTERN_WINDOWS);
        List<String> values = new ArrayList<>();
        if (q != null) {
            q.forEach(r -> {
                if (r.getValue().crossing == crossing) {
                    values.add(r.getTimestamp() + " " + OutputJson.toJson(r.getValue().window));
                }
            });
        }
        return values;
    }

    @Test
    void theDetectorsTogetherGiveWhatEachGivesAloneAndForgetASilentSeries() throws Exception {
        PerfwatchConfig c = config();
        var thresholds = run(new ThresholdRules(c.levels(), c.alerts.retention));
        var anomalies = run(new AnomalyScores(c.alerts.anomaly, c.levels(), c.alerts.retention));
        var filters = run(new SequencePreFilters(c.levels(), c.alerts.retention, true, true));
        var together = run(new SeriesDetectors(new ThresholdRules(c.levels(), c.alerts.retention),
                new AnomalyScores(c.alerts.anomaly, c.levels(), c.alerts.retention),
                new SequencePreFilters(c.levels(), c.alerts.retention, true, true)));

        List<AlertCandidate> alone = new ArrayList<>(thresholds.extractOutputValues());
        alone.addAll(anomalies.extractOutputValues());
        List<String> expected = json(alone);
        assertTrue(expected.stream().anyMatch(s -> s.contains("threshold:cpu_usage")), "thresholds fired");
        assertTrue(expected.stream().anyMatch(s -> s.contains("\"kind\":\"anomaly\"")), "anomaly scores fired");
        assertTrue(expected.stream().anyMatch(s -> s.contains("no data for PT30M")), "a silent series' alerts cleared");
        assertEquals(expected, json(together.extractOutputValues()));
        for (boolean crossing : new boolean[] {SequencePreFilters.BREACH_RUNS, SequencePreFilters.CROSSINGS}) {
            String role = crossing ? "crossings" : "breach runs";
            assertFalse(side(filters, crossing).isEmpty(), role);
            assertEquals(side(filters, crossing), side(together, crossing), role);
        }
        // Every series silent for the retention and forget-after: every detector's state and timer gone, as alone.
        assertEquals(0, thresholds.numKeyedStateEntries() + anomalies.numKeyedStateEntries() + filters.numKeyedStateEntries());
        assertEquals(0, together.numKeyedStateEntries(), "state left");
        assertEquals(0, together.numEventTimeTimers(), "timers left");
        for (var h : List.of(thresholds, anomalies, filters, together)) {
            h.close();
        }
    }

    /** The memory leak's ring goes with the series' other state once it has been silent for the retention. */
    @Test
    void theMemoryLeakRingOfASilentSeriesIsForgottenWithTheRest() throws Exception {
        PerfwatchConfig c = config();
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new SeriesDetectors(new ThresholdRules(c.levels(), c.alerts.retention),
                new AnomalyScores(c.alerts.anomaly, c.levels(), c.alerts.retention), null,
                new MemoryLeakPattern.Rising(c.alerts.patterns.memoryLeak, c.levels(), c.alerts.retention.toMillis()), c.alerts.patterns.memoryLeak.metric), WindowSummary::seriesId, Types.LONG);
        for (int minute = 1; minute <= 15; minute++) {
            WindowSummary w = new WindowSummary();
            w.component = "worker";
            w.metric = c.alerts.patterns.memoryLeak.metric;
            w.windowStart = (minute - 1) * MIN;
            w.windowEnd = minute * MIN;
            w.count = 1;
            w.mean = w.p50 = w.p95 = w.p99 = w.min = w.max = 50 + (minute % 3);
            h.processElement(new StreamRecord<>(w, w.windowEnd - 1));
            h.processWatermark(new Watermark(w.windowEnd - 1));
        }
        h.processWatermark(new Watermark(15 * MIN + c.alerts.retention.toMillis()));
        assertEquals(1, h.numKeyedStateEntries(), "the anomaly scores' state only (kept until forget-after)");
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertEquals(0, h.numKeyedStateEntries());
        assertEquals(0, h.numEventTimeTimers());
        h.close();
    }
}
