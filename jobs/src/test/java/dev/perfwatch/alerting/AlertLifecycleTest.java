package dev.perfwatch.alerting;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.LifecycleConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertEvent;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.ControlCommand;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.LifecycleState;
import dev.perfwatch.model.Notification;
import dev.perfwatch.model.Severity;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each lifecycle rule on the operator itself (Flink's keyed broadcast harness): grouping timers,
 * repeat interval, inhibition, silences, acknowledgement, flapping, auto-resolve and state cleanup.
 * Times are minutes from 0; heartbeats stand for the component's profile windows.
 */
class AlertLifecycleTest {

    private static final long MIN = 60_000;

    private static LifecycleConfig config(String... overrides) {
        List<String> all = new ArrayList<>(List.of("lifecycle.group-wait=30s", "lifecycle.group-interval=5m",
                "lifecycle.repeat-interval=1h", "lifecycle.resolve-timeout=15m", "lifecycle.close-after=5m",
                "lifecycle.flap.transitions=6", "lifecycle.flap.within=30m"));
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all).lifecycle;
    }

    private static KeyedBroadcastOperatorTestHarness<String, LifecycleInput, ControlCommand, AlertEvent> harness(LifecycleConfig cfg) throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new AlertLifecycle(cfg), (LifecycleInput i) -> i.component,
                Types.STRING, AlertLifecycle.COMMANDS);
        h.open();
        return h;
    }

    private static AlertCandidate candidate(String rule, AlertKind kind, Severity severity, AlertStatus status, String component,
            String metric, double minute) {
        long t = (long) (minute * MIN);
        return new AlertCandidate(rule, kind, severity, status, component, metric, 90.0, 80.0, t, t, new Evidence());
    }

    private static void fire(KeyedBroadcastOperatorTestHarness<String, LifecycleInput, ControlCommand, AlertEvent> h, String rule,
            Severity severity, String component, String metric, double minute) throws Exception {
        send(h, candidate(rule, kind(rule), severity, AlertStatus.FIRING, component, metric, minute));
    }

    private static void clear(KeyedBroadcastOperatorTestHarness<String, LifecycleInput, ControlCommand, AlertEvent> h, String rule,
            Severity severity, String component, String metric, double minute) throws Exception {
        send(h, candidate(rule, kind(rule), severity, AlertStatus.CLEARED, component, metric, minute));
    }

    private static AlertKind kind(String rule) {
        return rule.startsWith("pattern:") ? AlertKind.PATTERN : rule.startsWith("bottleneck:") ? AlertKind.BOTTLENECK : AlertKind.THRESHOLD;
    }

    private static void send(KeyedBroadcastOperatorTestHarness<String, LifecycleInput, ControlCommand, AlertEvent> h, AlertCandidate c) throws Exception {
        h.processElement(new StreamRecord<>(LifecycleInput.of(c), c.eventTime));
    }

    /** Heartbeats of the component every 5 minutes over [from, to], then the watermark to {@code to}. */
    private static void heartbeats(KeyedBroadcastOperatorTestHarness<String, LifecycleInput, ControlCommand, AlertEvent> h, String component,
            int from, int to) throws Exception {
        for (int m = from; m <= to; m += 5) {
            h.processElement(new StreamRecord<>(LifecycleInput.heartbeat(component, m * MIN), m * MIN));
        }
    }

    private static List<Notification> notifications(KeyedBroadcastOperatorTestHarness<String, LifecycleInput, ControlCommand, AlertEvent> h) {
        List<Notification> out = new ArrayList<>();
        var side = h.getSideOutput(AlertLifecycle.NOTIFICATIONS);
        for (StreamRecord<Notification> r : side == null ? List.<StreamRecord<Notification>>of() : side) {
            out.add(r.getValue());
        }
        return out;
    }

    /** "minute status reason [rule=state, ...]" per notification. */
    private static List<String> told(KeyedBroadcastOperatorTestHarness<String, LifecycleInput, ControlCommand, AlertEvent> h) {
        List<String> out = new ArrayList<>();
        for (Notification n : notifications(h)) {
            List<String> alerts = new ArrayList<>();
            for (Notification.NotifiedAlert a : n.alerts) {
                alerts.add(a.rule + "=" + a.state.code());
            }
            out.add(n.sentAt / (double) MIN + " " + n.status + " " + n.reason + " " + alerts);
        }
        return out;
    }

    /** "minute rule from->to" per event. */
    private static List<String> events(KeyedBroadcastOperatorTestHarness<String, LifecycleInput, ControlCommand, AlertEvent> h) {
        List<String> out = new ArrayList<>();
        for (AlertEvent e : h.extractOutputValues()) {
            out.add(e.at / (double) MIN + " " + e.rule + " " + (e.from == null ? "-" : e.from.code()) + "->" + e.to.code());
        }
        return out;
    }

    private static ControlCommand command(String name, double minute) {
        ControlCommand c = new ControlCommand();
        c.command = name;
        c.by = "ana";
        c.at = (long) (minute * MIN);
        c.origin = "test:" + name + "@" + minute;
        return c;
    }

    /** What a raised alert's reason says: its own summary, an anomaly's why, a pattern's name, else value and level. */
    @Test
    void summariesSayWhatWasSeenInWords() {
        AlertCandidate threshold = new AlertCandidate("threshold:cpu_usage:critical", AlertKind.THRESHOLD, Severity.CRITICAL, AlertStatus.FIRING,
                "web", "cpu_usage", 97.5, 95.0, 0L, 0L, new Evidence());
        assertEquals("web/cpu_usage threshold:cpu_usage:critical, value 97.50 (level 95.00)", AlertLifecycle.summary(threshold));
        AlertCandidate anomaly = new AlertCandidate("anomaly:robust-z", AlertKind.ANOMALY, Severity.CRITICAL, AlertStatus.FIRING,
                "api", "gc_time", 341.9, 25.04, 0L, 0L, new Evidence().put("why", "341.94 is 1266% above the median 25.04 of the last 60 windows"));
        assertEquals("api/gc_time anomaly:robust-z: 341.94 is 1266% above the median 25.04 of the last 60 windows", AlertLifecycle.summary(anomaly));
        AlertCandidate flapping = new AlertCandidate("pattern:flapping", AlertKind.PATTERN, Severity.WARNING, AlertStatus.FIRING,
                "db", "disk_io", 4.255e7, 1e8, 0L, 0L, new Evidence().put("pattern", "4 crossings of the warning level within PT15M"));
        assertEquals("db/disk_io pattern:flapping: 4 crossings of the warning level within PT15M, value 4.255e+07 (level 1.000e+08)",
                AlertLifecycle.summary(flapping));
    }

    @Test
    void groupWaitCollectsTheFirstAlertsIntoOneMessageAndTheIncidentClosesOnce() throws Exception {
        var h = harness(config());
        fire(h, "threshold:cpu_usage:warning", Severity.WARNING, "web", "cpu_usage", 10);
        fire(h, "threshold:response_time:warning", Severity.WARNING, "web", "response_time", 10.25);
        // joins later, no worse: listed in the next message, not a message of its own (notify: incident)
        fire(h, "pattern:consecutive-breaches", Severity.WARNING, "web", "cpu_usage", 12);
        clear(h, "threshold:cpu_usage:warning", Severity.WARNING, "web", "cpu_usage", 20);
        clear(h, "threshold:response_time:warning", Severity.WARNING, "web", "response_time", 21);
        heartbeats(h, "web", 15, 60);
        h.watermark(60 * MIN);
        // group-wait 30s after 10:00; the pattern is never cleared by its detector: resolved 15 min after 12:00,
        // and the incident closes 5 min after its last alert resolved (27 + 5 = 32)
        assertEquals(List.of(
                "10.5 firing new [threshold:cpu_usage:warning=firing, threshold:response_time:warning=firing]",
                "32.0 resolved resolved [pattern:consecutive-breaches=resolved, threshold:cpu_usage:warning=resolved, threshold:response_time:warning=resolved]"),
                told(h));
        assertTrue(events(h).contains("27.0 pattern:consecutive-breaches firing->resolved"), events(h).toString());
        Notification first = notifications(h).get(0);
        assertEquals("component=web", first.groupKey);
        assertEquals(Severity.WARNING, first.severity());
        assertEquals(AlertCandidate.fingerprint("threshold:cpu_usage:warning", "web", "cpu_usage"), first.alerts.get(0).alertId);
        h.close();
    }

    @Test
    void changesModeAlsoTellsJoinsAfterTheGroupInterval() throws Exception {
        var h = harness(config("lifecycle.notify=changes"));
        fire(h, "threshold:cpu_usage:warning", Severity.WARNING, "web", "cpu_usage", 10);
        fire(h, "pattern:consecutive-breaches", Severity.WARNING, "web", "cpu_usage", 12);
        heartbeats(h, "web", 15, 20);
        h.watermark(20 * MIN);
        // the join waits for group-interval after the first message (15.5): the next time the operator
        // looks, 17 (5 min after the join, when an incident could close)
        assertEquals(List.of(
                "10.5 firing new [threshold:cpu_usage:warning=firing]",
                "17.0 firing changed [pattern:consecutive-breaches=firing, threshold:cpu_usage:warning=firing]"), told(h));
        h.close();
    }

    @Test
    void repeatIntervalWhileFiring() throws Exception {
        var h = harness(config());
        fire(h, "threshold:cpu_usage:warning", Severity.WARNING, "web", "cpu_usage", 0);
        heartbeats(h, "web", 5, 125);
        h.watermark(125 * MIN);
        // first message after group-wait; repeats on the first heartbeat an hour or more after the previous message
        assertEquals(List.of("0.5 firing new [threshold:cpu_usage:warning=firing]",
                "65.0 firing repeat [threshold:cpu_usage:warning=firing]",
                "125.0 firing repeat [threshold:cpu_usage:warning=firing]"), told(h));
        h.close();
    }

    @Test
    void acknowledgeStopsRepeatsUntilItWorsens() throws Exception {
        var h = harness(config());
        String id = AlertCandidate.fingerprint("threshold:cpu_usage:warning", "web", "cpu_usage");
        fire(h, "threshold:cpu_usage:warning", Severity.WARNING, "web", "cpu_usage", 0);
        ControlCommand ack = command("ack", 10);
        ack.alertId = id;
        ack.comment = "looking at it";
        h.processBroadcastElement(ack, ack.at);
        heartbeats(h, "web", 5, 125);
        fire(h, "threshold:cpu_usage:warning", Severity.CRITICAL, "web", "cpu_usage", 126);
        heartbeats(h, "web", 130, 130);
        h.watermark(130 * MIN);
        assertEquals(List.of("0.5 firing new [threshold:cpu_usage:warning=firing]",
                "126.0 firing worsened [threshold:cpu_usage:warning=firing]"), told(h));
        AlertEvent acked = h.extractOutputValues().stream().filter(e -> e.to == LifecycleState.ACKNOWLEDGED).findFirst().orElseThrow();
        assertEquals(10 * MIN, acked.at);
        assertEquals("ana", acked.by);
        assertEquals("looking at it", acked.comment);
        assertEquals(List.of("0.0 threshold:cpu_usage:warning -->firing", "10.0 threshold:cpu_usage:warning firing->acknowledged",
                "126.0 threshold:cpu_usage:warning acknowledged->firing"), events(h));
        h.close();
    }

    @Test
    void resolveCommandResolvesAndClosesTheIncident() throws Exception {
        var h = harness(config());
        fire(h, "pattern:memory-leak", Severity.WARNING, "api", "memory_usage", 0);
        ControlCommand resolve = command("resolve", 3);
        resolve.alertId = AlertCandidate.fingerprint("pattern:memory-leak", "api", "memory_usage");
        h.processBroadcastElement(resolve, resolve.at);
        heartbeats(h, "api", 5, 10);
        h.watermark(10 * MIN);
        assertEquals(List.of("0.5 firing new [pattern:memory-leak=firing]", "10.0 resolved resolved [pattern:memory-leak=resolved]"), told(h));
        AlertEvent e = h.extractOutputValues().get(1);
        assertEquals("resolved by command", e.reason);
        assertEquals("ana", e.by);
        h.close();
    }

    @Test
    void criticalMutesWarningsOfItsMetricButNotOthersAndNeverAWorseAlert() throws Exception {
        var h = harness(config());
        fire(h, "threshold:cpu_usage:critical", Severity.CRITICAL, "web", "cpu_usage", 0);
        fire(h, "threshold:cpu_usage:warning", Severity.WARNING, "web", "cpu_usage", 0);
        fire(h, "threshold:response_time:warning", Severity.WARNING, "web", "response_time", 0);
        // a database bottleneck mutes latency alerts of its component, but only those no more severe than itself
        fire(h, "bottleneck:database", Severity.WARNING, "api", null, 0);
        fire(h, "threshold:response_time:warning", Severity.WARNING, "api", "response_time", 0);
        fire(h, "regression", Severity.CRITICAL, "api", "database_query_time", 0);
        heartbeats(h, "web", 5, 5);
        heartbeats(h, "api", 5, 5);
        h.watermark(5 * MIN);
        List<String> ev = events(h);
        assertTrue(ev.contains("0.0 threshold:cpu_usage:warning -->suppressed"), ev.toString());
        assertTrue(ev.contains("0.0 threshold:response_time:warning -->firing"), ev.toString());
        assertTrue(ev.contains("0.0 threshold:response_time:warning -->suppressed"), ev.toString());
        assertTrue(ev.contains("0.0 regression -->firing"), ev.toString());
        AlertEvent muted = h.extractOutputValues().stream()
                .filter(e -> e.component.equals("api") && e.to == LifecycleState.SUPPRESSED).findFirst().orElseThrow();
        assertTrue(muted.reason.startsWith("inhibited by bottleneck:database"), muted.reason);
        assertEquals(List.of("0.5 firing new [threshold:cpu_usage:critical=firing, threshold:response_time:warning=firing]",
                "0.5 firing new [regression=firing, bottleneck:database=firing]"), told(h));
        // the critical clears: its warning is no longer muted and is told (a new alert of the open incident, no worse)
        clear(h, "threshold:cpu_usage:critical", Severity.CRITICAL, "web", "cpu_usage", 7);
        heartbeats(h, "web", 10, 10);
        h.watermark(10 * MIN);
        assertTrue(events(h).contains("7.0 threshold:cpu_usage:warning suppressed->firing"), events(h).toString());
        h.close();
    }

    @Test
    void silenceHoldsMatchingAlertsWithinItsWindowAndExpireEndsIt() throws Exception {
        var h = harness(config());
        ControlCommand silence = command("silence", 1);
        silence.silenceId = "maint-1";
        silence.matchers = Map.of("component", "search");
        silence.startsAt = 10 * MIN;
        silence.endsAt = 40 * MIN;
        silence.comment = "reindexing";
        h.processBroadcastElement(silence, silence.at);
        fire(h, "threshold:search_response_time:warning", Severity.WARNING, "search", "search_response_time", 15);
        fire(h, "threshold:cpu_usage:warning", Severity.WARNING, "web", "cpu_usage", 15);
        heartbeats(h, "search", 20, 45);
        heartbeats(h, "web", 20, 20);
        h.watermark(45 * MIN);
        assertEquals(List.of("15.5 firing new [threshold:cpu_usage:warning=firing]",
                "40.0 firing new [threshold:search_response_time:warning=firing]"), told(h));
        AlertEvent silenced = h.extractOutputValues().stream().filter(e -> e.to == LifecycleState.SUPPRESSED).findFirst().orElseThrow();
        assertEquals("silenced by maint-1 (reindexing)", silenced.reason);

        // expire_silence ends a silence before its end
        var h2 = harness(config());
        h2.processBroadcastElement(silence, silence.at);
        ControlCommand expire = command("expire_silence", 22);
        expire.silenceId = "maint-1";
        h2.processBroadcastElement(expire, expire.at);
        fire(h2, "threshold:search_response_time:warning", Severity.WARNING, "search", "search_response_time", 15);
        heartbeats(h2, "search", 20, 25);
        h2.watermark(25 * MIN);
        assertEquals(List.of("25.0 firing new [threshold:search_response_time:warning=firing]"), told(h2));
        h.close();
        h2.close();
    }

    @Test
    void flappingHoldsNotificationsUntilItSettles() throws Exception {
        var h = harness(config());
        for (int m = 0; m < 8; m++) {
            fire(h, "threshold:queue_depth:warning", Severity.WARNING, "worker", "queue_depth", 2 * m);
            clear(h, "threshold:queue_depth:warning", Severity.WARNING, "worker", "queue_depth", 2 * m + 1);
        }
        fire(h, "threshold:queue_depth:warning", Severity.WARNING, "worker", "queue_depth", 16);
        heartbeats(h, "worker", 20, 60);
        h.watermark(60 * MIN);
        List<String> ev = events(h);
        int flapAt = ev.indexOf(ev.stream().filter(s -> s.endsWith("->flapping")).findFirst().orElseThrow());
        assertTrue(ev.get(flapAt).startsWith("6.0 "), ev.toString()); // the 7th transition within 30 min
        AlertEvent flap = h.extractOutputValues().get(flapAt);
        assertEquals("7 transitions within 30 min", flap.reason);
        // held while flapping (no event per flip), firing again once settled: 30 min after its last transition
        assertEquals(flapAt + 2, ev.size(), ev.toString());
        assertEquals("46.0 threshold:queue_depth:warning flapping->firing", ev.get(ev.size() - 1));
        // told once, at the start: the flips are one incident, and it settled as it was told
        assertEquals(List.of("0.5 firing new [threshold:queue_depth:warning=firing]"), told(h));
        h.close();
    }

    @Test
    void alertsNeverClearedByTheirDetectorResolveAfterTheTimeoutAndStateIsCleanedUp() throws Exception {
        var h = harness(config());
        fire(h, "pattern:consecutive-breaches", Severity.WARNING, "web", "cpu_usage", 0);
        fire(h, "pattern:consecutive-breaches", Severity.WARNING, "web", "cpu_usage", 4); // re-confirmed
        heartbeats(h, "web", 5, 80);
        h.watermark(80 * MIN);
        assertTrue(events(h).contains("19.0 pattern:consecutive-breaches firing->resolved"), events(h).toString());
        assertEquals("not re-confirmed for 15 min", h.extractOutputValues().get(1).reason);
        assertEquals(List.of("0.5 firing new [pattern:consecutive-breaches=firing]",
                "24.0 resolved resolved [pattern:consecutive-breaches=resolved]"), told(h));
        // resolved, told, past the flap window: nothing of the component is left, and no timer
        assertEquals(0, stateEntries(h));
        assertEquals(0, h.numEventTimeTimers());
        h.close();
    }

    @Test
    void infoAlertsAreListedButDoNotOpenAnIncident() throws Exception {
        var h = harness(config());
        fire(h, "regression", Severity.INFO, "cache", "cache_hit_rate", 0);
        heartbeats(h, "cache", 5, 30);
        h.watermark(30 * MIN);
        assertEquals(List.of(), told(h));
        fire(h, "threshold:cache_hit_rate:critical", Severity.CRITICAL, "cache", "cache_hit_rate", 31);
        clear(h, "threshold:cache_hit_rate:critical", Severity.CRITICAL, "cache", "cache_hit_rate", 33);
        heartbeats(h, "cache", 35, 45);
        h.watermark(45 * MIN);
        assertEquals(List.of("31.5 firing new [threshold:cache_hit_rate:critical=firing, regression=firing]",
                "38.0 resolved resolved [regression=firing, threshold:cache_hit_rate:critical=resolved]"), told(h));
        h.close();
    }

    private static int stateEntries(KeyedBroadcastOperatorTestHarness<String, LifecycleInput, ControlCommand, AlertEvent> h) {
        AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) h.getTwoInputOperator();
        return ((HeapKeyedStateBackend<?>) op.getKeyedStateBackend()).numKeyValueStateEntries();
    }
}
