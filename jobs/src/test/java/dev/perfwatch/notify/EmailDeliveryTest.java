package dev.perfwatch.notify;

import dev.perfwatch.model.Notification;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** E-mail through a real SMTP server (GreenMail) on 127.0.0.1, logging in with a password from the environment. */
class EmailDeliveryTest {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("perfwatch", "test-only-smtp-password"));

    private String[] email(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(
                "notifications.email.smtp-host=127.0.0.1", "notifications.email.smtp-port=" + smtp.getSmtp().getPort(),
                "notifications.email.from=perfwatch@example.com", "notifications.email.to=[oncall@example.com, sre@example.com]",
                "notifications.email.min-severity=warning"));
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }

    @Test
    void sendsSubjectRecipientsAndBodyLoggingInWithThePasswordFromTheEnvironment() throws Exception {
        Notification n = Notifications.sample(1);
        List<Notification> rows = Notifications.deliver(Notifications.config(email(
                "notifications.email.username=perfwatch", "notifications.email.password=env:PERFWATCH_TEST_SMTP_PASSWORD")), List.of(n));
        assertEquals("email", rows.get(0).channel);
        assertEquals("delivered", rows.get(0).delivery, rows.toString());
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(2, received.length, "one copy per recipient");
        MimeMessage m = received[0];
        assertEquals("[perfwatch] [FIRING] component=svc1: 2 alerts (critical)", m.getSubject());
        assertEquals("perfwatch@example.com", m.getFrom()[0].toString());
        assertEquals(List.of("oncall@example.com", "sre@example.com"),
                Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList());
        assertEquals(n.notificationId, m.getHeader("X-Perfwatch-Notification-Id")[0]);
        String body = ((String) m.getContent()).replace("\r\n", "\n");
        assertTrue(body.startsWith("[FIRING] component=svc1: 2 alerts (critical)\n\n"
                + "- CRITICAL threshold:cpu_usage:critical (firing)\n"
                + "  svc1/cpu_usage threshold:cpu_usage:critical, value 97.5 (level 95.0)\n"
                + "  component svc1, metric cpu_usage, value 97.50 vs level 95.00\n"
                + "  since 2025-11-26T09:01:00Z, alert_id " + n.alerts.get(0).alertId + "\n\n"
                + "- WARNING threshold:response_time:warning (resolved)\n"), body);
        assertTrue(body.contains("  since 2025-11-26T08:51:00Z, resolved 2025-11-26T09:00:00Z, alert_id " + n.alerts.get(1).alertId + "\n"), body);
        assertTrue(body.contains("notification " + n.notificationId), body);
    }

    @Test
    void aRefusedLoginFailsTheRowWithoutThePasswordAndWithoutRetrying() throws Exception {
        List<Notification> rows = Notifications.deliver(Notifications.config(email(
                "notifications.email.username=perfwatch", "notifications.email.password=wrong-password-123")), List.of(Notifications.sample(1)));
        Notification r = rows.get(0);
        assertEquals("failed", r.delivery);
        assertEquals(1, r.attempts);
        assertEquals("email: the SMTP server refused the login of perfwatch", r.error);
        assertFalse(dev.perfwatch.model.OutputJson.toJson(r).contains("wrong-password-123"));
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void belowTheChannelsSeverityNothingIsSent() throws Exception {
        Notification n = Notifications.sample(0);
        n.alerts.forEach(a -> a.severity = dev.perfwatch.model.Severity.INFO);
        List<Notification> rows = Notifications.deliver(Notifications.config(email()), List.of(n));
        assertEquals("not_routed", rows.get(0).delivery);
        assertEquals(0, smtp.getReceivedMessages().length);
    }
}
