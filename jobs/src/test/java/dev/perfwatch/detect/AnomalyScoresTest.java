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

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnomalyScoresTest {

    private static final long MIN = 60_000;

    private static StreamRecord<WindowSummary> window(String metric, int minute, double median) {
        WindowSummary w = new WindowSummary();
        w.component = "api";
        w.metric = metric;
        w.windowStart = (minute - 1) * MIN;
        w.windowEnd = minute * MIN;
        w.count = 30;
        w.mean = w.p50 = median;
        w.p95 = w.p99 = w.max = median * 1.5;
        w.min = median * 0.5;
        w.stddev = median * 0.2;
        return new StreamRecord<>(w, w.windowEnd - 1);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, WindowSummary, AlertCandidate> harness(String... overrides) throws Exception {
        PerfwatchConfig c = ConfigLoader.load(null, List.of(overrides));
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new AnomalyScores(c.alerts.anomaly, c.levels(), c.alerts.retention), WindowSummary::seriesKey, Types.STRING);
        h.open();
        return h;
    }

    @Test
    void quietDuringColdStartThenFiresAndClearsInTheWorseDirectionOnly() throws Exception {
        var h = harness("alerts.anomaly.rcf.enabled=false");
        SplittableRandom rnd = new SplittableRandom(1);
        int minute = 1;
        h.processElement(window("response_time", minute++, 100));
        h.processElement(window("response_time", minute++, 500)); // a jump during the cold start: no alert
        for (; minute <= 40; minute++) {
            h.processElement(window("response_time", minute, 100 + 5 * rnd.nextGaussian()));
        }
        assertTrue(h.extractOutputValues().isEmpty(), h.extractOutputValues().toString());
        h.processElement(window("response_time", minute++, 40)); // faster: an improvement, not an alert
        assertTrue(h.extractOutputValues().isEmpty(), "improvements are not anomalies: " + h.extractOutputValues());
        h.processElement(window("response_time", minute++, 180));
        h.processElement(window("response_time", minute++, 190));
        h.processElement(window("response_time", minute++, 101));
        List<AlertCandidate> out = h.extractOutputValues();
        assertEquals(2, out.size(), out.toString());
        assertEquals("firing", out.get(0).status.code());
        assertEquals("anomaly:robust-z", out.get(0).rule);
        assertEquals(180.0, out.get(0).value);
        assertTrue(dev.perfwatch.model.OutputJson.toJson(out.get(0).evidence).contains("\"robust_z\":"), out.get(0).evidence.toString());
        assertEquals("cleared", out.get(1).status.code());
        assertEquals(out.get(0).startedAt, out.get(1).startedAt);
        h.close();
    }

    @Test
    void lowerIsWorseMetricsAlertOnDrops() throws Exception {
        var h = harness("alerts.anomaly.rcf.enabled=false");
        SplittableRandom rnd = new SplittableRandom(2);
        int minute = 1;
        for (; minute <= 35; minute++) {
            h.processElement(window("cache_hit_rate", minute, 0.9 + 0.005 * rnd.nextGaussian()));
        }
        h.processElement(window("cache_hit_rate", minute++, 0.99));
        assertTrue(h.extractOutputValues().isEmpty(), "a higher hit rate is good news");
        h.processElement(window("cache_hit_rate", minute, 0.5));
        assertEquals(1, h.extractOutputValues().size());
        h.close();
    }

    @Test
    void randomCutForestScoresASpikeAndNamesTheDimension() throws Exception {
        var h = harness("alerts.anomaly.robust-z=1000");
        SplittableRandom rnd = new SplittableRandom(3);
        int minute = 1;
        for (; minute <= 60; minute++) {
            h.processElement(window("response_time", minute, 100 * Math.exp(0.05 * rnd.nextGaussian())));
        }
        assertTrue(h.extractOutputValues().isEmpty(), h.extractOutputValues().toString());
        h.processElement(window("response_time", minute, 800));
        List<AlertCandidate> out = h.extractOutputValues();
        assertEquals(1, out.size(), out.toString());
        assertEquals("anomaly:rcf", out.get(0).rule);
        assertTrue(out.get(0).value >= 3.0, out.get(0).toString());
        assertTrue(dev.perfwatch.model.OutputJson.toJson(out.get(0).evidence).contains("\"top_dimension\":"), out.get(0).evidence.toString());
        h.close();
    }

    @Test
    void silentSeriesStateIsRemovedByTimer() throws Exception {
        var h = harness("alerts.anomaly.rcf.enabled=false", "alerts.retention=10m");
        for (int minute = 1; minute <= 31; minute++) {
            h.processElement(window("response_time", minute, 100));
        }
        h.processElement(window("response_time", 32, 300));
        assertEquals(1, h.extractOutputValues().size());
        assertEquals(1, h.numKeyedStateEntries());
        h.processWatermark(new Watermark(42 * MIN + 1));
        List<AlertCandidate> out = h.extractOutputValues();
        assertEquals(2, out.size());
        assertEquals("cleared", out.get(1).status.code());
        assertTrue(dev.perfwatch.model.OutputJson.toJson(out.get(1).evidence).contains("no data"), out.get(1).evidence.toString());
        assertEquals(0, h.numKeyedStateEntries());
        assertEquals(0, h.numEventTimeTimers());
        h.close();
    }
}
