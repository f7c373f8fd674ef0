package dev.perfwatch.detect;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.demo.Scenario;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.BottleneckReport;
import dev.perfwatch.model.BottleneckStatus;
import dev.perfwatch.model.BottleneckType;
import dev.perfwatch.model.HealthScore;
import dev.perfwatch.model.SuggestionReport;
import dev.perfwatch.model.ChangeDirection;
import dev.perfwatch.model.OutputJson;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.model.Timestamps;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.OutputKind;
import dev.perfwatch.pipeline.Outputs;
import dev.perfwatch.pipeline.Sinks;
import dev.perfwatch.pipeline.TestPipelines;
import dev.perfwatch.sql.SqlRunner;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import dev.perfwatch.model.AlertEvent;
import dev.perfwatch.model.Notification;

import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The alert detectors on the demo's two hours: every injected scenario found in time, clean series quiet. */
class DetectionPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = dev.perfwatch.pipeline.TestClusters.twoSlots();

    static final DemoGenerator DEMO = DemoGenerator.standard(42);
    static final long MINUTE = 60_000;
    static List<AlertCandidate> streaming;
    static List<AlertCandidate> batch;
    static final java.util.Map<RuntimeExecutionMode, List<RegressionFinding>> REGRESSIONS = new java.util.HashMap<>();
    static final java.util.Map<RuntimeExecutionMode, List<BottleneckReport>> BOTTLENECKS = new java.util.HashMap<>();
    static final java.util.Map<RuntimeExecutionMode, List<HealthScore>> HEALTH = new java.util.HashMap<>();
    static final java.util.Map<RuntimeExecutionMode, List<SuggestionReport>> SUGGESTIONS = new java.util.HashMap<>();
    static final java.util.Map<RuntimeExecutionMode, List<AlertEvent>> EVENTS = new java.util.HashMap<>();
    static final java.util.Map<RuntimeExecutionMode, List<Notification>> NOTIFICATIONS = new java.util.HashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void run() throws Exception {
        streaming = run(RuntimeExecutionMode.STREAMING, dir.resolve("streaming"));
        batch = run(RuntimeExecutionMode.BATCH, dir.resolve("batch"));
    }

    static List<AlertCandidate> run(RuntimeExecutionMode mode, Path out) throws Exception {
        PerfwatchConfig config = ConfigLoader.load(null, List.of("output.checkpoint-interval=500ms", "regression.min-baseline=30m"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forJob(config, mode));
        env.setParallelism(2);
        Outputs outputs = TestPipelines.build(env, config, TestPipelines.generator(config, DEMO));
        Sinks.toFiles(outputs, out.toString(), mode);
        CloseableIterator<AlertCandidate> alerts = outputs.get(OutputKind.ALERTS).collectAsync();
        CloseableIterator<RegressionFinding> regressions = outputs.get(OutputKind.REGRESSIONS).collectAsync();
        CloseableIterator<BottleneckReport> bottlenecks = outputs.get(OutputKind.BOTTLENECKS).collectAsync();
        CloseableIterator<HealthScore> health = outputs.get(OutputKind.HEALTH).collectAsync();
        CloseableIterator<SuggestionReport> suggestions = outputs.get(OutputKind.SUGGESTIONS).collectAsync();
        CloseableIterator<AlertEvent> events = outputs.get(OutputKind.ALERT_EVENTS).collectAsync();
        CloseableIterator<Notification> notifications = outputs.get(OutputKind.NOTIFICATIONS).collectAsync();
        env.execute("detection " + mode);
        EVENTS.put(mode, new ArrayList<>());
        events.forEachRemaining(EVENTS.get(mode)::add);
        NOTIFICATIONS.put(mode, new ArrayList<>());
        notifications.forEachRemaining(NOTIFICATIONS.get(mode)::add);
        BOTTLENECKS.put(mode, new ArrayList<>());
        bottlenecks.forEachRemaining(BOTTLENECKS.get(mode)::add);
        HEALTH.put(mode, new ArrayList<>());
        health.forEachRemaining(HEALTH.get(mode)::add);
        SUGGESTIONS.put(mode, new ArrayList<>());
        suggestions.forEachRemaining(SUGGESTIONS.get(mode)::add);
        List<AlertCandidate> list = new ArrayList<>();
        alerts.forEachRemaining(list::add);
        List<RegressionFinding> findings = new ArrayList<>();
        regressions.forEachRemaining(findings::add);
        REGRESSIONS.put(mode, findings);
        return list;
    }

    private static Scenario scenario(String name) {
        return DEMO.scenarios().stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }

    /** The first firing candidate of the rule on the scenario's series, within maxDelay of its start. */
    private static void found(String scenarioName, String rulePrefix, long maxDelayMinutes) {
        found(scenarioName, rulePrefix, null, maxDelayMinutes);
    }

    private static void found(String scenarioName, String rulePrefix, String metric, long maxDelayMinutes) {
        Scenario s = scenario(scenarioName);
        String m = metric == null ? s.metric : metric;
        AlertCandidate first = null;
        for (AlertCandidate a : streaming) {
            if (a.status == AlertStatus.FIRING && a.rule.startsWith(rulePrefix) && a.component.equals(s.component)
                    && a.metric.equals(m) && a.eventTime >= s.startMillis && (first == null || a.eventTime < first.eventTime)) {
                first = a;
            }
        }
        if (first == null) {
            fail(scenarioName + ": no " + rulePrefix + " alert on " + s.component + "/" + m);
        }
        long delay = (first.eventTime - s.startMillis) / MINUTE;
        assertTrue(delay <= maxDelayMinutes, scenarioName + ": " + rulePrefix + " after " + delay + " min, expected within "
                + maxDelayMinutes + ": " + first);
    }

    @Test
    void everyScenarioRaisesTheRightKindOfAlertInTime() {
        found("cpu-spike-1", "threshold:cpu_usage:warning", 3);
        found("cpu-spike-2", "threshold:cpu_usage:warning", 3);
        found("cpu-spike-1", "anomaly:", 2);
        found("cpu-spike-1-latency", "pattern:correlated-saturation", 3);
        found("cpu-spike-2-latency", "pattern:correlated-saturation", 3);
        found("memory-leak", "pattern:memory-leak", 15);
        found("slow-database-queries", "anomaly:robust-z", 3);
        found("queue-backlog", "pattern:queue-backlog", 20);
        found("queue-backlog", "threshold:queue_depth:warning", 25);
        found("queue-backlog-processing", "anomaly:", 15);
        found("cache-hit-rate-drop", "threshold:cache_hit_rate:critical", 4);
        found("cache-hit-rate-drop", "anomaly:", 3);
        found("cache-hit-rate-drop", "pattern:consecutive-breaches", 5);
        // Forecasts: the leak and the backlog are predicted to reach their critical levels.
        found("memory-leak", "forecast:memory_usage:critical", 65);
        found("queue-backlog", "forecast:queue_depth:critical", 45);
        // A ramp to 2.5x over 78 minutes: its p95 crosses 500 ms about an hour in (regressions catch it sooner).
        found("response-time-degradation", "threshold:response_time:warning", 65);
    }

    @Test
    void cleanSeriesRaiseNothing() {
        Set<String> scenarioSeries = new HashSet<>();
        DEMO.scenarios().forEach(s -> scenarioSeries.add(s.component + "/" + s.metric));
        Set<String> noisy = new TreeSet<>();
        for (AlertCandidate a : streaming) {
            if (!scenarioSeries.contains(a.component + "/" + a.metric)) {
                noisy.add(a.toString());
            }
        }
        assertTrue(noisy.isEmpty(), "alerts on series without a scenario: " + noisy);
        assertTrue(streaming.size() > 20);
    }

    @Test
    void firingAndClearedComeInPairsWithEvidence() {
        for (AlertCandidate a : streaming) {
            assertEquals(AlertCandidate.fingerprint(a.rule, a.component, a.metric), a.alertId);
            assertTrue(!a.evidence.items.isEmpty() && OutputJson.toJson(a.evidence).startsWith("{"), a.toString());
            assertTrue(a.startedAt <= a.eventTime, a.toString());
        }
        for (AlertCandidate a : streaming) {
            if (a.rule.startsWith("forecast:")) {
                assertEquals(dev.perfwatch.model.AlertKind.FORECAST, a.kind, a.toString());
                assertEquals(dev.perfwatch.model.Severity.CRITICAL, a.severity, "the severity of the level forecast: " + a);
            }
        }
        long thresholdFiring = streaming.stream().filter(a -> a.rule.startsWith("threshold:") && a.status == AlertStatus.FIRING).count();
        long thresholdCleared = streaming.stream().filter(a -> a.rule.startsWith("threshold:") && a.status == AlertStatus.CLEARED).count();
        assertEquals(thresholdFiring, thresholdCleared, "every threshold alert clears (at the latest when the data ends)");
    }

    @Test
    void streamingAndBatchGiveTheSameAlerts() {
        List<String> s = canonical(streaming);
        List<String> b = canonical(batch);
        List<String> onlyStreaming = new ArrayList<>(s);
        onlyStreaming.removeAll(b);
        List<String> onlyBatch = new ArrayList<>(b);
        onlyBatch.removeAll(s);
        assertTrue(onlyStreaming.isEmpty() && onlyBatch.isEmpty(),
                "only in streaming: " + onlyStreaming + "\nonly in batch: " + onlyBatch);
        assertEquals(s, b);
    }

    @Test
    void regressionsFoundOnTheDegradedSeriesWithTheirTypeAndNowhereElse() {
        List<RegressionFinding> findings = REGRESSIONS.get(RuntimeExecutionMode.STREAMING);
        Map<String, String> expected = new java.util.TreeMap<>(Map.of(
                "api/response_time", "gradual",
                "api/database_query_time", "gradual",
                "database/database_query_time", "sudden",
                "cache/cache_hit_rate", "sudden",
                "document-processor/memory_usage", "gradual",
                "document-processor/queue_depth", "gradual",
                "document-processor/document_processing_time", "gradual",
                "web/cpu_usage", "anomaly"));
        // Updates repeat a finding_id; the last version counts. One episode, so one id, per series.
        Map<String, RegressionFinding> latest = new java.util.LinkedHashMap<>();
        Map<String, String> ids = new java.util.HashMap<>();
        for (RegressionFinding f : findings) {
            assertEquals(ChangeDirection.REGRESSION, f.direction, f.toString());
            String previous = ids.put(f.component + "/" + f.metric, f.findingId);
            assertTrue(previous == null || previous.equals(f.findingId), "one episode per series: " + f);
            latest.put(f.findingId, f);
        }
        Map<String, String> actual = new java.util.TreeMap<>();
        latest.values().forEach(f -> actual.put(f.component + "/" + f.metric, f.type.code()));
        assertEquals(expected, actual);
        for (RegressionFinding f : latest.values()) {
            Scenario s = DEMO.scenarios().stream().filter(x -> (x.component + "/" + x.metric).equals(f.component + "/" + f.metric))
                    .findFirst().orElseThrow();
            assertTrue(Math.abs(f.changePointAt - s.startMillis) <= 10 * MINUTE, "dated near the scenario's start: " + f);
            assertTrue(f.welch.pValue < f.alphaCorrected && f.mannWhitney.pValue < f.alphaCorrected, f.toString());
            assertTrue(f.recommendation.length() > 20 && f.confidence > 0 && f.confidence <= 1, f.toString());
        }
        List<String> s = new ArrayList<>();
        REGRESSIONS.get(RuntimeExecutionMode.STREAMING).forEach(f -> s.add(OutputJson.toJson(f)));
        List<String> b = new ArrayList<>();
        REGRESSIONS.get(RuntimeExecutionMode.BATCH).forEach(f -> b.add(OutputJson.toJson(f)));
        s.sort(null);
        b.sort(null);
        assertEquals(s, b, "the same findings in streaming and batch");
    }

    static List<String> canonical(List<AlertCandidate> alerts) {
        List<String> out = new ArrayList<>();
        alerts.forEach(a -> out.add(OutputJson.toJson(a)));
        out.sort(null);
        return out;
    }

    @Test
    void theSqlFormOfConsecutiveBreachesFindsTheSameMatchesAsCep() throws Exception {
        SqlRunner runner = new SqlRunner(true, ConfigLoader.defaults(), Map.of("output", dir.resolve("streaming").toString(),
                "input", dir.toString(), "kafka", "127.0.0.1:1", "kafka_bounded", "latest-offset"));
        Path repo = Path.of(System.getProperty("perfwatch.repo", "..")).toAbsolutePath().normalize();
        runner.run("utc", "SET 'table.local-time-zone' = 'UTC';");
        runner.run("sql/tables.sql", Files.readString(repo.resolve("sql/tables.sql")));
        Set<String> sql = new TreeSet<>();
        for (Row r : runner.collect("consecutive_breaches.sql", Files.readString(repo.resolve("sql/queries/consecutive_breaches.sql")))) {
            sql.add(r.getField("component") + "/" + r.getField("metric") + " " + Timestamps.iso(((Instant) r.getField("first_breach")).toEpochMilli())
                    + " .. " + Timestamps.iso(((Instant) r.getField("last_breach")).toEpochMilli()));
        }
        Set<String> cep = new TreeSet<>();
        for (AlertCandidate a : streaming) {
            if (a.rule.equals("pattern:consecutive-breaches")) {
                cep.add(a.component + "/" + a.metric + " " + Timestamps.iso(a.startedAt) + " .. " + Timestamps.iso(a.eventTime - MINUTE));
            }
        }
        assertFalse(cep.isEmpty());
        assertEquals(cep, sql);
    }


    /** Each scenario's component: the bottleneck types it must show, and nothing else. */
    private static final Map<String, java.util.Set<BottleneckType>> EXPECTED_BOTTLENECKS = Map.of(
            "web", java.util.Set.of(BottleneckType.CPU_BOUND),
            "api", java.util.Set.of(BottleneckType.DATABASE),
            "database", java.util.Set.of(BottleneckType.DATABASE),
            "cache", java.util.Set.of(BottleneckType.RESOURCE_EXHAUSTION),
            "document-processor", java.util.Set.of(BottleneckType.MEMORY_BOUND, BottleneckType.QUEUE_BACKLOG, BottleneckType.RESOURCE_EXHAUSTION));
    /** Each scenario's component: a suggestion category that must be among its suggestions. */
    private static final Map<String, java.util.Set<String>> EXPECTED_CATEGORIES = Map.of(
            "web", java.util.Set.of("cpu"), "api", java.util.Set.of("database"), "database", java.util.Set.of("database"),
            "cache", java.util.Set.of("caching"), "document-processor", java.util.Set.of("memory", "configuration"));

    @Test
    void everyScenarioGetsItsBottleneckAndRelevantSuggestionsAndHealthyComponentsStayQuiet() {
        List<BottleneckReport> reports = BOTTLENECKS.get(RuntimeExecutionMode.STREAMING);
        Map<String, java.util.Set<BottleneckType>> opened = new java.util.TreeMap<>();
        for (BottleneckReport r : reports) {
            if (r.status == BottleneckStatus.OPEN) {
                opened.computeIfAbsent(r.component, k -> new java.util.TreeSet<>()).add(r.type);
                Scenario first = DEMO.scenarios().stream().filter(s -> s.component.equals(r.component)).findFirst().orElseThrow(
                        () -> new AssertionError("a bottleneck on a component without a scenario: " + r));
                assertTrue(r.windowStart + 5 * MINUTE > first.startMillis, "not before its scenario started: " + r);
                assertTrue(r.rootCause.matches(".*\\d.*") && r.severity > 0 && r.severity <= 1 && r.confidence > 0 && r.confidence <= 1, r.toString());
                assertFalse(r.suggestions.isEmpty(), "a bottleneck comes with suggestions: " + r);
            }
        }
        assertEquals(EXPECTED_BOTTLENECKS, opened);
        for (String component : EXPECTED_BOTTLENECKS.keySet()) {
            for (BottleneckType type : EXPECTED_BOTTLENECKS.get(component)) {
                assertTrue(reports.stream().anyMatch(r -> r.component.equals(component) && r.type == type && r.status == BottleneckStatus.RESOLVED),
                        component + " " + type + " is resolved, at the latest when the data ends");
            }
        }
        Map<String, java.util.Set<String>> categories = new java.util.TreeMap<>();
        for (SuggestionReport s : SUGGESTIONS.get(RuntimeExecutionMode.STREAMING)) {
            categories.computeIfAbsent(s.component, k -> new java.util.TreeSet<>()).add(s.category);
            assertTrue(s.rank >= 1 && s.priority > 0 && !s.reasons.isEmpty(), s.toString());
        }
        for (Map.Entry<String, java.util.Set<String>> e : EXPECTED_CATEGORIES.entrySet()) {
            assertTrue(categories.getOrDefault(e.getKey(), java.util.Set.of()).containsAll(e.getValue()),
                    e.getKey() + " gets " + e.getValue() + " suggestions: " + categories.get(e.getKey()));
        }
        for (String quiet : new String[] {"search", "auth"}) {
            assertFalse(opened.containsKey(quiet), quiet + " has no bottleneck");
            assertFalse(categories.containsKey(quiet), quiet + " gets no suggestion");
        }
    }

    @Test
    void healthBreakdownsSumToWhatWasLostAndTheSystemHasAScoreEveryWindow() {
        List<HealthScore> health = HEALTH.get(RuntimeExecutionMode.STREAMING);
        java.util.Map<Long, Integer> systemPerWindow = new java.util.TreeMap<>();
        java.util.Map<String, Double> lowest = new java.util.TreeMap<>();
        for (HealthScore h : health) {
            double lost = 0;
            for (HealthScore.Penalty p : h.breakdown) {
                lost += p.points;
                assertTrue(p.points > 0 && p.detail != null, h.toString());
            }
            assertEquals(100 - h.score, lost, 1e-9, "breakdown of " + h);
            assertTrue(h.score >= 0 && h.score <= 100);
            if (h.component.equals(HealthScore.SYSTEM)) {
                systemPerWindow.merge(h.windowStart, 1, Integer::sum);
            }
            lowest.merge(h.component, h.score, Math::min);
        }
        assertEquals(24, systemPerWindow.size(), "two hours of 5-minute windows");
        assertTrue(systemPerWindow.values().stream().allMatch(n -> n == 1));
        assertEquals(100.0, lowest.get("search"), "healthy by design");
        assertEquals(100.0, lowest.get("auth"), "healthy by design");
        for (String sick : EXPECTED_BOTTLENECKS.keySet()) {
            assertTrue(lowest.get(sick) < 90, sick + " loses points: " + lowest.get(sick));
        }
    }

    @Test
    void streamingAndBatchGiveTheSameBottlenecksHealthAndSuggestions() {
        for (java.util.Map<RuntimeExecutionMode, ? extends List<?>> output : List.of(BOTTLENECKS, HEALTH, SUGGESTIONS)) {
            List<String> s = new ArrayList<>();
            output.get(RuntimeExecutionMode.STREAMING).forEach(r -> s.add(OutputJson.toJson(r)));
            List<String> b = new ArrayList<>();
            output.get(RuntimeExecutionMode.BATCH).forEach(r -> b.add(OutputJson.toJson(r)));
            s.sort(null);
            b.sort(null);
            assertEquals(s, b);
        }
    }

    @Test
    void streamingAndBatchGiveTheSameAlertEventsAndNotifications() {
        for (java.util.Map<RuntimeExecutionMode, ? extends List<?>> output : List.of(EVENTS, NOTIFICATIONS)) {
            List<String> s = new ArrayList<>();
            output.get(RuntimeExecutionMode.STREAMING).forEach(r -> s.add(OutputJson.toJson(r)));
            List<String> b = new ArrayList<>();
            output.get(RuntimeExecutionMode.BATCH).forEach(r -> b.add(OutputJson.toJson(r)));
            s.sort(null);
            b.sort(null);
            assertFalse(s.isEmpty());
            assertEquals(s, b);
        }
    }

    /** The demo's incidents: per component, its scenarios merged when they overlap or follow within 10 minutes. */
    static List<long[]> incidents(String component) {
        List<long[]> out = new ArrayList<>();
        DEMO.scenarios().stream().filter(s -> s.component.equals(component)).sorted((a, b) -> Long.compare(a.startMillis, b.startMillis))
                .forEach(s -> {
                    long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
                    long end = Math.min(s.endMillis, DEMO.endMillis()); // open-ended scenarios last until the data ends
                    if (last != null && s.startMillis <= last[1] + 10 * MINUTE) {
                        last[1] = Math.max(last[1], end);
                    } else {
                        out.add(new long[] {s.startMillis, end});
                    }
                });
        return out;
    }

    @Test
    void everyIncidentIsOneNotificationWhenItStartsAndOneWhenItEndsAndFarFewerThanCandidates() {
        List<Notification> all = NOTIFICATIONS.get(RuntimeExecutionMode.STREAMING);
        long dataEnd = DEMO.endMillis();
        Set<String> components = new TreeSet<>();
        DEMO.scenarios().forEach(s -> components.add(s.component));
        int resolvedIncidents = 0;
        for (String component : components) {
            List<Notification> mine = all.stream().filter(n -> n.groupKey.equals("component=" + component))
                    .sorted((a, b) -> Long.compare(a.sentAt, b.sentAt)).toList();
            List<long[]> incidents = incidents(component);
            List<Notification> starts = mine.stream().filter(n -> n.reason.equals("new")).toList();
            assertEquals(incidents.size(), starts.size(), component + ": one first message per incident: " + mine);
            for (int i = 0; i < incidents.size(); i++) {
                long[] incident = incidents.get(i);
                Notification start = starts.get(i);
                assertTrue(start.sentAt >= incident[0] && start.sentAt <= incident[0] + 20 * MINUTE,
                        component + ": the incident from " + Timestamps.iso(incident[0]) + " is told within 20 min: " + start);
                assertEquals("firing", start.status);
                long next = i + 1 < incidents.size() ? incidents.get(i + 1)[0] : Long.MAX_VALUE;
                List<Notification> ends = mine.stream().filter(n -> n.reason.equals("resolved") && n.sentAt > start.sentAt && n.sentAt < next).toList();
                if (incident[1] < dataEnd) {
                    // it ended within the data: one message says so, within 40 min (the detectors' own hysteresis, then close-after)
                    assertEquals(1, ends.size(), component + ": one resolved message for the incident ending " + Timestamps.iso(incident[1]) + ": " + mine);
                    assertTrue(ends.get(0).sentAt > incident[1] && ends.get(0).sentAt <= incident[1] + 40 * MINUTE, ends.get(0).toString());
                    assertEquals("resolved", ends.get(0).status);
                    assertTrue(ends.get(0).alerts.stream().noneMatch(a -> a.state == dev.perfwatch.model.LifecycleState.FIRING
                            && a.severity != dev.perfwatch.model.Severity.INFO), ends.get(0).toString());
                    resolvedIncidents++;
                } else {
                    assertTrue(ends.stream().noneMatch(n -> n.sentAt <= dataEnd), component + ": still going when the data ends: " + ends);
                }
            }
        }
        assertEquals(2, resolvedIncidents, "the two CPU spikes end within the data");
        for (String quiet : List.of("search", "auth")) {
            assertTrue(all.stream().noneMatch(n -> n.groupKey.contains(quiet)), quiet + " stays quiet");
        }
        assertTrue(all.stream().allMatch(n -> n.sentAt >= DEMO.scenarios().stream().mapToLong(s -> s.startMillis).min().orElseThrow()));
        assertTrue(5 * all.size() <= streaming.size(), all.size() + " notifications for " + streaming.size() + " alert candidates");
        // every row is accounted for: no channel is configured here
        assertTrue(all.stream().allMatch(n -> n.channel.equals("none") && n.delivery.equals("not_configured")));
    }

    @Test
    void consecutiveBreachRepeatsAreOneAlertWithItsHistory() {
        // the CEP pattern re-matches window after window: many candidates, one alert (one fingerprint), one firing transition per episode
        Map<String, Long> candidatesPerAlert = new java.util.TreeMap<>();
        streaming.stream().filter(a -> a.rule.equals("pattern:consecutive-breaches") && a.status == AlertStatus.FIRING)
                .forEach(a -> candidatesPerAlert.merge(a.alertId, 1L, Long::sum));
        String busiest = candidatesPerAlert.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertTrue(candidatesPerAlert.get(busiest) >= 5, candidatesPerAlert.toString());
        List<AlertEvent> history = EVENTS.get(RuntimeExecutionMode.STREAMING).stream().filter(e -> e.alertId.equals(busiest))
                .sorted((a, b) -> Long.compare(a.at, b.at)).toList();
        long raised = history.stream().filter(e -> e.from == null || e.from == dev.perfwatch.model.LifecycleState.RESOLVED).count();
        assertTrue(raised < candidatesPerAlert.get(busiest) / 2.0, "raised " + raised + " times for " + candidatesPerAlert.get(busiest) + " candidates: " + history);
        assertEquals(null, history.get(0).from, history.toString());
        for (int i = 1; i < history.size(); i++) {
            assertEquals(history.get(i - 1).to, history.get(i).from, "transitions chain: " + history);
        }
    }
}
