package dev.perfwatch.bench;

import dev.perfwatch.analyze.SummaryAccumulator;
import dev.perfwatch.analyze.WindowSummaries;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.detect.AnomalyScores;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.util.List;

/**
 * The anomaly alerts (the job's own {@link AnomalyScores} operator, in Flink's keyed operator test harness)
 * on the labelled series of {@code regression-bench}: each series summarized into the configuration's
 * windows by the job's own {@link WindowSummaries#summarize}, scored with the configuration's
 * {@code alerts.anomaly} settings. Counts the alerts that fire before any change (on null series the whole
 * series; elsewhere in windows that end by the change's start) per series-day, on the first day (before a day of history)
 * and after it, and the spikes (+100% for 10 to 20 minutes) with an alert starting between the spike's start
 * and 5 minutes after its end.
 */
public final class AnomalyBenchmark {

    private AnomalyBenchmark() {}

    /** Alerts before any change (first day, later days) over the series-days they were counted on, and spikes found. */
    public record Result(int series, long falseFirstDay, double seriesDaysFirstDay, long falseLater, double seriesDaysLater,
            int spikes, int spikesFound) {

        Result plus(Result o) {
            return new Result(series + o.series, falseFirstDay + o.falseFirstDay, seriesDaysFirstDay + o.seriesDaysFirstDay,
                    falseLater + o.falseLater, seriesDaysLater + o.seriesDaysLater, spikes + o.spikes, spikesFound + o.spikesFound);
        }
    }

    public static final String HEADER = "| seed | series | alerts before any change, first day (per series-day) | the same, later days"
            + " (per series-day) | spikes found |\n|---|---:|---:|---:|---:|\n";

    public static String row(String seed, Result r) {
        return String.format(java.util.Locale.ROOT, "| %s | %d | %d (%.3f) | %d (%.4f) | %d / %d = %.1f%% |%n", seed, r.series, r.falseFirstDay,
                r.falseFirstDay / Math.max(1e-9, r.seriesDaysFirstDay), r.falseLater, r.falseLater / Math.max(1e-9, r.seriesDaysLater),
                r.spikesFound, r.spikes, 100.0 * r.spikesFound / Math.max(1, r.spikes));
    }

    public static Result run(List<LabelledSeries> all, PerfwatchConfig config) throws Exception {
        return run(all, config, new java.util.TreeMap<>());
    }

    /** As {@link #run(List, PerfwatchConfig)}, adding each series' result to {@code byMetric} under its metric. */
    public static Result run(List<LabelledSeries> all, PerfwatchConfig config, java.util.Map<String, Result> byMetric) throws Exception {
        long window = config.windows.summary.toMillis();
        Result total = new Result(0, 0, 0, 0, 0, 0, 0);
        for (LabelledSeries s : all) {
            Result r = one(s, config, window);
            byMetric.merge(s.metric, r, Result::plus);
            total = total.plus(r);
        }
        return total;
    }

    private static Result one(LabelledSeries s, PerfwatchConfig config, long window) throws Exception {
        String component = "series-" + s.index;
        try (KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, AlertCandidate> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AnomalyScores(config.alerts.anomaly, config.levels(), config.alerts.retention)),
                WindowSummary::seriesId, Types.LONG)) {
            h.open();
            int n = s.samples();
            int i = 0;
            while (i < n) {
                long start = Math.floorDiv(s.time(i), window) * window;
                SummaryAccumulator acc = new SummaryAccumulator(config.windows.quantileRelativeAccuracy);
                for (; i < n && s.time(i) < start + window; i++) {
                    acc.add(component, s.metric, s.value(i));
                }
                h.processElement(new StreamRecord<>(WindowSummaries.summarize(component, s.metric, start, start + window, acc), start + window - 1));
            }
            long changeAt = s.change == LabelledSeries.Change.NONE ? Long.MAX_VALUE : s.start;
            long day = LabelledSeries.DAY;
            long falseFirst = 0;
            long falseLater = 0;
            boolean found = false;
            for (AlertCandidate a : h.extractOutputValues()) {
                if (a.status != AlertStatus.FIRING) {
                    continue;
                }
                // Before any change: its window ends by the change's start (a change starts within a window when
                // the samples are denser than the windows, and that window's alert is the change's).
                if (a.startedAt + window <= changeAt) {
                    if (a.startedAt < day) {
                        falseFirst++;
                    } else {
                        falseLater++;
                    }
                } else if (s.change == LabelledSeries.Change.SPIKE && a.startedAt <= s.end + 5 * 60_000L) {
                    found = true;
                }
            }
            double cleanEnd = Math.min(changeAt, s.durationMillis);
            return new Result(1, falseFirst, Math.min(cleanEnd, day) / day, falseLater, Math.max(0, cleanEnd - day) / day,
                    s.change == LabelledSeries.Change.SPIKE ? 1 : 0, found ? 1 : 0);
        }
    }
}
