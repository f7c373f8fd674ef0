package dev.perfwatch.notify;

import dev.perfwatch.config.LifecycleConfig;
import dev.perfwatch.config.NotificationsConfig;
import dev.perfwatch.model.Notification;

import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.util.concurrent.TimeUnit;

/** The notification path: route to channels, rate limit per channel, deliver. */
public final class Notifier {

    /** Notifications in flight at once per delivery subtask. */
    static final int IN_FLIGHT = 100;

    private Notifier() {}

    public static DataStream<Notification> deliver(DataStream<Notification> notifications, NotificationsConfig cfg, LifecycleConfig lifecycle) {
        DataStream<Notification> routed = notifications.flatMap(new Routes(cfg)).returns(Notification.class)
                .uid("notification-routes").name("route notifications");
        DataStream<Notification> limited = routed.keyBy(n -> n.channel)
                .process(new RateLimiter(cfg.ratePerMinute, cfg.burst)).returns(Notification.class)
                .uid("notification-rate-limits").name("rate limits per channel");
        long timeout = cfg.giveUpAfter.toMillis() + cfg.timeout.toMillis() + 60_000;
        return AsyncDataStream.unorderedWait(limited, new Delivery(cfg, lifecycle), timeout, TimeUnit.MILLISECONDS, IN_FLIGHT)
                .returns(Notification.class)
                .uid("notification-delivery").name("deliver notifications");
    }
}
