package dev.perfwatch.detect;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.RegressionFinding;

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

class RegressionDetectorTest {

    private static final long MIN = 60_000;

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, MetricSample, RegressionFinding> h,
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

    @Test
    void oneFindingPerEpisodeBoundedStateAndCleanup() throws Exception {
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=30m"));
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new RegressionDetector(c), MetricSample::seriesKey, Types.STRING);
        h.open();
        SplittableRandom rnd = new SplittableRandom(3);
        feed(h, 0, 180, 100, rnd);
        assertTrue(h.extractOutputValues().isEmpty(), "a steady series has no finding: " + h.extractOutputValues());
        feed(h, 180, 300, 150, rnd); // +50% for two hours
        List<RegressionFinding> out = h.extractOutputValues();
        assertEquals(1, out.size(), "confirmations do not repeat the finding: " + out);
        RegressionFinding f = out.get(0);
        assertEquals("regression", f.direction);
        assertEquals("sudden", f.type);
        assertEquals(180 * MIN, f.changePointAt);
        assertTrue(f.detectedAt > 180 * MIN && f.detectedAt <= 215 * MIN, "found within 35 minutes: " + f);
        assertTrue(f.relativeChange > 0.1 && f.relativeChange < 0.6, "part of the comparison hour is past the step: " + f);
        // Buckets: at most baseline + comparison in 5-minute intervals, plus the one filling.
        assertTrue(h.numKeyedStateEntries() <= 2 + (120 + 60) / 5 + 2, "bounded state: " + h.numKeyedStateEntries());
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertEquals(0, h.numKeyedStateEntries(), "all state gone once the data has aged out");
        assertEquals(0, h.numEventTimeTimers());
        h.close();
    }

    @Test
    void improvementsAreReportedAsSuch() throws Exception {
        PerfwatchConfig c = ConfigLoader.load(null, List.of("regression.baseline-window=2h", "regression.min-baseline=30m"));
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new RegressionDetector(c), MetricSample::seriesKey, Types.STRING);
        h.open();
        SplittableRandom rnd = new SplittableRandom(4);
        feed(h, 0, 180, 100, rnd);
        feed(h, 180, 260, 60, rnd);
        List<RegressionFinding> out = h.extractOutputValues();
        assertEquals(1, out.size(), out.toString());
        assertEquals("improvement", out.get(0).direction);
        assertEquals("info", out.get(0).severity);
        h.close();
    }

    @Test
    void benchmarkSmallVersion() {
        // 120 labelled series (a seed the defaults were not tuned on) through the same evaluator and
        // episodes the job uses. Bounds a little below what 400 series measure (jobs/REGRESSION.md).
        PerfwatchConfig.Regression cfg = ConfigLoader.defaults().regression;
        List<RegressionBenchmark.Outcome> outcomes = RegressionBenchmark.run(dev.perfwatch.demo.LabelledSeries.generate(120, 7), cfg);
        RegressionBenchmark.Summary s = RegressionBenchmark.summarize(outcomes, cfg);
        assertTrue(s.targetTotal >= 20, "enough sustained shifts in the sample: " + s.targetTotal);
        assertTrue(s.targetRecall() >= 0.97, "recall of shifts >= 10% with |d| >= 0.5: " + s.targetRecall());
        assertTrue(s.nullRate() <= 0.02, "null series with a finding: " + s.nullRate());
        assertTrue(s.classificationAccuracy() >= 0.82, "classification: " + s.classificationAccuracy());
        assertTrue(s.medianDelayMinutes <= 60, "median delay: " + s.medianDelayMinutes);
    }
}
