package dev.perfwatch.notify;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.LifecycleState;
import dev.perfwatch.model.Notification;
import dev.perfwatch.model.Severity;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.List;

/** Notifications for the delivery tests, and the delivery path run as a Flink job on a MiniCluster. */
final class Notifications {

    static final long T0 = 1_764_147_600_000L; // 2025-11-26T09:00:00Z

    private Notifications() {}

    /** Notification i: group component=svc{i % 3}, one firing critical alert (cpu_usage) and, for odd i, a resolved warning. */
    static Notification sample(int i) {
        Notification n = new Notification();
        n.groupKey = "component=svc" + (i % 3);
        n.sentAt = T0 + i * 60_000L;
        n.reason = "new";
        n.status = "firing";
        n.notificationId = AlertCandidate.fingerprint("notification", n.groupKey, i + "");
        n.alerts.add(alert("threshold:cpu_usage:critical", Severity.CRITICAL, LifecycleState.FIRING, "svc" + (i % 3), "cpu_usage", 97.5, 95.0, n.sentAt));
        if (i % 2 == 1) {
            Notification.NotifiedAlert r = alert("threshold:response_time:warning", Severity.WARNING, LifecycleState.RESOLVED, "svc" + (i % 3),
                    "response_time", 180.0, 300.0, n.sentAt - 600_000);
            r.endsAt = n.sentAt - 60_000;
            n.alerts.add(r);
        }
        return n;
    }

    static Notification.NotifiedAlert alert(String rule, Severity severity, LifecycleState state, String component, String metric,
            Double value, Double threshold, long startsAt) {
        Notification.NotifiedAlert a = new Notification.NotifiedAlert();
        a.alertId = AlertCandidate.fingerprint(rule, component, metric);
        a.rule = rule;
        a.kind = AlertKind.THRESHOLD;
        a.severity = severity;
        a.state = state;
        a.component = component;
        a.metric = metric;
        a.value = value;
        a.threshold = threshold;
        a.startsAt = startsAt;
        a.summary = component + "/" + metric + " " + rule + ", value " + value + " (level " + threshold + ")";
        return a;
    }

    static PerfwatchConfig config(String... overrides) {
        List<String> all = new ArrayList<>(List.of("notifications.retry-initial-backoff=20ms", "notifications.retry-max-backoff=100ms",
                "notifications.timeout=2s", "notifications.give-up-after=30s", "notifications.rate-per-minute=1000", "notifications.burst=1000"));
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all);
    }

    /** Routes, rate limits and delivers the notifications in a Flink job; returns the rows of notifications/. */
    static List<Notification> deliver(PerfwatchConfig config, List<Notification> notifications) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<Notification> out = new ArrayList<>();
        try (CloseableIterator<Notification> it = Notifier.deliver(env.fromData(notifications, TypeInformation.of(Notification.class)),
                config.notifications, config.lifecycle).executeAndCollect("deliver notifications")) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
