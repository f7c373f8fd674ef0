package dev.perfwatch.alerting;

import dev.perfwatch.config.LifecycleConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertEvent;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.ControlCommand;
import dev.perfwatch.model.LifecycleState;
import dev.perfwatch.model.Notification;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.Timestamps;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert lifecycle of one component (keyed by component): candidates become alerts (by their
 * fingerprint, the alert_id) with states pending, firing, acknowledged, suppressed (silenced or
 * inhibited), flapping and resolved; every transition is an {@link AlertEvent}; alerts are grouped by
 * {@code lifecycle.group-by} and each group's changes become one {@link Notification} (side output),
 * paced like Alertmanager: {@code group-wait} before a new group's first message, then at most one per
 * {@code group-interval}, and a repeat every {@code repeat-interval} while it fires unacknowledged.
 *
 * <p>Control commands (ack, resolve, silence, expire_silence) arrive on the broadcast input and take
 * effect at their own time {@code at}. Inputs are buffered by event time and applied in timers, in time
 * order, with every timer registered from {@code processElement}: so the same input gives the same
 * alerts, events and notifications in streaming and in batch (where timers of a key fire only after
 * all its input). Heartbeats (each profile window of the component) give time to apply commands,
 * timeouts and repeats between candidates.
 */
public class AlertLifecycle extends KeyedBroadcastProcessFunction<String, LifecycleInput, ControlCommand, AlertEvent> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Notification> NOTIFICATIONS = new OutputTag<>("notifications") {};
    public static final MapStateDescriptor<String, ControlCommand> COMMANDS =
            new MapStateDescriptor<>("control-commands", String.class, ControlCommand.class);
    /** Commands are kept this long after their time (silences until they end). */
    static final long COMMAND_RETENTION = 7L * 24 * 3_600_000;

    private final LifecycleConfig cfg;
    private transient MapState<Long, Buffered> buffer;
    private transient MapState<String, AlertRecord> alerts;
    private transient MapState<String, GroupRecord> groups;
    private transient MapState<String, Boolean> applied;
    /** Reasons of the changes made in the current timer, by alert id, for its events (scratch, not state). */
    private transient Map<String, String> pendingReason;

    public AlertLifecycle(LifecycleConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void open(OpenContext openContext) {
        buffer = getRuntimeContext().getMapState(new MapStateDescriptor<>("lifecycle-inputs", Long.class, Buffered.class));
        alerts = getRuntimeContext().getMapState(new MapStateDescriptor<>("lifecycle-alerts", String.class, AlertRecord.class));
        groups = getRuntimeContext().getMapState(new MapStateDescriptor<>("lifecycle-groups", String.class, GroupRecord.class));
        applied = getRuntimeContext().getMapState(new MapStateDescriptor<>("lifecycle-applied-commands", String.class, Boolean.class));
        pendingReason = new HashMap<>();
    }

    @Override
    public void processElement(LifecycleInput in, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        if (!cfg.enabled) {
            return;
        }
        long t = in.time();
        Buffered b = buffer.get(t);
        if (b == null) {
            b = new Buffered();
        }
        b.inputs.add(in);
        buffer.put(t, b);
        // Every time something may happen is a timer, registered here (never in onTimer: BATCH would ignore it).
        ctx.timerService().registerEventTimeTimer(t);
        if (in.candidate != null) {
            ctx.timerService().registerEventTimeTimer(t + cfg.groupWait.toMillis());
            ctx.timerService().registerEventTimeTimer(t + cfg.pendingFor.toMillis());
            ctx.timerService().registerEventTimeTimer(t + cfg.pendingFor.toMillis() + cfg.groupWait.toMillis());
            ctx.timerService().registerEventTimeTimer(t + cfg.flap.within.toMillis());
            ctx.timerService().registerEventTimeTimer(t + cfg.closeAfter.toMillis());
            if (!clears(in.candidate.kind)) {
                ctx.timerService().registerEventTimeTimer(t + cfg.resolveTimeout.toMillis());
                ctx.timerService().registerEventTimeTimer(t + cfg.resolveTimeout.toMillis() + cfg.closeAfter.toMillis());
            }
        }
    }

    /** Whether a detector clears its alerts itself (else they resolve by lifecycle.resolve-timeout). */
    static boolean clears(AlertKind kind) {
        return kind != AlertKind.PATTERN;
    }

    @Override
    public void processBroadcastElement(ControlCommand c, Context ctx, Collector<AlertEvent> out) throws Exception {
        BroadcastState<String, ControlCommand> commands = ctx.getBroadcastState(COMMANDS);
        commands.put(key(c), c);
        // Keep what can still matter: recent commands, and silences that have not ended.
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, ControlCommand> e : commands.entries()) {
            ControlCommand x = e.getValue();
            long until = x.command.equals("silence") ? Math.max(x.at, x.endsAt) : x.at;
            if (until + COMMAND_RETENTION < c.at) {
                old.add(e.getKey());
            }
        }
        for (String k : old) {
            commands.remove(k);
        }
    }

    static String key(ControlCommand c) {
        return String.format("%020d|%s|%s", Math.max(0, c.at), c.origin, c.command);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        ReadOnlyBroadcastState<String, ControlCommand> commands = ctx.getBroadcastState(COMMANDS);
        Map<String, AlertRecord> byId = new TreeMap<>();
        for (Map.Entry<String, AlertRecord> e : alerts.entries()) {
            byId.put(e.getKey(), e.getValue());
        }
        Map<String, GroupRecord> byGroup = new TreeMap<>();
        for (Map.Entry<String, GroupRecord> e : groups.entries()) {
            byGroup.put(e.getKey(), e.getValue());
        }
        applyCommands(t, commands, byId, out);
        // Forget applied commands the broadcast state no longer keeps.
        List<String> gone = new ArrayList<>();
        for (String k : applied.keys()) {
            if (!commands.contains(k)) {
                gone.add(k);
            }
        }
        for (String k : gone) {
            applied.remove(k);
        }
        Buffered b = buffer.get(t);
        if (b != null) {
            buffer.remove(t);
            List<LifecycleInput> inputs = new ArrayList<>(b.inputs);
            // The same order whatever order they arrived in.
            inputs.sort(Comparator.comparing((LifecycleInput i) -> i.candidate == null ? "" : i.candidate.alertId)
                    .thenComparing(i -> i.candidate == null ? "" : i.candidate.status.code()));
            for (LifecycleInput in : inputs) {
                if (in.candidate != null) {
                    onCandidate(in.candidate, t, byId, byGroup);
                }
            }
        }
        reevaluate(t, commands, byId, out);
        flush(t, byId, byGroup, ctx);
        alerts.clear();
        for (AlertRecord r : byId.values()) {
            alerts.put(r.alertId, r);
        }
        groups.clear();
        for (GroupRecord g : byGroup.values()) {
            groups.put(g.groupKey, g);
        }
    }

    // ------------------------------------------------------------------ commands

    private void applyCommands(long t, ReadOnlyBroadcastState<String, ControlCommand> commands, Map<String, AlertRecord> byId,
            Collector<AlertEvent> out) throws Exception {
        TreeMap<String, ControlCommand> due = new TreeMap<>();
        for (Map.Entry<String, ControlCommand> e : commands.immutableEntries()) {
            ControlCommand c = e.getValue();
            if (c.at <= t && (c.command.equals("ack") || c.command.equals("resolve")) && !applied.contains(e.getKey())) {
                due.put(e.getKey(), c);
            }
        }
        for (Map.Entry<String, ControlCommand> e : due.entrySet()) {
            ControlCommand c = e.getValue();
            applied.put(e.getKey(), true);
            AlertRecord r = byId.get(c.alertId);
            if (r == null || r.resolved) {
                continue; // not this component's, or over already
            }
            LifecycleState before = r.state;
            if (c.command.equals("ack")) {
                r.acked = true;
                r.state = r.derive();
                out.collect(event(r, before, r.state, c.at, "acknowledged", c.by, c.comment));
            } else {
                resolve(r, c.at, "resolved by " + c.by);
                r.state = r.derive();
                out.collect(event(r, before, r.state, c.at, "resolved by command", c.by, c.comment));
            }
        }
    }

    /** The silences active at t, by id. */
    private static Map<String, ControlCommand> silences(long t, ReadOnlyBroadcastState<String, ControlCommand> commands) throws Exception {
        Map<String, ControlCommand> active = new TreeMap<>();
        Map<String, Long> expired = new HashMap<>();
        for (Map.Entry<String, ControlCommand> e : commands.immutableEntries()) {
            ControlCommand c = e.getValue();
            if (c.command.equals("expire_silence") && c.at <= t) {
                expired.merge(c.silenceId, c.at, Math::min);
            }
        }
        for (Map.Entry<String, ControlCommand> e : commands.immutableEntries()) {
            ControlCommand c = e.getValue();
            if (c.command.equals("silence") && c.at <= t && c.startsAt <= t && t < c.endsAt && !expired.containsKey(c.silenceId)) {
                active.put(c.silenceId, c);
            }
        }
        return active;
    }

    // ------------------------------------------------------------------ candidates

    private void onCandidate(AlertCandidate c, long t, Map<String, AlertRecord> byId, Map<String, GroupRecord> byGroup) {
        AlertRecord r = byId.get(c.alertId);
        if (c.status == AlertStatus.FIRING) {
            if (r == null || r.resolved) {
                if (r == null) {
                    r = new AlertRecord();
                    r.alertId = c.alertId;
                    r.rule = c.rule;
                    r.kind = c.kind;
                    r.component = c.component;
                    r.metric = c.metric;
                    r.severity = c.severity;
                    r.groupKey = groupKey(r);
                    byId.put(r.alertId, r);
                }
                r.resolved = false;
                r.resolvedAt = Long.MIN_VALUE;
                r.acked = false;
                r.startsAt = t;
                r.severity = c.severity;
                r.pendingUntil = cfg.pendingFor.isZero() ? Long.MIN_VALUE : t + cfg.pendingFor.toMillis();
                pendingReason.put(r.alertId, (r.state == null ? "raised: " : "raised again: ") + summary(c));
                r.transitions = recent(r.transitions, t);
                GroupRecord g = byGroup.computeIfAbsent(r.groupKey, k -> {
                    GroupRecord x = new GroupRecord();
                    x.groupKey = k;
                    return x;
                });
                if (counts(r) && g.firstAt == Long.MIN_VALUE) {
                    g.firstAt = t;
                }
            } else if (c.severity.compareTo(r.severity) > 0) {
                r.severity = c.severity;
                pendingReason.put(r.alertId, "worsened to " + c.severity.code() + ": " + summary(c));
                if (r.acked) {
                    r.acked = false; // worse than what was acknowledged: it needs a look again
                }
                GroupRecord g = byGroup.get(r.groupKey);
                if (g != null && counts(r) && g.firstAt == Long.MIN_VALUE) {
                    g.firstAt = t;
                }
            }
            r.lastSeen = t;
            r.value = c.value;
            r.threshold = c.threshold;
            r.summary = summary(c);
        } else if (r != null && !r.resolved) {
            String note = c.evidence == null ? null : c.evidence.text("note");
            resolve(r, t, note != null ? "cleared: " + note : "cleared by its detector");
        }
    }

    /** Whether the alert takes part in incidents (opens one, keeps one open): severity at least incident-min-severity. */
    private boolean counts(AlertRecord r) {
        return r.severity.compareTo(cfg.incidentMinSeverity) >= 0;
    }

    private void resolve(AlertRecord r, long t, String reason) {
        r.resolved = true;
        r.resolvedAt = t;
        r.pendingUntil = Long.MIN_VALUE;
        r.transitions = recent(r.transitions, t);
        r.summary = r.summary == null ? reason : r.summary;
        pendingReason.put(r.alertId, reason);
    }

    private String groupKey(AlertRecord r) {
        StringBuilder k = new StringBuilder();
        for (String label : cfg.groupBy) {
            k.append(k.length() == 0 ? "" : ",").append(label).append('=').append(r.label(label));
        }
        return k.toString();
    }

    /** The transition times within the flap window, with t added. */
    private long[] recent(long[] times, long t) {
        List<Long> keep = new ArrayList<>();
        for (long x : times) {
            if (x > t - cfg.flap.within.toMillis()) {
                keep.add(x);
            }
        }
        keep.add(t);
        long[] out = new long[keep.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = keep.get(i);
        }
        return out;
    }

    static String summary(AlertCandidate c) {
        String given = c.evidence == null ? null : c.evidence.text("summary");
        if (given != null) {
            return given;
        }
        String cause = c.evidence == null ? null : c.evidence.text("root_cause");
        if (cause != null) {
            return c.component + ": " + cause;
        }
        StringBuilder s = new StringBuilder(c.component + "/" + c.metric + " " + c.rule);
        // An anomaly says why in words; a pattern names what it matched (a flapping series' value against a
        // level reads as a breach, which it need not be).
        String why = c.evidence == null ? null : c.evidence.text("why");
        if (why != null) {
            return s.append(": ").append(why).toString();
        }
        String pattern = c.evidence == null ? null : c.evidence.text("pattern");
        if (pattern != null) {
            s.append(": ").append(pattern);
        }
        if (c.value != null) {
            s.append(String.format(java.util.Locale.ROOT, ", value %.4g", c.value));
        }
        if (c.threshold != null) {
            s.append(String.format(java.util.Locale.ROOT, " (level %.4g)", c.threshold));
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ states

    private void reevaluate(long t, ReadOnlyBroadcastState<String, ControlCommand> commands, Map<String, AlertRecord> byId,
            Collector<AlertEvent> out) throws Exception {
        Map<String, ControlCommand> silences = silences(t, commands);
        for (AlertRecord r : byId.values()) {
            if (r.resolved) {
                continue;
            }
            if (r.pendingUntil != Long.MIN_VALUE && r.pendingUntil <= t) {
                r.pendingUntil = Long.MIN_VALUE;
            }
            if (!clears(r.kind) && r.lastSeen + cfg.resolveTimeout.toMillis() <= t) {
                resolve(r, r.lastSeen + cfg.resolveTimeout.toMillis(),
                        "not re-confirmed for " + org.apache.flink.util.TimeUtils.formatWithHighestUnit(cfg.resolveTimeout));
                continue;
            }
            r.silencedBy = null;
            for (ControlCommand s : silences.values()) {
                if (matches(r, s.matchers)) {
                    r.silencedBy = s.silenceId;
                    pendingReason.put(r.alertId, "silenced by " + s.silenceId + (s.comment == null ? "" : " (" + s.comment + ")"));
                    break;
                }
            }
        }
        for (AlertRecord r : byId.values()) {
            r.inhibitedBy = r.resolved ? null : inhibitor(r, byId);
            if (r.inhibitedBy != null && r.silencedBy == null) {
                pendingReason.put(r.alertId, "inhibited by " + r.inhibitedBy);
            }
            long recentCount = 0;
            for (long x : r.transitions) {
                if (x > t - cfg.flap.within.toMillis()) {
                    recentCount++;
                }
            }
            if (!r.flapping && recentCount > cfg.flap.transitions) {
                r.flapping = true;
                pendingReason.put(r.alertId, recentCount + " transitions within " + org.apache.flink.util.TimeUtils.formatWithHighestUnit(cfg.flap.within));
            } else if (r.flapping && recentCount == 0) {
                r.flapping = false;
                pendingReason.putIfAbsent(r.alertId, "settled: no transition for " + org.apache.flink.util.TimeUtils.formatWithHighestUnit(cfg.flap.within));
            }
        }
        for (AlertRecord r : byId.values()) {
            LifecycleState now = r.derive();
            if (now != r.state) {
                LifecycleState before = r.state;
                r.state = now;
                long at = now == LifecycleState.RESOLVED && before != LifecycleState.FLAPPING ? r.resolvedAt : t;
                out.collect(event(r, before, now, at, pendingReason.getOrDefault(r.alertId, defaultReason(before, now, r)), null, null));
            }
        }
        pendingReason.clear();
    }

    private static String defaultReason(LifecycleState before, LifecycleState now, AlertRecord r) {
        if (before == null) {
            return "raised: " + r.summary;
        }
        switch (now) {
            case FIRING: return before == LifecycleState.ACKNOWLEDGED ? "worsened to " + r.severity.code() : "no longer held back";
            case PENDING: return "raised again: " + r.summary;
            default: return before.code() + " -> " + now.code();
        }
    }

    /** The rule and id of an active alert of the component that inhibits r, or null. */
    private String inhibitor(AlertRecord r, Map<String, AlertRecord> byId) {
        for (LifecycleConfig.Inhibit rule : cfg.inhibit) {
            if (!matchesAny(r, rule.target)) {
                continue;
            }
            for (AlertRecord s : byId.values()) {
                // Only an active alert at least as severe as r mutes it (an info bottleneck does not hide a critical regression).
                if (s == r || s.resolved || s.pendingUntil != Long.MIN_VALUE || s.flapping || s.severity.compareTo(r.severity) < 0
                        || !matchesAny(s, rule.source)) {
                    continue;
                }
                boolean equal = true;
                for (String label : rule.equal) {
                    equal &= java.util.Objects.equals(r.label(label), s.label(label));
                }
                if (equal) {
                    return s.rule + " (" + s.alertId + ")";
                }
            }
        }
        return null;
    }

    private static boolean matches(AlertRecord r, Map<String, String> matchers) {
        for (Map.Entry<String, String> m : matchers.entrySet()) {
            if (!m.getValue().equals(r.label(m.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(AlertRecord r, Map<String, List<String>> matchers) {
        for (Map.Entry<String, List<String>> m : matchers.entrySet()) {
            if (!m.getValue().contains(r.label(m.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static AlertEvent event(AlertRecord r, LifecycleState from, LifecycleState to, long at, String reason, String by, String comment) {
        AlertEvent e = new AlertEvent();
        e.alertId = r.alertId;
        e.fingerprint = r.rule + "|" + r.component + "|" + r.metric;
        e.rule = r.rule;
        e.kind = r.kind;
        e.severity = r.severity;
        e.component = r.component;
        e.metric = r.metric;
        e.from = from;
        e.to = to;
        e.at = at;
        e.reason = reason;
        e.by = by;
        e.comment = comment;
        return e;
    }

    // ------------------------------------------------------------------ notifications

    /**
     * What each group says at t, from its alerts' states: an incident opens with its first message
     * once an alert of the group fires (after group-wait), says again when it worsens (a higher
     * severity among its firing alerts), when it repeats (repeat-interval, while an alert fires
     * unacknowledged) and when it closes (every alert resolved); with {@code notify: changes} also
     * whenever an alert joins or leaves. Changes wait for group-interval after the last message.
     */
    private void flush(long t, Map<String, AlertRecord> byId, Map<String, GroupRecord> byGroup, OnTimerContext ctx) {
        for (GroupRecord g : new ArrayList<>(byGroup.values())) {
            List<AlertRecord> members = new ArrayList<>();
            for (AlertRecord r : byId.values()) {
                if (r.groupKey.equals(g.groupKey)) {
                    members.add(r);
                }
            }
            List<AlertRecord> active = new ArrayList<>();
            Severity worst = null;
            boolean firing = false;
            boolean anyCounting = false;
            boolean open = false;
            long lastResolved = Long.MIN_VALUE;
            for (AlertRecord r : members) {
                boolean notifiable = r.state == LifecycleState.FIRING || r.state == LifecycleState.ACKNOWLEDGED;
                if (notifiable) {
                    active.add(r);
                    worst = worst == null || r.severity.compareTo(worst) > 0 ? r.severity : worst;
                    firing |= r.state == LifecycleState.FIRING;
                    anyCounting |= counts(r);
                }
                if (counts(r)) {
                    open |= !r.resolved || r.flapping;
                    lastResolved = r.resolved ? Math.max(lastResolved, r.resolvedAt) : lastResolved;
                }
            }
            boolean paced = g.lastSent == Long.MIN_VALUE || t >= g.lastSent + cfg.groupInterval.toMillis();
            if (!g.told) {
                if (anyCounting && g.firstAt != Long.MIN_VALUE && t >= g.firstAt + cfg.groupWait.toMillis() && paced) {
                    g.openedAt = g.firstAt;
                    send(g, members, t, "new", ctx);
                    g.told = true;
                    g.toldSeverity = worst;
                }
            } else if (!open && t >= lastResolved + cfg.closeAfter.toMillis()) {
                if (paced) {
                    send(g, members, t, "resolved", ctx);
                    g.told = false;
                    g.toldSeverity = null;
                    g.firstAt = Long.MIN_VALUE;
                }
            } else if (worst != null && worst.compareTo(g.toldSeverity) > 0 && paced) {
                send(g, members, t, "worsened", ctx);
                g.toldSeverity = worst;
            } else if (cfg.notify == LifecycleConfig.Notify.CHANGES && paced && !ids(active).equals(g.toldIds)) {
                send(g, members, t, "changed", ctx);
            } else if (firing && t >= g.lastSent + cfg.repeatInterval.toMillis()) {
                send(g, members, t, "repeat", ctx);
            }
            // Resolved alerts leave once their incident is closed (and told) and the flap window has passed
            // (a re-fire within it is the same alert, counted towards flapping).
            if (!g.told) {
                for (AlertRecord r : members) {
                    if (r.resolved && !r.flapping && r.resolvedAt + cfg.flap.within.toMillis() <= t) {
                        byId.remove(r.alertId);
                    }
                }
            }
            boolean empty = byId.values().stream().noneMatch(r -> r.groupKey.equals(g.groupKey));
            if (empty) {
                byGroup.remove(g.groupKey);
            } else if (!g.told && byId.values().stream().noneMatch(r -> r.groupKey.equals(g.groupKey) && !r.resolved && counts(r))) {
                g.firstAt = Long.MIN_VALUE; // quiet: the next alert opens a new incident and waits group-wait again
            }
        }
    }

    private static List<String> ids(List<AlertRecord> records) {
        List<String> out = new ArrayList<>();
        for (AlertRecord r : records) {
            out.add(r.alertId);
        }
        return out;
    }

    /** One message listing the group's alerts that fire, are acknowledged or resolved (all of them when it closes). */
    private void send(GroupRecord g, List<AlertRecord> members, long t, String reason, OnTimerContext ctx) {
        Notification n = new Notification();
        List<AlertRecord> active = new ArrayList<>();
        for (AlertRecord r : members) {
            boolean isActive = r.state == LifecycleState.FIRING || r.state == LifecycleState.ACKNOWLEDGED;
            if (!isActive && (r.state != LifecycleState.RESOLVED || r.resolvedAt < g.openedAt)) {
                continue; // pending, suppressed or flapping: held back; resolved before this incident: not part of it
            }
            if (isActive) {
                active.add(r);
            }
            Notification.NotifiedAlert a = new Notification.NotifiedAlert();
            a.alertId = r.alertId;
            a.rule = r.rule;
            a.kind = r.kind;
            a.severity = r.severity;
            a.state = r.state;
            a.component = r.component;
            a.metric = r.metric;
            a.value = r.value;
            a.threshold = r.threshold;
            a.startsAt = r.startsAt;
            a.endsAt = r.resolved ? r.resolvedAt : null;
            a.summary = r.summary;
            n.alerts.add(a);
        }
        // Firing first, then by severity (worst first) and rule.
        n.alerts.sort(Comparator.comparing((Notification.NotifiedAlert a) -> a.state == LifecycleState.RESOLVED)
                .thenComparing(a -> a.severity, Comparator.reverseOrder())
                .thenComparing(a -> a.rule).thenComparing(a -> a.alertId));
        g.toldIds = ids(active);
        g.lastSent = t;
        if (n.alerts.isEmpty()) {
            return;
        }
        n.groupKey = g.groupKey;
        n.status = active.stream().anyMatch(this::counts) ? "firing" : "resolved";
        n.sentAt = t;
        n.reason = reason;
        g.sequence++;
        n.notificationId = AlertCandidate.fingerprint("notification", g.groupKey, g.sequence + "@" + Timestamps.iso(t));
        ctx.output(NOTIFICATIONS, n);
    }

    /** The alert severity of a bottleneck report's severity (0..1): an open bottleneck is at least a warning. */
    public static Severity severityOf(double severity) {
        return severity >= 0.75 ? Severity.CRITICAL : Severity.WARNING;
    }
}
