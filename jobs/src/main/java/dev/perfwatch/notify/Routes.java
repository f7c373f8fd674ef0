package dev.perfwatch.notify;

import dev.perfwatch.config.NotificationsConfig;
import dev.perfwatch.model.Notification;
import dev.perfwatch.model.Severity;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Routes each notification to the channels that take it (configured, severity at least the channel's
 * {@code min-severity}, component among its {@code components} when listed): one row per channel. A
 * notification no channel takes is still a row, channel {@code none}, delivery {@code not_configured}
 * (no channel at all) or {@code not_routed}, so notifications/ always has every notification.
 */
public final class Routes implements FlatMapFunction<Notification, Notification> {

    private static final long serialVersionUID = 1L;
    public static final String NONE = "none";

    private final boolean enabled;
    /** The configured channels and what each takes, worked out once. */
    private final List<String> channels;
    private final List<Severity> minSeverities = new ArrayList<>();
    private final List<List<String>> components = new ArrayList<>();

    public Routes(NotificationsConfig cfg) {
        this.enabled = cfg.enabled;
        this.channels = configured(cfg);
        for (String channel : channels) {
            NotificationsConfig.Route route = route(cfg, channel);
            minSeverities.add(route.minSeverity == null ? Severity.INFO : Severity.valueOf(route.minSeverity.toUpperCase(Locale.ROOT)));
            components.add(route.components == null ? List.of() : new ArrayList<>(route.components));
        }
    }

    /** The configured channels' names, in a fixed order. */
    public static List<String> configured(NotificationsConfig cfg) {
        List<String> out = new ArrayList<>();
        if (cfg.webhook.url != null) {
            out.add("webhook");
        }
        if (cfg.slack.webhookUrl != null) {
            out.add("slack");
        }
        if (cfg.email.smtpHost != null) {
            out.add("email");
        }
        if (cfg.alertmanager.url != null) {
            out.add("alertmanager");
        }
        return out;
    }

    static NotificationsConfig.Route route(NotificationsConfig cfg, String channel) {
        switch (channel) {
            case "webhook": return cfg.webhook;
            case "slack": return cfg.slack;
            case "email": return cfg.email;
            case "alertmanager": return cfg.alertmanager;
            default: throw new IllegalArgumentException("no channel " + channel);
        }
    }

    static boolean takes(Severity min, List<String> components, Notification n) {
        if (n.severity().compareTo(min) < 0) {
            return false;
        }
        return components.isEmpty() || n.alerts.stream().anyMatch(a -> components.contains(a.component));
    }

    @Override
    public void flatMap(Notification n, Collector<Notification> out) {
        boolean any = false;
        for (int i = 0; i < channels.size(); i++) {
            if (enabled && takes(minSeverities.get(i), components.get(i), n)) {
                Notification copy = n.copy();
                copy.channel = channels.get(i);
                out.collect(copy);
                any = true;
            }
        }
        if (!any) {
            Notification copy = n.copy();
            copy.channel = NONE;
            copy.delivery = !enabled || channels.isEmpty() ? "not_configured" : "not_routed";
            out.collect(copy);
        }
    }
}
