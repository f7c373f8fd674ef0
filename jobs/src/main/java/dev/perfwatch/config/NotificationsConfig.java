package dev.perfwatch.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code notifications}: where incidents are sent. Each channel is off until its endpoint is set. A
 * secret (a webhook URL with a token, an SMTP password) can be given as {@code env:NAME}: it is read
 * from the environment where the job runs, so it is in no file, no job graph and no log.
 */
public class NotificationsConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public boolean enabled;
    /** Delivery retries: exponential backoff with jitter from initial to max, for as long as it takes. */
    public Duration retryInitialBackoff;
    public Duration retryMaxBackoff;
    /** A notification not delivered by then is recorded as failed. */
    public Duration giveUpAfter;
    /** One attempt's timeout. */
    public Duration timeout;
    /** Per channel: at most this many notifications per minute, with bursts up to {@code burst}. */
    public double ratePerMinute;
    public int burst;
    public Webhook webhook;
    public Slack slack;
    public Email email;
    public Alertmanager alertmanager;

    /** What a channel sends: alerts of at least this severity, of these components (all when empty). */
    public static class Route implements Serializable {
        private static final long serialVersionUID = 1L;
        public String minSeverity;
        public List<String> components = new ArrayList<>();
    }

    public static class Webhook extends Route {
        private static final long serialVersionUID = 1L;
        public String url;
    }

    public static class Slack extends Route {
        private static final long serialVersionUID = 1L;
        public String webhookUrl;
    }

    public static class Email extends Route {
        private static final long serialVersionUID = 1L;
        public String smtpHost;
        public int smtpPort;
        public boolean starttls;
        public String username;
        /** {@code env:NAME} (the default names PERFWATCH_SMTP_PASSWORD), or null for no login. */
        public String password;
        public String from;
        public List<String> to = new ArrayList<>();
    }

    public static class Alertmanager extends Route {
        private static final long serialVersionUID = 1L;
        public String url;
        /** The alerts' generatorURL (the alert id is appended as a fragment). */
        public String generatorUrl;
    }

    void validate(Check c) {
        c.positive(retryInitialBackoff, "retry-initial-backoff");
        c.positive(retryMaxBackoff, "retry-max-backoff");
        c.positive(timeout, "timeout");
        c.positive(giveUpAfter, "give-up-after");
        c.positive(ratePerMinute, "rate-per-minute");
        c.atLeast(burst, 1, "burst");
        c.section(webhook, "webhook");
        c.section(slack, "slack");
        c.section(email, "email");
        c.section(alertmanager, "alertmanager");
        route(webhook, c.in("webhook"));
        route(slack, c.in("slack"));
        route(email, c.in("email"));
        route(alertmanager, c.in("alertmanager"));
        url(webhook.url, c.in("webhook"), "url");
        url(slack.webhookUrl, c.in("slack"), "webhook-url");
        url(alertmanager.url, c.in("alertmanager"), "url");
        if (email.smtpHost != null) {
            if (email.from == null || email.to == null || email.to.isEmpty()) {
                throw c.in("email").fail("to", "an SMTP host needs from and at least one to address");
            }
            if (email.smtpPort <= 0 || email.smtpPort > 65535) {
                throw c.in("email").fail("smtp-port", "expected a port, got " + email.smtpPort);
            }
        }
    }

    private static void route(Route r, Check c) {
        if (r.minSeverity != null && !List.of("info", "warning", "critical").contains(r.minSeverity)) {
            throw c.fail("min-severity", "expected info, warning or critical, got '" + r.minSeverity + "'");
        }
    }

    /** A URL, or env:NAME; the value itself is never put in a message (it may carry a token). */
    private static void url(String v, Check c, String key) {
        if (v == null || v.startsWith("env:")) {
            return;
        }
        if (!(v.startsWith("http://") || v.startsWith("https://"))) {
            throw c.fail(key, "expected an http(s) URL or env:NAME (the value is not shown: it may hold a token)");
        }
    }
}
