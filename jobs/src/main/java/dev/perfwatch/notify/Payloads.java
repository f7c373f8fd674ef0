package dev.perfwatch.notify;

import dev.perfwatch.model.LifecycleState;
import dev.perfwatch.model.Notification;
import dev.perfwatch.model.OutputJson;
import dev.perfwatch.model.Timestamps;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/** What each channel sends for a notification: the webhook's JSON, Slack's blocks, the e-mail, Alertmanager's alerts. */
public final class Payloads {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Slack allows 50 blocks; a long incident lists its first alerts and says how many more. */
    static final int SLACK_MAX_ALERTS = 20;

    private Payloads() {}

    /** One line: [FIRING] api: 2 alerts (critical). */
    public static String title(Notification n) {
        return "[" + n.status.toUpperCase(Locale.ROOT) + "] " + n.groupKey + ": " + n.alerts.size()
                + (n.alerts.size() == 1 ? " alert" : " alerts") + " (" + n.severity().code() + ")";
    }

    /** The webhook body: the notification and its alerts (the same fields as notifications/, without the delivery). */
    public static ObjectNode webhook(Notification n) {
        ObjectNode o = F.objectNode();
        o.put("version", 1);
        o.put("notification_id", n.notificationId);
        o.put("group_key", n.groupKey);
        o.put("status", n.status);
        o.put("severity", n.severity().code());
        o.put("reason", n.reason);
        o.put("sent_at", Timestamps.iso(n.sentAt));
        o.put("title", title(n));
        o.set("alerts", OutputJson.MAPPER.valueToTree(n.alerts));
        return o;
    }

    /** Slack incoming-webhook payload: a header, then per alert its severity, component, metric, value vs level and evidence. */
    public static ObjectNode slack(Notification n) {
        ObjectNode o = F.objectNode();
        o.put("text", title(n));
        ArrayNode blocks = o.putArray("blocks");
        blocks.addObject().put("type", "header").set("text", plain(title(n)));
        int shown = 0;
        for (Notification.NotifiedAlert a : n.alerts) {
            if (shown++ == SLACK_MAX_ALERTS) {
                blocks.addObject().put("type", "section").set("text",
                        markdown("… and " + (n.alerts.size() - SLACK_MAX_ALERTS) + " more alerts"));
                break;
            }
            ObjectNode section = blocks.addObject().put("type", "section");
            section.set("text", markdown((a.state == LifecycleState.RESOLVED ? ":white_check_mark: " : icon(a)) + "*" + escape(a.rule) + "*"
                    + " (" + a.state.code() + ")\n" + escape(a.summary)));
            ArrayNode fields = section.putArray("fields");
            fields.add(markdown("*Severity*\n" + a.severity.code()));
            fields.add(markdown("*Component*\n" + escape(a.component)));
            fields.add(markdown("*Metric*\n" + (a.metric == null ? "-" : escape(a.metric))));
            fields.add(markdown("*Value vs level*\n" + number(a.value) + " vs " + number(a.threshold)));
        }
        blocks.addObject().put("type", "context").putArray("elements")
                .add(markdown("perfwatch · " + n.reason + " · " + Timestamps.iso(n.sentAt) + " · " + n.notificationId));
        return o;
    }

    /** The e-mail's subject. */
    public static String emailSubject(Notification n) {
        return "[perfwatch] " + title(n);
    }

    /** The e-mail's plain-text body. */
    public static String emailBody(Notification n) {
        StringBuilder b = new StringBuilder();
        b.append(title(n)).append("\n\n");
        for (Notification.NotifiedAlert a : n.alerts) {
            b.append("- ").append(a.severity.code().toUpperCase(Locale.ROOT)).append(' ').append(a.rule).append(" (").append(a.state.code()).append(")\n");
            b.append("  ").append(a.summary).append('\n');
            b.append("  component ").append(a.component).append(", metric ").append(a.metric == null ? "-" : a.metric)
                    .append(", value ").append(number(a.value)).append(" vs level ").append(number(a.threshold)).append('\n');
            b.append("  since ").append(Timestamps.iso(a.startsAt));
            if (a.endsAt != null) {
                b.append(", resolved ").append(Timestamps.iso(a.endsAt));
            }
            b.append(", alert_id ").append(a.alertId).append("\n\n");
        }
        b.append("Sent by perfwatch at ").append(Timestamps.iso(n.sentAt)).append(" (").append(n.reason).append("), notification ")
                .append(n.notificationId).append('\n');
        b.append("Acknowledge: ./perfwatch alerts ack ALERT_ID --by NAME\n");
        return b.toString();
    }

    /**
     * Alertmanager's POST /api/v2/alerts body: one alert per alert, labelled so Alertmanager's own
     * routing, grouping and silences apply. A firing alert's endsAt is {@code aliveUntil} (a wall-clock
     * time past the next repeat, so it stays active while perfwatch keeps it firing); a resolved alert
     * ends when it resolved.
     */
    public static ArrayNode alertmanager(Notification n, String generatorUrl, long aliveUntil) {
        ArrayNode alerts = F.arrayNode();
        for (Notification.NotifiedAlert a : n.alerts) {
            ObjectNode alert = alerts.addObject();
            ObjectNode labels = alert.putObject("labels");
            labels.put("alertname", a.rule);
            labels.put("alert_id", a.alertId);
            labels.put("component", a.component);
            if (a.metric != null) {
                labels.put("metric", a.metric);
            }
            labels.put("severity", a.severity.code());
            labels.put("kind", a.kind.code());
            labels.put("source", "perfwatch");
            ObjectNode annotations = alert.putObject("annotations");
            annotations.put("summary", a.summary);
            annotations.put("state", a.state.code());
            if (a.value != null) {
                annotations.put("value", number(a.value));
            }
            if (a.threshold != null) {
                annotations.put("level", number(a.threshold));
            }
            annotations.put("notification_id", n.notificationId);
            alert.put("startsAt", Timestamps.iso(a.startsAt));
            alert.put("endsAt", Timestamps.iso(a.endsAt != null ? a.endsAt : Math.max(aliveUntil, a.startsAt + 1)));
            alert.put("generatorURL", (generatorUrl == null ? "http://localhost:8081/" : generatorUrl) + "#alert=" + a.alertId);
        }
        return alerts;
    }

    private static String icon(Notification.NotifiedAlert a) {
        switch (a.severity) {
            case CRITICAL: return ":red_circle: ";
            case WARNING: return ":large_orange_circle: ";
            default: return ":large_blue_circle: ";
        }
    }

    static String number(Double v) {
        return v == null || !Double.isFinite(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static ObjectNode plain(String text) {
        return F.objectNode().put("type", "plain_text").put("text", text.length() > 150 ? text.substring(0, 149) + "…" : text);
    }

    private static ObjectNode markdown(String text) {
        return F.objectNode().put("type", "mrkdwn").put("text", text);
    }

    /** Slack's mrkdwn escapes: &, <, >. */
    static String escape(String s) {
        return s == null ? "-" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
