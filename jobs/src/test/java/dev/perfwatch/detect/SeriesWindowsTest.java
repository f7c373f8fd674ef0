package dev.perfwatch.detect;

import dev.perfwatch.analyze.ComponentInput;
import dev.perfwatch.analyze.ComponentProfiles;
import dev.perfwatch.analyze.ComponentWindow;
import dev.perfwatch.analyze.MetricWindow;
import dev.perfwatch.analyze.SummaryAccumulator;
import dev.perfwatch.analyze.SummaryPartial;
import dev.perfwatch.analyze.WindowSummaries;
import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.OutputJson;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SeriesWindows} gives what a tumbling event-time window followed by the {@link SeriesDetectors} gives:
 * the same summaries at the same times, the same alert candidates and pattern windows, late parts on their
 * side output; in BATCH mode (sorted input, windows fired as the next one opens) the same again, with the
 * detectors' last cleanup firing at the series' end.
 */
class SeriesWindowsTest {

    private static final long MIN = 60_000L;
    private static final double ACCURACY = 0.01;
    private static final long PROFILE = 5 * MIN;

    private static PerfwatchConfig config() {
        return ConfigLoader.load(null, List.of("metrics.cpu_usage.warning=80", "metrics.cpu_usage.critical=95",
                "metrics.cpu_usage.statistic=mean", "alerts.retention=30m", "alerts.anomaly.cold-start-windows=30"));
    }

    private static SeriesDetectors detectors(PerfwatchConfig c) {
        return new SeriesDetectors(new ThresholdRules(c.levels(), c.alerts.retention),
                new AnomalyScores(c.alerts.anomaly, c.levels(), c.alerts.retention),
                new SequencePreFilters(c.levels(), c.alerts.retention, true, true),
                new MemoryLeakPattern.Rising(c.alerts.patterns.memoryLeak, c.levels(), c.alerts.retention.toMillis()), c.alerts.patterns.memoryLeak.metric);
    }

    /**
     * Parts of three series, in arrival order: cpu_usage wandering across its levels with spikes, memory_usage
     * rising for a while (a leak), a metric without levels; some windows in two parts (two readers), one
     * series silent for a while (longer than the retention) and then back; all silent at the end.
     */
    private static List<SummaryPartial> parts() {
        SplittableRandom random = new SplittableRandom(5);
        List<SummaryPartial> out = new ArrayList<>();
        for (int minute = 0; minute < 300; minute++) {
            for (String metric : new String[] {"cpu_usage", "memory_usage", "custom_metric"}) {
                if (metric.equals("custom_metric") && minute >= 120 && minute < 200) {
                    continue;
                }
                double level = switch (metric) {
                    case "cpu_usage" -> 70 + 12 * Math.sin(minute / 9.0) + (minute % 97 < 2 && minute > 1 ? 40 : 0);
                    case "memory_usage" -> 40 + (minute > 150 && minute < 200 ? (minute - 150) * 5.0 : 0);
                    default -> 10 + (minute >= 116 && minute < 120 ? 40 : 0); // an excursion, firing when it falls silent
                };
                int readers = minute % 7 == 3 ? 2 : 1;
                for (int r = 0; r < readers; r++) {
                    SummaryPartial p = new SummaryPartial(MetricSample.seriesId("web", metric), "web", metric, minute * MIN, (minute + 1) * MIN);
                    p.component = "web";
                    p.metric = metric;
                    int values = 1 + random.nextInt(3);
                    for (int v = 0; v < values; v++) {
                        p.add(level + random.nextGaussian() * 3, ACCURACY);
                    }
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The summaries the windows should give: each window's parts folded in arrival order, independently of the operator. */
    private static List<WindowSummary> expectedSummaries(List<SummaryPartial> parts) {
        Map<String, SummaryAccumulator> windows = new LinkedHashMap<>();
        Map<String, SummaryPartial> firsts = new LinkedHashMap<>();
        for (SummaryPartial p : parts) {
            String key = p.metric + "@" + p.windowStart;
            windows.put(key, p.foldInto(windows.containsKey(key) ? windows.get(key) : new SummaryAccumulator(ACCURACY)));
            firsts.putIfAbsent(key, p);
        }
        List<WindowSummary> out = new ArrayList<>();
        windows.forEach((key, acc) -> {
            SummaryPartial p = firsts.get(key);
            out.add(WindowSummaries.summarize(p.component, p.metric, p.windowStart, p.windowEnd, acc));
        });
        out.sort(Comparator.comparingLong((WindowSummary w) -> w.windowEnd).thenComparing(w -> w.metric));
        return out;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, SummaryPartial, WindowSummary> harness(PerfwatchConfig c, boolean batch)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new SeriesWindows(detectors(c), MIN, ACCURACY, c.alerts.retention.toMillis(), batch,
                c.levels(), PROFILE, new AlertPatterns.ComponentPatternWindows(c.alerts.patterns, c.levels())), (SummaryPartial p) -> p.seriesId,
                Types.LONG);
        h.open();
        return h;
    }

    /** The records (not the watermarks) with their times, sorted. */
    private static List<String> stamped(Iterable<?> records) {
        List<String> out = new ArrayList<>();
        if (records != null) {
            for (Object o : records) {
                if (!(o instanceof StreamRecord<?> r)) {
                    continue;
                }
                Object v = r.getValue();
                if (v instanceof ComponentInput in) {
                    out.add(r.getTimestamp() + " " + in.component + " " + (in.summary != null ? OutputJson.toJson(in.summary)
                            : in.metric + " " + in.profileStart + " " + profileJson(in.profile)));
                } else if (v instanceof SequencePreFilters.PatternWindow pw) {
                    out.add(r.getTimestamp() + " " + (pw.crossing ? "crossing " : "breach ") + OutputJson.toJson(pw.window));
                } else {
                    out.add(r.getTimestamp() + " " + OutputJson.toJson(v));
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static String profileJson(MetricWindow w) {
        return w.samples + " " + w.windows + " " + w.sumMean + " " + w.sumP95 + " " + w.sumStat + " " + w.highestMean + " " + w.lowestMean
                + " " + w.highestP95 + " " + w.lowestP95 + " " + w.highestStat + " " + w.lowestStat;
    }

    /**
     * What the per-component stages should get: for each series and profile window, its summaries folded in time
     * order as the profile window folds them; and the summaries of the metrics the component patterns read.
     */
    private static List<String> expectedComponentInputs(PerfwatchConfig c, List<WindowSummary> summaries) {
        // cpu_usage is the correlated saturation's cause: its windows beyond the warning level (80).
        long beyond = summaries.stream().filter(w -> w.metric.equals("cpu_usage") && w.mean >= 80).count();
        assertTrue(beyond > 10 && beyond < summaries.size() / 6, "cpu_usage windows beyond warning: " + beyond);
        Map<String, ComponentInput> parts = new LinkedHashMap<>();
        List<StreamRecord<?>> out = new ArrayList<>();
        for (WindowSummary w : summaries) { // in time order
            if (w.metric.equals("cpu_usage") && w.mean >= 80) {
                out.add(new StreamRecord<>(ComponentInput.of(w), w.windowEnd - 1));
            }
            long start = (w.windowEnd - 1) / PROFILE * PROFILE;
            ComponentInput part = parts.computeIfAbsent(w.metric + "@" + start, k -> ComponentInput.profilePart(w.component, w.metric, start));
            MetricThresholds t = c.levels().of(w.component, w.metric);
            part.profile.add(w, t == null ? null : t.statistic);
        }
        parts.values().forEach(p -> out.add(new StreamRecord<>(p, p.profileStart + PROFILE - 1)));
        return stamped(out);
    }

    private static List<String> profiles(Map<Long, ComponentWindow> windows) {
        List<String> out = new ArrayList<>();
        windows.forEach((k, w) -> new TreeMap<>(w.metrics).forEach((m, mw) -> out.add(k + " " + m + " " + profileJson(mw))));
        return out;
    }

    /** The detectors' alert candidates, which go out with the component inputs. */
    private static List<StreamRecord<AlertCandidate>> alertsOf(KeyedOneInputStreamOperatorTestHarness<Long, SummaryPartial, WindowSummary> h) {
        List<StreamRecord<AlertCandidate>> out = new ArrayList<>();
        for (StreamRecord<ComponentInput> r : h.getSideOutput(SeriesWindows.COMPONENT)) {
            if (r.getValue().alert != null) {
                assertEquals(r.getValue().alert.component, r.getValue().component);
                out.add(new StreamRecord<>(r.getValue().alert, r.getTimestamp()));
            }
        }
        return out;
    }

    /** The component inputs but the alert candidates: profile parts and the summaries for the component patterns. */
    private static List<StreamRecord<ComponentInput>> componentInputs(KeyedOneInputStreamOperatorTestHarness<Long, SummaryPartial, WindowSummary> h) {
        List<StreamRecord<ComponentInput>> out = new ArrayList<>();
        for (StreamRecord<ComponentInput> r : h.getSideOutput(SeriesWindows.COMPONENT)) {
            if (r.getValue().alert == null) {
                out.add(r);
            }
        }
        return out;
    }

    /** Equal lists, or the first line where they differ. */
    private static void same(List<String> expected, List<String> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ", line " + i);
        }
        assertEquals(expected.size(), actual.size(), what + ": how many");
    }

    private static List<String> mainOutput(KeyedOneInputStreamOperatorTestHarness<Long, SummaryPartial, WindowSummary> h) {
        return stamped(h.getOutput());
    }

    @Test
    void streamingGivesTheWindowsAndTheDetectorsBehindThem() throws Exception {
        PerfwatchConfig c = config();
        // Fresh parts for each run: a window keeps its first part's accumulator and merges the next into it.
        List<WindowSummary> summaries = expectedSummaries(parts());

        // What the job did before: the window operator's summaries into the detectors, as their own operator.
        var alone = ProcessFunctionTestHarnesses.forKeyedProcessFunction(detectors(c), WindowSummary::seriesId, Types.LONG);
        List<StreamRecord<?>> expectedSummaries = new ArrayList<>();
        long minute = -1;
        for (WindowSummary w : summaries) {
            if (w.windowEnd / MIN != minute) {
                if (minute >= 0) {
                    alone.processWatermark(new Watermark(minute * MIN - 1));
                }
                minute = w.windowEnd / MIN;
            }
            alone.processElement(new StreamRecord<>(w, w.windowEnd - 1));
            expectedSummaries.add(new StreamRecord<>(w, w.windowEnd - 1));
        }
        alone.processWatermark(new Watermark(Long.MAX_VALUE));

        var fused = harness(c, false);
        long watermark = Long.MIN_VALUE;
        for (SummaryPartial p : parts()) {
            long last = p.windowEnd - 1;
            if (last - MIN > watermark) { // the previous minute is complete: every part of it has arrived
                watermark = last - MIN;
                fused.processWatermark(new Watermark(watermark));
            }
            fused.processElement(new StreamRecord<>(p, last));
        }
        // A part of a window that has fired: late, on its side output, and no summary changes.
        SummaryPartial late = new SummaryPartial(MetricSample.seriesId("web", "cpu_usage"), "web", "cpu_usage", 10 * MIN, 11 * MIN);
        late.add(1000, ACCURACY);
        fused.processElement(new StreamRecord<>(late, 11 * MIN - 1));
        fused.processWatermark(new Watermark(Long.MAX_VALUE));

        List<String> want = stamped(expectedSummaries);
        assertEquals(summaries.size(), want.size());
        same(want, mainOutput(fused), "summaries");
        List<String> alerts = stamped(alone.getOutput());
        assertTrue(alerts.stream().anyMatch(s -> s.contains("threshold:cpu_usage")), "thresholds fired");
        assertTrue(alerts.stream().anyMatch(s -> s.contains("\"kind\":\"anomaly\"")), "anomaly scores fired");
        assertTrue(alerts.stream().anyMatch(s -> s.contains("pattern:memory-leak")), "the memory leak matched");
        assertTrue(alerts.stream().anyMatch(s -> s.contains("no data for PT30M")), "a silent series' alerts cleared");
        same(alerts, stamped(alertsOf(fused)), "alert candidates");
        List<String> patternWindows = stamped(alone.getSideOutput(SequencePreFilters.PATTERN_WINDOWS));
        assertTrue(patternWindows.stream().anyMatch(s -> s.contains(" breach ")) && patternWindows.stream().anyMatch(s -> s.contains(" crossing ")));
        same(patternWindows, stamped(fused.getSideOutput(SequencePreFilters.PATTERN_WINDOWS)), "pattern windows");
        assertEquals(List.of((11 * MIN - 1) + " " + OutputJson.toJson(late)), stamped(fused.getSideOutput(SeriesWindows.LATE)), "late part");
        same(expectedComponentInputs(c, summaries), stamped(componentInputs(fused)), "component inputs");

        // The component's profile windows from the parts are the ones the summaries themselves gave.
        Map<Long, ComponentWindow> fromSummaries = new TreeMap<>();
        ComponentProfiles.Aggregate aggregate = new ComponentProfiles.Aggregate(c.levels());
        for (WindowSummary w : summaries) {
            aggregate.add(w, fromSummaries.computeIfAbsent((w.windowEnd - 1) / PROFILE, k -> aggregate.createAccumulator()));
        }
        Map<Long, ComponentWindow> fromParts = new TreeMap<>();
        ComponentProfiles.MergeParts merge = new ComponentProfiles.MergeParts();
        for (StreamRecord<ComponentInput> r : componentInputs(fused)) {
            if (r.getValue().profile != null) {
                merge.add(r.getValue(), fromParts.computeIfAbsent(r.getTimestamp() / PROFILE, k -> merge.createAccumulator()));
            }
        }
        assertEquals(60, fromSummaries.size());
        assertEquals(profiles(fromSummaries), profiles(fromParts), "profile windows");
        assertEquals(alone.numKeyedStateEntries(), fused.numKeyedStateEntries(), "no window left open");
        fused.close();
        alone.close();
    }

    @Test
    void batchModeGivesWhatStreamingGives() throws Exception {
        PerfwatchConfig c = config();
        var streaming = harness(c, false);
        for (SummaryPartial p : parts()) {
            streaming.processElement(new StreamRecord<>(p, p.windowEnd - 1));
            streaming.processWatermark(new Watermark(p.windowStart - 1));
        }
        streaming.processWatermark(new Watermark(Long.MAX_VALUE));

        // BATCH: each series' parts sorted by time (stable: a window's two parts keep their order), series after series,
        // no watermark until the end.
        List<SummaryPartial> sorted = parts(); // fresh: a window keeps its first part's accumulator
        sorted.sort(Comparator.comparingLong((SummaryPartial p) -> p.seriesId).thenComparingLong(p -> p.windowEnd));
        var batch = harness(c, true);
        for (SummaryPartial p : sorted) {
            batch.processElement(new StreamRecord<>(p, p.windowEnd - 1));
        }
        assertTrue(batch.numEventTimeTimers() <= 2 * 3, "a window and its cleanup per series: " + batch.numEventTimeTimers());
        batch.processWatermark(new Watermark(Long.MAX_VALUE));

        List<String> summaries = mainOutput(streaming);
        assertEquals(expectedSummaries(parts()).size(), summaries.size());
        same(summaries, mainOutput(batch), "summaries");
        List<String> alerts = stamped(alertsOf(streaming));
        List<String> batchAlerts = stamped(alertsOf(batch));
        // The series silent for longer than the retention has its alerts cleared meanwhile, in BATCH mode too (its
        // anomaly scores keep what they learned: the silence is shorter than forget-after); the others' alerts clear
        // at their end.
        assertTrue(alerts.stream().anyMatch(s -> s.contains("custom_metric") && s.contains("no data for PT30M")
                && s.startsWith(String.valueOf(120 * MIN + 30 * MIN))), "the silent series forgotten 30 minutes after its last window");
        assertTrue(alerts.stream().anyMatch(s -> s.contains("cpu_usage") && s.contains("no data for PT30M")), "the last cleanup fired");
        same(alerts, batchAlerts, "alert candidates");
        same(stamped(streaming.getSideOutput(SequencePreFilters.PATTERN_WINDOWS)),
                stamped(batch.getSideOutput(SequencePreFilters.PATTERN_WINDOWS)), "pattern windows");
        same(stamped(componentInputs(streaming)), stamped(componentInputs(batch)), "component inputs");
        assertEquals(0, batch.numEventTimeTimers(), "timers left");
        streaming.close();
        batch.close();
    }
}
