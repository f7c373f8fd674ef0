package dev.perfwatch.model;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.ArrayList;
import java.util.List;

/**
 * One message about a group of alerts (an incident), and, once routed, its delivery on one channel:
 * the rows of {@code notifications/}.
 */
public class Notification implements JsonRecord {

    /** Stable for the message: the Idempotency-Key of deliveries, the same on every retry. */
    public String notificationId;
    /** webhook, slack, email, alertmanager; none when no channel takes it. */
    public String channel;
    public String groupKey;
    /** firing while any alert of the group fires, else resolved. */
    public String status;
    /** The alerts it covers: those firing, and those resolved since the group's last message. */
    public List<NotifiedAlert> alerts = new ArrayList<>();
    /** Event time the lifecycle sent it. */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long sentAt;
    /** Why: new alerts, resolved alerts, repeat. */
    public String reason;
    /** delivered, failed, rate_limited, not_routed (no channel takes it), not_configured (no channel at all). */
    public String delivery;
    public int attempts;
    /** Wall-clock time of the delivery (null before it). */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public Long deliveredAt;
    /** What went wrong on the last failed attempt (never a URL or a credential). */
    public String error;

    /** One alert as a notification lists it. */
    public static class NotifiedAlert {
        public String alertId;
        public String rule;
        public AlertKind kind;
        public Severity severity;
        public LifecycleState state;
        public String component;
        public String metric;
        public Double value;
        public Double threshold;
        @JsonSerialize(using = OutputJson.IsoTime.class)
        public long startsAt;
        /** Set when resolved. */
        @JsonSerialize(using = OutputJson.IsoTime.class)
        public Long endsAt;
        /** One line: what and by how much. */
        public String summary;
    }

    /** The highest severity among the alerts. */
    public Severity severity() {
        Severity worst = Severity.INFO;
        for (NotifiedAlert a : alerts) {
            if (a.severity != null && a.severity.compareTo(worst) > 0) {
                worst = a.severity;
            }
        }
        return worst;
    }

    public Notification copy() {
        Notification n = new Notification();
        n.notificationId = notificationId;
        n.channel = channel;
        n.groupKey = groupKey;
        n.status = status;
        n.alerts = new ArrayList<>(alerts);
        n.sentAt = sentAt;
        n.reason = reason;
        n.delivery = delivery;
        n.attempts = attempts;
        n.deliveredAt = deliveredAt;
        n.error = error;
        return n;
    }

    @Override
    public long partitionTime() {
        return sentAt;
    }

    @Override
    public String toString() {
        return "Notification{" + notificationId + " " + channel + " " + groupKey + " " + status + " " + alerts.size() + " alerts at "
                + Timestamps.iso(sentAt) + " " + reason + " " + delivery + "}";
    }
}
