package dev.perfwatch.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code lifecycle}: how alert candidates become alerts, incidents and notifications. */
public class LifecycleConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The labels every alert has: what group-by, matchers and inhibition rules may name. */
    public static final Set<String> LABELS = Set.of("component", "metric", "rule", "kind", "severity");

    public boolean enabled;
    /** Alerts with equal values of these labels are one group: one notification lists them. Must include component. */
    public List<String> groupBy = new ArrayList<>();
    /** A new group waits this long for more alerts before its first notification. */
    public Duration groupWait;
    /** After a notification, changes to the group are sent at most this often. */
    public Duration groupInterval;
    /** A group that keeps firing unchanged (and not acknowledged) is notified again this often. */
    public Duration repeatInterval;
    /** A firing candidate stays pending this long before the alert fires (0: at once). */
    public Duration pendingFor;
    /** Alerts whose detector never clears them (patterns) resolve when not re-confirmed for this long. */
    public Duration resolveTimeout;
    public Flap flap;
    /** An incident closes once every alert in it has been resolved this long (a re-fire within it continues the incident). */
    public Duration closeAfter;
    /** Alerts below this severity are kept and listed, but neither open an incident nor keep one open. */
    public dev.perfwatch.model.Severity incidentMinSeverity;
    /** What is notified: an incident's start, worsening, repeats and end; or also every alert that joins or leaves it. */
    public Notify notify;
    /** An alert whose source matchers hold mutes the alerts whose target matchers hold and whose equal labels agree. */
    public List<Inhibit> inhibit = new ArrayList<>();
    /** Directory of control commands (JSON lines: ack, resolve, silence, expire_silence); null: output.path/control. */
    public String controlDir;

    public enum Notify {
        /** An incident's first message, then only when it worsens, repeats or ends (every alert resolved). */
        INCIDENT,
        /** Also whenever the group's firing alerts change (Alertmanager's behaviour). */
        CHANGES;

        @com.fasterxml.jackson.annotation.JsonValue
        public String yaml() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Notify of(String text) {
            return YamlEnums.byYaml(values(), Notify::yaml, text);
        }
    }

    /** More than {@code transitions} changes of state within {@code within}: the alert is flapping, held until it settles. */
    public static class Flap implements Serializable {
        private static final long serialVersionUID = 1L;
        public int transitions;
        public Duration within;
    }

    public static class Inhibit implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Label to the values it may have (one value or a list). */
        public Map<String, List<String>> source;
        public Map<String, List<String>> target;
        public List<String> equal = new ArrayList<>();
    }

    void validate(Check c) {
        if (groupBy == null || !groupBy.contains("component")) {
            throw c.fail("group-by", "expected a list of labels that includes component (alerts are kept per component), got " + groupBy);
        }
        for (String label : groupBy) {
            if (!LABELS.contains(label)) {
                throw c.fail("group-by", "unknown label '" + label + "'; expected some of " + new java.util.TreeSet<>(LABELS));
            }
        }
        c.nonNegative(groupWait, "group-wait");
        c.positive(groupInterval, "group-interval");
        c.positive(repeatInterval, "repeat-interval");
        c.nonNegative(pendingFor, "pending-for");
        c.positive(resolveTimeout, "resolve-timeout");
        c.nonNegative(closeAfter, "close-after");
        c.section(incidentMinSeverity, "incident-min-severity");
        c.section(flap, "flap");
        c.section(notify, "notify");
        c.atLeast(flap.transitions, 2, "flap.transitions");
        c.positive(flap.within, "flap.within");
        for (int i = 0; i < inhibit.size(); i++) {
            Inhibit r = inhibit.get(i);
            String key = "inhibit[" + i + "]";
            if (r == null || r.source == null || r.target == null) {
                throw c.fail(key, "expected source and target label matchers, e.g. {source: {severity: critical}, target: {severity: warning}, equal: [component]}");
            }
            for (Map<String, List<String>> m : List.of(r.source, r.target)) {
                for (String label : m.keySet()) {
                    if (!LABELS.contains(label)) {
                        throw c.fail(key, "unknown label '" + label + "'; expected some of " + new java.util.TreeSet<>(LABELS));
                    }
                }
            }
            if (r.equal == null || !r.equal.contains("component")) {
                throw c.fail(key + ".equal", "must include component (inhibition applies within a component), got " + r.equal);
            }
        }
    }
}
