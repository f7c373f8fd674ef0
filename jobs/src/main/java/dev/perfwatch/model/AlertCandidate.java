package dev.perfwatch.model;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Something a detector thinks an on-call engineer should know, with the evidence for it. Candidates
 * go to {@code alerts/}; the alert lifecycle dedupes, groups and routes them.
 */
public class AlertCandidate implements JsonRecord {

    /** Stable fingerprint of rule, component and metric: the same alert always has the same id. */
    public String alertId;
    /** e.g. {@code threshold:cpu_usage:critical}, {@code pattern:memory-leak}, {@code anomaly:robust-z}. */
    public String rule;
    public AlertKind kind;
    public Severity severity;
    public AlertStatus status;
    public String component;
    /** The metric, or for patterns across metrics the one that completed the match. */
    public String metric;
    public Double value;
    public Double threshold;
    /** When this candidate was raised (event time, epoch ms). */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long eventTime;
    /** When the condition started (event time, epoch ms). */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long startedAt;
    /** The samples or windows that triggered it, the level or score crossed, the pattern matched. */
    public Evidence evidence;

    public AlertCandidate() {}

    public AlertCandidate(String rule, AlertKind kind, Severity severity, AlertStatus status, String component, String metric,
            Double value, Double threshold, long eventTime, long startedAt, Evidence evidence) {
        this.alertId = fingerprint(rule, component, metric);
        this.rule = rule;
        this.kind = kind;
        this.severity = severity;
        this.status = status;
        this.component = component;
        this.metric = metric;
        this.value = value;
        this.threshold = threshold;
        this.eventTime = eventTime;
        this.startedAt = startedAt;
        this.evidence = evidence == null ? new Evidence() : evidence;
    }

    /** First 16 hex digits of SHA-256 over rule, component and metric. */
    public static String fingerprint(String rule, String component, String metric) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((rule + '\u0000' + component + '\u0000' + metric).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8); // lower-case, two digits a byte
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long partitionTime() {
        return eventTime;
    }

    @Override
    public String toString() {
        return "AlertCandidate{" + status + " " + rule + " " + severity + " " + component + "/" + metric + " value=" + value
                + " threshold=" + threshold + " at " + Timestamps.iso(eventTime) + " since " + Timestamps.iso(startedAt) + "}";
    }
}
