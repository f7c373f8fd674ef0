package dev.perfwatch.detect;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule semantics of a Prometheus alerting rule unit test (promtool test rules): one evaluation per
 * window end, {@code for} and {@code keep_firing_for} counted in evaluation time.
 */
class ThresholdRulesTest {

    private static final long MIN = 60_000;

    private static PerfwatchConfig config(String forDuration, String keep) {
        return ConfigLoader.load(null, List.of(
                "metrics.cpu_usage.warning=80", "metrics.cpu_usage.critical=95", "metrics.cpu_usage.statistic=mean",
                "metrics.cpu_usage.for=" + forDuration, "metrics.cpu_usage.keep-firing-for=" + keep, "alerts.retention=30m"));
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, AlertCandidate> harness(PerfwatchConfig c) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ThresholdRules(c.levels(), c.alerts.retention), WindowSummary::seriesId, Types.LONG);
    }

    /** Window [minute - 1, minute) of web/cpu_usage with the given mean. */
    private static StreamRecord<WindowSummary> window(int minute, double mean) {
        WindowSummary w = new WindowSummary();
        w.component = "web";
        w.metric = "cpu_usage";
        w.windowStart = (minute - 1) * MIN;
        w.windowEnd = minute * MIN;
        w.count = 30;
        w.mean = mean;
        w.p50 = w.p95 = w.p99 = w.min = w.max = mean;
        return new StreamRecord<>(w, w.windowEnd - 1);
    }

    private static List<String> events(KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, AlertCandidate> h) {
        List<String> out = new ArrayList<>();
        for (AlertCandidate a : h.extractOutputValues()) {
            out.add(a.status.code() + " " + a.severity.code() + " at " + a.eventTime / MIN + "m since " + a.startedAt / MIN + "m");
        }
        return out;
    }

    @Test
    void pendingThenFiringAfterForThenKeepFiringThenResolved() throws Exception {
        var h = harness(config("2m", "2m"));
        h.open();
        double[] means = {50, 85, 86, 87, 50, 50, 50, 85, 50};
        for (int i = 0; i < means.length; i++) {
            h.processElement(window(i + 1, means[i]));
        }
        // Pending from 2m, firing at 4m (held for 2m), not holding from 5m, kept firing until 7m.
        // The breach at 8m is pending and dropped at 9m without an alert.
        assertEquals(List.of("firing warning at 4m since 2m", "cleared warning at 7m since 2m"), events(h));
        AlertCandidate fired = h.extractOutputValues().get(0);
        assertEquals("threshold:cpu_usage:warning", fired.rule);
        assertEquals(87.0, fired.value);
        assertEquals(80.0, fired.threshold);
        assertEquals(AlertCandidate.fingerprint("threshold:cpu_usage:warning", "web", "cpu_usage"), fired.alertId);
        assertTrue(dev.perfwatch.model.OutputJson.toJson(fired.evidence).contains("\"first_value\":85.0") && dev.perfwatch.model.OutputJson.toJson(fired.evidence).contains("\"breaching_windows\":3"), fired.evidence.toString());
        h.close();
    }

    @Test
    void zeroForFiresAtOnceAndZeroKeepClearsAtOnceBothLevels() throws Exception {
        var h = harness(config("0s", "0s"));
        h.open();
        h.processElement(window(1, 96));
        h.processElement(window(2, 90));
        h.processElement(window(3, 10));
        assertEquals(List.of("firing warning at 1m since 1m", "firing critical at 1m since 1m",
                "cleared critical at 2m since 1m", "cleared warning at 3m since 1m"), events(h));
        h.close();
    }

    @Test
    void conditionHoldingAgainDuringKeepFiringDoesNotRefire() throws Exception {
        var h = harness(config("1m", "3m"));
        h.open();
        double[] means = {85, 85, 50, 85, 50, 50, 50};
        for (int i = 0; i < means.length; i++) {
            h.processElement(window(i + 1, means[i]));
        }
        // Fires at 2m; 3m does not hold (keep from 3m); 4m holds again (keep reset); cleared 3m after 5m.
        assertEquals(List.of("firing warning at 2m since 1m"), events(h));
        h.processElement(window(8, 50));
        assertEquals(List.of("firing warning at 2m since 1m", "cleared warning at 8m since 1m"), events(h));
        h.close();
    }

    @Test
    void aWindowWithoutSamplesIsNoDataNotAClearedCondition() throws Exception {
        var h = harness(config("2m", "0s"));
        h.open();
        h.processElement(window(1, 85));
        h.processElement(window(2, 85));
        h.processElement(window(4, 85)); // window 3 had no samples: the breach has still lasted 3 minutes
        assertEquals(List.of("firing warning at 4m since 1m"), events(h));
        h.processElement(window(7, 50)); // the first sample back under the level clears it
        assertEquals(List.of("firing warning at 4m since 1m", "cleared warning at 7m since 1m"), events(h));
        h.close();
    }

    @Test
    void aFiveMinuteSeriesInOneMinuteWindowsFiresAfterTheStatedDuration() throws Exception {
        var h = harness(config("10m", "0s"));
        h.open();
        for (int minute = 1; minute <= 41; minute += 5) { // one sample every 5 minutes, each alone in its 1-minute window
            h.processElement(window(minute, 85));
        }
        // Breaching since the window ending at 1m; 10 minutes of breaches by the window ending at 11m.
        assertEquals(List.of("firing warning at 11m since 1m"), events(h));
        h.close();
    }

    @Test
    void silentSeriesIsClearedByTimerAndItsStateRemoved() throws Exception {
        var h = harness(config("0s", "0s"));
        h.open();
        h.processElement(window(1, 85));
        assertEquals(1, h.numKeyedStateEntries());
        assertEquals(1, h.numEventTimeTimers());
        h.processWatermark(new Watermark(29 * MIN));
        assertEquals(1, events(h).size(), "nothing before the retention ends");
        h.processWatermark(new Watermark(31 * MIN));
        assertEquals(List.of("firing warning at 1m since 1m", "cleared warning at 31m since 1m"), events(h));
        AlertCandidate cleared = h.extractOutputValues().get(1);
        assertTrue(dev.perfwatch.model.OutputJson.toJson(cleared.evidence).contains("no data for PT30M"), cleared.evidence.toString());
        assertEquals(0, h.numKeyedStateEntries(), "state removed");
        assertEquals(0, h.numEventTimeTimers());
        h.close();
    }

    @Test
    void lowerIsWorseMetricsAndComponentOverrides() throws Exception {
        PerfwatchConfig c = ConfigLoader.load(null, List.of("metrics.cache_hit_rate.for=0s",
                "components.edge-cache.cache_hit_rate.warning=0.9"));
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ThresholdRules(c.levels(), c.alerts.retention), WindowSummary::seriesId, Types.LONG);
        h.open();
        for (String component : new String[] {"cache", "edge-cache"}) {
            StreamRecord<WindowSummary> r = window(1, 0.85);
            r.getValue().component = component;
            r.getValue().metric = "cache_hit_rate";
            h.processElement(r);
        }
        List<AlertCandidate> out = h.extractOutputValues();
        assertEquals(1, out.size(), out.toString());
        assertEquals("edge-cache", out.get(0).component);
        assertEquals(0.9, out.get(0).threshold);
        h.close();
    }
}
