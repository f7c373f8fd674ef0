package dev.perfwatch.detect;

import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.FlinkSettings;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each CEP pattern on small synthetic series, in both runtime modes. */
class AlertPatternsTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = dev.perfwatch.pipeline.TestClusters.twoSlots();

    private static final long MIN = 60_000;
    private static final PerfwatchConfig CONFIG = ConfigLoader.defaults();

    private static WindowSummary window(String component, String metric, int minute, double value) {
        WindowSummary w = new WindowSummary();
        w.component = component;
        w.metric = metric;
        w.windowStart = (minute - 1) * MIN;
        w.windowEnd = minute * MIN;
        w.count = 30;
        w.mean = w.p50 = w.p95 = w.p99 = w.min = w.max = value;
        return w;
    }

    private static List<AlertCandidate> run(List<WindowSummary> input,
            BiFunction<DataStream<WindowSummary>, PerfwatchConfig, DataStream<AlertCandidate>> pattern) throws Exception {
        List<AlertCandidate> first = null;
        for (RuntimeExecutionMode mode : new RuntimeExecutionMode[] {RuntimeExecutionMode.STREAMING, RuntimeExecutionMode.BATCH}) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forJob(CONFIG, mode));
            env.setParallelism(2);
            DataStream<WindowSummary> summaries = env.fromData(input).uid("input").name("input")
                    .assignTimestampsAndWatermarks(WatermarkStrategy.<WindowSummary>forMonotonousTimestamps()
                            .withTimestampAssigner((w, t) -> w.windowEnd - 1)).uid("timestamps").name("timestamps");
            CloseableIterator<AlertCandidate> it = pattern.apply(summaries, CONFIG).collectAsync();
            env.execute("pattern " + mode);
            List<AlertCandidate> out = new ArrayList<>();
            it.forEachRemaining(out::add);
            // by time, then series (matches of several series at one time arrive in either order)
            out.sort(java.util.Comparator.comparingLong((AlertCandidate a) -> a.eventTime).thenComparing(a -> a.component)
                    .thenComparing(a -> a.metric));
            if (first == null) {
                first = out;
            } else {
                assertEquals(first.toString(), out.toString(), "streaming and batch agree");
            }
        }
        return first;
    }

    @Test
    void flappingNeedsFourCrossingsWithinFifteenMinutes() throws Exception {
        List<WindowSummary> input = new ArrayList<>();
        double[] flapping = {50, 85, 50, 85, 50, 50, 50};
        for (int i = 0; i < flapping.length; i++) {
            input.add(window("web", "cpu_usage", i + 1, flapping[i]));
        }
        // Same crossings spread over an hour on another series: not flapping.
        int[] slowCrossings = {10, 25, 40, 55};
        for (int minute = 1; minute <= 60; minute++) {
            int crossed = 0;
            for (int c : slowCrossings) {
                if (minute >= c) {
                    crossed++;
                }
            }
            input.add(window("api", "cpu_usage", minute, crossed % 2 == 1 ? 85 : 50));
        }
        List<AlertCandidate> out = run(input, (w, c) -> FlappingPattern.apply(w, c.alerts.patterns.flapping, c.levels(), c.alerts.retention));
        assertEquals(1, out.size(), out.toString());
        assertEquals("web", out.get(0).component);
        assertEquals(MIN, out.get(0).startedAt, "first crossing in window 2");
        assertEquals(5 * MIN, out.get(0).eventTime, "fourth crossing in window 5");
    }

    @Test
    void flappingOnWindowsOfOneSampleCountsOnlySidesThatHold() throws Exception {
        List<WindowSummary> input = new ArrayList<>();
        // One sample a minute: single-sample bursts over the level, three within 12 minutes (six crossings of
        // single windows), are bursts, not the series' level going back and forth across it.
        double[] bursts = {50, 50, 85, 50, 50, 50, 50, 85, 50, 50, 50, 50, 85, 50, 50, 50};
        // A series whose level does cross it, two minutes a side: flapping.
        double[] hovering = {50, 50, 85, 85, 50, 50, 85, 85, 50, 50, 50, 50};
        for (int i = 0; i < bursts.length; i++) {
            WindowSummary w = window("web", "cpu_usage", i + 1, bursts[i]);
            w.count = 1;
            input.add(w);
        }
        for (int i = 0; i < hovering.length; i++) {
            WindowSummary w = window("api", "cpu_usage", i + 1, hovering[i]);
            w.count = 1;
            input.add(w);
        }
        // The same bursts in windows of 30 samples: each window's mean over the level is a crossing.
        for (int i = 0; i < bursts.length; i++) {
            input.add(window("search", "cpu_usage", i + 1, bursts[i]));
        }
        List<AlertCandidate> out = run(input, (w, c) -> FlappingPattern.apply(w, c.alerts.patterns.flapping, c.levels(), c.alerts.retention));
        assertEquals(List.of("api", "search"), out.stream().map(a -> a.component).sorted().toList(), out.toString());
        AlertCandidate api = out.stream().filter(a -> a.component.equals("api")).findFirst().orElseThrow();
        assertEquals(3 * MIN, api.startedAt, "first crossing: window 4, the second of two on the new side");
        assertEquals(10 * MIN, api.eventTime, "fourth crossing: window 10");
    }

    @Test
    void memoryLeakNeedsASignificantAndSteepEnoughSlope() throws Exception {
        SplittableRandom rnd = new SplittableRandom(4);
        List<WindowSummary> input = new ArrayList<>();
        for (int minute = 1; minute <= 40; minute++) {
            input.add(window("flat", "memory_usage", minute, 60 + 0.3 * rnd.nextGaussian()));
            input.add(window("creep", "memory_usage", minute, 60 + 0.02 * minute + 0.05 * rnd.nextGaussian())); // 1.2 points/h
            input.add(window("leak", "memory_usage", minute, 40 + 0.5 * minute + 0.3 * rnd.nextGaussian()));  // 30 points/h
        }
        List<AlertCandidate> out = run(input, (w, c) -> MemoryLeakPattern.apply(w, c.alerts.patterns.memoryLeak, c.levels()));
        assertTrue(!out.isEmpty(), "the leak is found");
        for (AlertCandidate a : out) {
            assertEquals("leak", a.component, "a flat series and a slow creep below min-slope-per-hour are not leaks: " + a);
        }
        assertEquals(10 * MIN, out.get(0).eventTime, "found after the first 10 windows");
        assertEquals(4, out.size(), "one match per run of 10 windows");
    }

    /**
     * One sample a minute: each window's mean is one value, and a trend over 10 of them is tested 1,440 times a
     * series-day. Six series of three days with noise of 1 point and a daily cycle of 5 points, no leak: no
     * match with the default alpha (at 0.001, the old default: 9 matches in 18 series-days, by chance).
     */
    @Test
    void noLeakOnUntrendedSeriesSampledOnceAMinute() throws Exception {
        List<WindowSummary> input = new ArrayList<>();
        for (int series = 0; series < 6; series++) {
            SplittableRandom rnd = new SplittableRandom(100 + series);
            double phase = rnd.nextDouble() * 2 * Math.PI;
            for (int minute = 1; minute <= 3 * 1440; minute++) {
                double cycle = 5 * Math.sin(2 * Math.PI * minute / 1440.0 + phase);
                WindowSummary w = window("svc-" + series, "memory_usage", minute, 60 + cycle + rnd.nextGaussian());
                w.count = 1;
                input.add(w);
            }
        }
        List<AlertCandidate> out = run(input, (w, c) -> MemoryLeakPattern.apply(w, c.alerts.patterns.memoryLeak, c.levels()));
        assertEquals(List.of(), out);
    }

    /**
     * A GC sawtooth (the heap filling for 90 minutes at 12 points an hour, then collected) rises as steeply as a
     * leak for an hour at a time: it is not a leak once the series has a tooth behind it, as long as each tooth
     * stays within the range the series held and came back from. The same sawtooth whose peaks rise 1.5 points a
     * tooth is one (found in the last minutes of most teeth); so is one that climbs past its warning level (85) each time before it drops (a process
     * restarted as it runs out of memory). Two days, each series its own noise.
     */
    @Test
    void aSawtoothIsNotALeakUnlessItsPeaksRiseOrReachTheWarningLevel() throws Exception {
        List<WindowSummary> input = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            SplittableRandom rnd = new SplittableRandom(200 + s);
            for (int minute = 1; minute <= 2 * 1440; minute++) {
                int tooth = (minute - 1) / 90;
                double x = ((minute - 1) % 90) / 90.0;
                input.add(one(window("gc-" + s, "memory_usage", minute, 50 + 18 * x + 0.3 * rnd.nextGaussian())));
                input.add(one(window("gc-leak-" + s, "memory_usage", minute, 20 + 18 * x + 1.5 * tooth + 0.15 * rnd.nextGaussian())));
                input.add(one(window("oom-" + s, "memory_usage", minute, 60 + 30 * x + 0.3 * rnd.nextGaussian())));
            }
        }
        List<AlertCandidate> out = run(input, (w, c) -> MemoryLeakPattern.apply(w, c.alerts.patterns.memoryLeak, c.levels()));
        Map<String, List<Long>> minutes = new TreeMap<>();
        for (AlertCandidate a : out) {
            minutes.computeIfAbsent(a.component, k -> new ArrayList<>()).add(a.eventTime / MIN);
        }
        for (int s = 0; s < 4; s++) {
            List<Long> gc = minutes.getOrDefault("gc-" + s, List.of());
            assertTrue(gc.stream().allMatch(m -> m <= 90), "gc-" + s + ": only the first tooth, with no history, may match: " + gc);
            // a tooth's top passes the last one's by 1.5 points, the highest of a day's noise by about 1: its last minutes
            long leaking = teethOfDayTwo(minutes.get("gc-leak-" + s));
            assertTrue(leaking >= 14, "gc-leak-" + s + ": teeth of day 2 matched: " + leaking + " of 16");
            assertEquals(16, teethOfDayTwo(minutes.get("oom-" + s)), "oom-" + s + ": the teeth of day 2 matched");
        }
    }

    private static long teethOfDayTwo(List<Long> matchMinutes) {
        return matchMinutes == null ? 0 : matchMinutes.stream().filter(m -> m > 1440).map(m -> (m - 1) / 90).distinct().count();
    }

    private static WindowSummary one(WindowSummary w) {
        w.count = 1;
        return w;
    }

    @Test
    void correlatedSaturationNeedsTheCauseFirstOnTheSameComponent() throws Exception {
        List<WindowSummary> input = new ArrayList<>();
        input.add(window("web", "cpu_usage", 1, 90));
        input.add(window("web", "response_time", 3, 900));
        input.add(window("api", "response_time", 1, 900));   // effect before the cause
        input.add(window("api", "cpu_usage", 2, 90));
        input.add(window("db", "cpu_usage", 1, 90));
        input.add(window("db", "response_time", 20, 900));    // too late (within 5m)
        input.add(window("search", "response_time", 2, 900)); // another component's cause does not count
        List<AlertCandidate> out = run(input, (w, c) -> CorrelatedSaturationPattern.apply(w, c.alerts.patterns.correlatedSaturation, c.levels()));
        assertEquals(1, out.size(), out.toString());
        assertEquals("web", out.get(0).component);
        assertEquals("response_time", out.get(0).metric);
    }

    @Test
    void queueBacklogNeedsBothTheQueueAndProcessingTimeRising() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        List<WindowSummary> input = new ArrayList<>();
        for (int minute = 1; minute <= 12; minute++) {
            input.add(window("backlog", "queue_depth", minute, 20 + 50 * minute + rnd.nextGaussian()));
            input.add(window("backlog", "document_processing_time", minute, 800 + 40 * minute + 5 * rnd.nextGaussian()));
            input.add(window("busy", "queue_depth", minute, 20 + 50 * minute + rnd.nextGaussian()));
            input.add(window("busy", "document_processing_time", minute, 800 + 5 * rnd.nextGaussian()));
        }
        List<AlertCandidate> out = run(input, (w, c) -> QueueBacklogPattern.apply(w, c.alerts.patterns.queueBacklog));
        assertEquals(1, out.size(), out.toString());
        assertEquals("backlog", out.get(0).component);
        assertEquals("document_processing_time", out.get(0).evidence.text("processing_metric"), out.get(0).evidence.toString());
    }

    /**
     * Memory leak on series that rise, stall and rise again with noise, against a reference written
     * here: K windows since the last match whose means' least-squares slope (commons-math's
     * SimpleRegression) is at least min-slope-per-hour with a two-sided p below alpha, the fit's value at
     * the newest window less two of its standard errors, and the newest mean, above every mean before the K
     * windows (from the day before their first's hour) by more than the fit rises in one window.
     */
    @Test
    void memoryLeakMatchesAReferenceScanOfTheLastKWindows() throws Exception {
        AlertsConfig.MemoryLeak c = CONFIG.alerts.patterns.memoryLeak;
        List<WindowSummary> input = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            SplittableRandom rnd = new SplittableRandom(100 + s);
            String component = "host-" + s;
            List<double[]> seen = new ArrayList<>(); // {hours since start of the window, mean}
            int fresh = 0;
            double level = 50;
            for (int minute = 1; minute <= 120; minute++) {
                boolean rising = (minute / (15 + 5 * s)) % 2 == 0;
                level += rising ? 0.05 + 0.05 * s : 0;
                double mean = level + (0.05 + 0.05 * s) * rnd.nextGaussian();
                input.add(window(component, c.metric, minute, mean));
                seen.add(new double[] {(minute - 1) / 60.0, mean});
                fresh++;
                if (fresh >= c.windows) {
                    SimpleRegression reg = new SimpleRegression();
                    List<double[]> last = seen.subList(seen.size() - c.windows, seen.size());
                    for (double[] p : last) {
                        reg.addData(p[0] - last.get(0)[0], p[1]);
                    }
                    // the highest mean before the K windows' first, from the day before its hour (all below the warning level 85)
                    double ringStart = last.get(0)[0];
                    int firstHour = (int) Math.floor(ringStart);
                    double held = seen.stream().filter(p -> p[0] < ringStart && Math.floor(p[0]) >= firstHour - 24)
                            .mapToDouble(p -> p[1]).max().orElse(Double.NaN);
                    double x = last.get(last.size() - 1)[0] - last.get(0)[0];
                    double meanX = x / 2; // equally spaced
                    double se = Math.sqrt(reg.getMeanSquareError() * (1.0 / last.size() + (x - meanX) * (x - meanX) / reg.getXSumSquares()));
                    boolean ownRange = held >= Math.min(mean, reg.predict(x) - 2 * se) - reg.getSlope() / 60; // the rise of one 1-minute window
                    if (reg.getSlope() >= c.minSlopePerHour && reg.getSignificance() < c.alpha && !ownRange) {
                        expected.add(s * 1_000_000L + minute);
                        fresh = 0;
                    }
                }
            }
        }
        List<AlertCandidate> out = run(input, (w, cfg) -> MemoryLeakPattern.apply(w, cfg.alerts.patterns.memoryLeak, cfg.levels()));
        List<Long> found = new ArrayList<>();
        for (AlertCandidate a : out) {
            found.add(Long.parseLong(a.component.substring("host-".length())) * 1_000_000L + a.eventTime / MIN);
        }
        java.util.Collections.sort(found);
        assertTrue(expected.size() >= 10, "the series give the pattern work: " + expected);
        assertEquals(expected, found);
        List<dev.perfwatch.model.Evidence.WindowPoint> windows = out.get(0).evidence.items.stream()
                .filter(i -> i.name.equals("windows")).findFirst().orElseThrow().windows;
        assertEquals(c.windows, windows.size(), "the K windows are the evidence");
        assertEquals(out.get(0).startedAt, windows.get(0).windowStart);
    }

    /**
     * A component reporting the queue and two processing metrics: the one that rises with the queue is
     * named; K rising windows of each make a match, and the next needs K new ones.
     */
    @Test
    void queueBacklogWithSeveralProcessingMetricsOnOneComponent() throws Exception {
        AlertsConfig.QueueBacklog c = CONFIG.alerts.patterns.queueBacklog;
        SplittableRandom rnd = new SplittableRandom(6);
        List<WindowSummary> input = new ArrayList<>();
        int minutes = 3 * c.windows + 2;
        for (int minute = 1; minute <= minutes; minute++) {
            input.add(window("indexer", "queue_depth", minute, 20 + 50 * minute + rnd.nextGaussian()));
            input.add(window("indexer", "response_time", minute, 120 + 3 * rnd.nextGaussian()));
            input.add(window("indexer", "document_processing_time", minute, 800 + 40 * minute + 5 * rnd.nextGaussian()));
        }
        List<AlertCandidate> out = run(input, (w, cfg) -> QueueBacklogPattern.apply(w, cfg.alerts.patterns.queueBacklog));
        assertEquals(3, out.size(), out.toString());
        for (int i = 0; i < out.size(); i++) {
            assertEquals("document_processing_time", out.get(i).evidence.text("processing_metric"), out.get(i).evidence.toString());
            assertEquals((i + 1) * c.windows * MIN, out.get(i).eventTime, "a match every K windows");
            assertEquals(i * c.windows * MIN, out.get(i).startedAt, "over the K windows since the last match");
        }
    }

    /**
     * Consecutive breaches on series whose windows breach in runs of every length, broken by single quiet
     * windows, against a reference scan: N breaching windows in a row since the last match or quiet window.
     * (within is set wider than N windows, so only the quiet window, not the time limit, ends a run.)
     */
    @Test
    void consecutiveBreachesMatchAReferenceScanOfRuns() throws Exception {
        AlertsConfig.ConsecutiveBreaches c = CONFIG.alerts.patterns.consecutiveBreaches;
        double warning = CONFIG.levels().of("web", "cpu_usage").warning;
        List<WindowSummary> input = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            SplittableRandom rnd = new SplittableRandom(200 + s);
            int run = 0;
            for (int minute = 1; minute <= 90; minute++) {
                boolean breach = rnd.nextDouble() < 0.6 + 0.1 * s;
                input.add(window("web-" + s, "cpu_usage", minute, breach ? warning + 5 : warning - 30));
                run = breach ? run + 1 : 0;
                if (run == c.count) {
                    expected.add(s * 1_000L + minute);
                    run = 0;
                }
            }
        }
        PerfwatchConfig wide = ConfigLoader.load(null, List.of("alerts.patterns.consecutive-breaches.within=30m"));
        List<AlertCandidate> out = run(input, (w, cfg) -> ConsecutiveBreachesPattern.apply(w, wide.alerts.patterns.consecutiveBreaches, wide.levels(),
                wide.alerts.retention));
        List<Long> found = new ArrayList<>();
        for (AlertCandidate a : out) {
            found.add(Long.parseLong(a.component.substring("web-".length())) * 1_000L + a.eventTime / MIN);
        }
        java.util.Collections.sort(found);
        assertTrue(expected.size() >= 20, "the series give the pattern work: " + expected);
        assertEquals(expected, found);
    }

    @Test
    void noPatternEnabledIsNoPattern() {
        dev.perfwatch.config.PerfwatchConfig c = ConfigLoader.load(null, List.of("alerts.patterns.consecutive-breaches.enabled=false",
                "alerts.patterns.correlated-saturation.enabled=false", "alerts.patterns.memory-leak.enabled=false",
                "alerts.patterns.queue-backlog.enabled=false", "alerts.patterns.flapping.enabled=false"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(c, RuntimeExecutionMode.STREAMING));
        DataStream<WindowSummary> summaries = env.fromData(window("web", "cpu_usage", 1, 90)).uid("input").name("input");
        assertTrue(AlertPatterns.all(summaries, c.alerts.patterns, c.levels(), c.alerts.retention).isEmpty());
        dev.perfwatch.pipeline.Sinks.discard(dev.perfwatch.pipeline.TestPipelines.build(env, c,
                dev.perfwatch.pipeline.TestPipelines.generator(c, dev.perfwatch.demo.DemoGenerator.standard(1))));
        env.getStreamGraph().getJobGraph();
    }
}
