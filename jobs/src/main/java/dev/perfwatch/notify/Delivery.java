package dev.perfwatch.notify;

import dev.perfwatch.config.LifecycleConfig;
import dev.perfwatch.config.NotificationsConfig;
import dev.perfwatch.model.Notification;
import dev.perfwatch.model.OutputJson;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delivers each routed notification on its channel, asynchronously (Flink's async I/O: many in
 * flight, none blocking the job). A failed attempt that can succeed later (refused connection,
 * timeout, 429, 5xx) is retried with exponential backoff and full jitter, from
 * {@code retry-initial-backoff} up to {@code retry-max-backoff}, until {@code give-up-after}; then, or
 * at once for an answer retrying cannot change (400, 401, 404), the row says {@code failed} with the
 * error. An endpoint that is down never fails the job. In-flight notifications are part of Flink's
 * checkpoints, so after a restart they are sent again: at-least-once, a duplicate always with the
 * same Idempotency-Key (the notification_id).
 */
public final class Delivery extends RichAsyncFunction<Notification, Notification> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final NotificationsConfig cfg;
    private final LifecycleConfig lifecycle;
    private transient Map<String, Channel> channels;
    private transient ScheduledExecutorService scheduler;
    private transient ExecutorService blocking;

    public Delivery(NotificationsConfig cfg, LifecycleConfig lifecycle) {
        this.cfg = cfg;
        this.lifecycle = lifecycle;
    }

    @Override
    public void open(OpenContext openContext) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "perfwatch-delivery-retries"));
        blocking = Executors.newFixedThreadPool(2, r -> daemon(r, "perfwatch-delivery-email"));
        channels = channels(cfg, lifecycle, blocking);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The configured channels, secrets resolved from the environment. */
    public static Map<String, Channel> channels(NotificationsConfig cfg, LifecycleConfig lifecycle, ExecutorService blocking) {
        Map<String, Channel> out = new HashMap<>();
        if (cfg.webhook.url != null) {
            out.put("webhook", new HttpChannel("webhook", Secrets.resolve(cfg.webhook.url, "notifications.webhook.url"), cfg.timeout,
                    n -> OutputJson.toJson(Payloads.webhook(n))));
        }
        if (cfg.slack.webhookUrl != null) {
            out.put("slack", new HttpChannel("slack", Secrets.resolve(cfg.slack.webhookUrl, "notifications.slack.webhook-url"), cfg.timeout,
                    n -> OutputJson.toJson(Payloads.slack(n))));
        }
        if (cfg.email.smtpHost != null) {
            out.put("email", new EmailChannel(cfg.email, cfg.timeout, blocking));
        }
        if (cfg.alertmanager.url != null) {
            String base = Secrets.resolve(cfg.alertmanager.url, "notifications.alertmanager.url");
            String url = base.replaceAll("/+$", "") + "/api/v2/alerts";
            long alive = lifecycle.repeatInterval.toMillis() + lifecycle.groupInterval.toMillis() + cfg.giveUpAfter.toMillis();
            out.put("alertmanager", new HttpChannel("alertmanager", url, cfg.timeout,
                    n -> OutputJson.toJson(Payloads.alertmanager(n, cfg.alertmanager.generatorUrl, System.currentTimeMillis() + alive))));
        }
        return out;
    }

    @Override
    public void asyncInvoke(Notification n, ResultFuture<Notification> result) {
        Channel channel = n.delivery == null ? channels.get(n.channel) : null;
        if (channel == null) {
            result.complete(List.of(n)); // rate limited or not routed: nothing to send
            return;
        }
        attempt(channel, n, 1, System.currentTimeMillis() + cfg.giveUpAfter.toMillis(), result);
    }

    private void attempt(Channel channel, Notification n, int attempt, long deadline, ResultFuture<Notification> result) {
        channel.send(n).whenComplete((ok, error) -> {
            n.attempts = attempt;
            if (error == null) {
                n.delivery = "delivered";
                n.deliveredAt = System.currentTimeMillis();
                n.error = null;
                result.complete(List.of(n));
                return;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            DeliveryException d = cause instanceof DeliveryException ? (DeliveryException) cause
                    : new DeliveryException(n.channel + ": " + cause.getClass().getSimpleName(), true);
            n.error = d.getMessage();
            long wait = backoff(attempt);
            if (!d.retryable() || System.currentTimeMillis() + wait > deadline) {
                n.delivery = "failed";
                LOG.warn("notification {} on {} failed after {} attempts: {}", n.notificationId, n.channel, attempt, d.getMessage());
                result.complete(List.of(n));
                return;
            }
            if (attempt == 1 || attempt % 10 == 0) {
                LOG.info("notification {} on {}: attempt {} failed ({}), retrying in {} ms", n.notificationId, n.channel, attempt, d.getMessage(), wait);
            }
            scheduler.schedule(() -> attempt(channel, n, attempt + 1, deadline, result), wait, TimeUnit.MILLISECONDS);
        });
    }

    /** Full jitter: uniform in [cap/2, cap], cap = initial * 2^(attempt-1) up to the maximum. */
    long backoff(int attempt) {
        long cap = Math.min(cfg.retryMaxBackoff.toMillis(), cfg.retryInitialBackoff.toMillis() << Math.min(30, attempt - 1));
        return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    }

    @Override
    public void timeout(Notification n, ResultFuture<Notification> result) {
        n.delivery = "failed";
        n.error = (n.error == null ? "" : n.error + "; ") + "not delivered within " + org.apache.flink.util.TimeUtils.formatWithHighestUnit(cfg.giveUpAfter);
        result.complete(List.of(n));
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (blocking != null) {
            blocking.shutdownNow();
        }
        if (channels != null) {
            channels.values().forEach(Channel::close);
        }
    }
}
