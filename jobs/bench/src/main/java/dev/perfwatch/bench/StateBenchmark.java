package dev.perfwatch.bench;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.detect.AnomalyScores;
import dev.perfwatch.detect.RegressionDetector;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.suggest.SuggestionCatalogue;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        out.printf("%-14s %14s %20s %20s %14s%n", "sample every", "samples", "regression KiB", "anomaly scores KiB", "total KiB");
        for (long every : new long[] {1_000, 10_000, 60_000, 300_000}) {
            LabelledSeries series = LabelledSeries.generate(1, 1, every, DAYS).get(0);
            long regression = regressionState(series, config, 2) - regressionState(series, config, 1);
            long anomaly = anomalyState(series, config, 2) - anomalyState(series, config, 1);
            out.printf("%-14s %,14d %20.1f %20.1f %14.1f%n", every >= MINUTE ? (every / MINUTE) + " min" : (every / 1000) + " s",
                    series.samples(), regression / 1024.0, anomaly / 1024.0, (regression + anomaly) / 1024.0);
        }
    }

    /** The keyed state checkpointed after the series ran under {@code keys} keys. */
    private static long regressionState(LabelledSeries s, PerfwatchConfig config, int keys) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricSample, RegressionFinding> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RegressionDetector(config.regression, config.levels(), SuggestionCatalogue.bundled())),
                MetricSample::seriesKey, Types.STRING)) {
            h.open();
            long watermark = Long.MIN_VALUE;
            for (int i = 0; i < s.samples(); i++) {
                long t = s.time(i);
                if (t - 1 > watermark) {
                    watermark = t - 1;
                    h.processWatermark(new Watermark(watermark));
                }
                for (int k = 0; k < keys; k++) {
                    h.processElement(new StreamRecord<>(new MetricSample(t, s.metric, "series-" + k, s.value(i)), t));
                }
            }
            return keyedStateBytes(h.snapshot(1, watermark));
        }
    }

    private static long anomalyState(LabelledSeries s, PerfwatchConfig config, int keys) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, WindowSummary, AlertCandidate> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AnomalyScores(config.alerts.anomaly, config.levels(), config.alerts.retention)),
                WindowSummary::seriesKey, Types.STRING)) {
            h.open();
            long window = config.windows.summary.toMillis();
            long watermark = Long.MIN_VALUE;
            List<Double> values = new ArrayList<>();
            long start = 0;
            for (int i = 0; i <= s.samples(); i++) {
                long t = i < s.samples() ? s.time(i) : Long.MAX_VALUE;
                if (!values.isEmpty() && t >= start + window) {
                    watermark = start + window - 1;
                    h.processWatermark(new Watermark(watermark));
                    for (int k = 0; k < keys; k++) {
                        h.processElement(new StreamRecord<>(summary("series-" + k, s.metric, start, start + window, values), watermark));
                    }
                    values.clear();
                }
                if (i < s.samples()) {
                    start = Math.floorDiv(t, window) * window;
                    values.add(s.value(i));
                }
            }
            return keyedStateBytes(h.snapshot(1, watermark));
        }
    }

    private static WindowSummary summary(String component, String metric, long start, long end, List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        WindowSummary w = new WindowSummary();
        w.component = component;
        w.metric = metric;
        w.windowStart = start;
        w.windowEnd = end;
        w.count = v.length;
        w.mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) {
            ss += (x - w.mean) * (x - w.mean);
        }
        w.stddev = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
        w.min = v[0];
        w.max = v[v.length - 1];
        w.p50 = v[(int) Math.floor(0.5 * (v.length - 1))];
        w.p95 = v[(int) Math.floor(0.95 * (v.length - 1))];
        w.p99 = v[(int) Math.floor(0.99 * (v.length - 1))];
        return w;
    }

    private static long keyedStateBytes(OperatorSubtaskState snapshot) {
        long bytes = 0;
        for (KeyedStateHandle handle : snapshot.getManagedKeyedState()) {
            bytes += handle.getStateSize();
        }
        return bytes;
    }
}
