package dev.perfwatch.model;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** One transition of an alert: the history that says why it fired, who acknowledged it, when it cleared. */
public class AlertEvent implements JsonRecord {

    public String alertId;
    /** The labels the alert_id is the fingerprint of: rule, component, metric. */
    public String fingerprint;
    public String rule;
    public AlertKind kind;
    public Severity severity;
    public String component;
    public String metric;
    /** null for the first transition. */
    public LifecycleState from;
    public LifecycleState to;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long at;
    public String reason;
    /** Who, for a command (ack, resolve), else null. */
    public String by;
    public String comment;

    @Override
    public long partitionTime() {
        return at;
    }

    @Override
    public String toString() {
        return "AlertEvent{" + rule + " " + component + "/" + metric + " " + from + "->" + to + " at " + Timestamps.iso(at) + " " + reason + "}";
    }
}
