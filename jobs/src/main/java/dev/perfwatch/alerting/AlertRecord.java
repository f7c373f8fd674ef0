package dev.perfwatch.alerting;

import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.LifecycleState;
import dev.perfwatch.model.Severity;

/** One alert in the lifecycle's keyed state: its labels, its flags, and what was notified of it. */
public class AlertRecord {
    public String alertId;
    public String rule;
    public AlertKind kind;
    public Severity severity;
    public String component;
    public String metric;
    public String groupKey;
    public Double value;
    public Double threshold;
    public String summary;
    /** When it started firing this time. */
    public long startsAt;
    public long lastSeen;
    public long resolvedAt = Long.MIN_VALUE;
    /** Pending until this time (MIN_VALUE: not pending). */
    public long pendingUntil = Long.MIN_VALUE;
    public boolean resolved;
    public boolean acked;
    public String silencedBy;
    public String inhibitedBy;
    public boolean flapping;
    /** Times of its recent fire/resolve transitions, for the flap guard. */
    public long[] transitions = new long[0];
    /** The state last recorded in alert-events/. */
    public LifecycleState state;

    /** The state its flags give. */
    LifecycleState derive() {
        if (flapping) {
            return LifecycleState.FLAPPING; // held, firing or not, until it settles
        }
        if (resolved) {
            return LifecycleState.RESOLVED;
        }
        if (pendingUntil != Long.MIN_VALUE) {
            return LifecycleState.PENDING;
        }
        if (silencedBy != null || inhibitedBy != null) {
            return LifecycleState.SUPPRESSED;
        }
        return acked ? LifecycleState.ACKNOWLEDGED : LifecycleState.FIRING;
    }

    /** The value of a label, for grouping, matchers and inhibition. */
    String label(String name) {
        switch (name) {
            case "component": return component;
            case "metric": return metric;
            case "rule": return rule;
            case "kind": return kind == null ? null : kind.code();
            case "severity": return severity == null ? null : severity.code();
            default: return null;
        }
    }
}
