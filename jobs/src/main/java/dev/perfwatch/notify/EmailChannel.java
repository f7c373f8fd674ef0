package dev.perfwatch.notify;

import dev.perfwatch.config.NotificationsConfig;
import dev.perfwatch.model.Notification;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * E-mail over SMTP with Jakarta Mail (Eclipse Angus): STARTTLS when configured (required then), a
 * login when a username is set, the password from the environment. Sending blocks, so it runs on the
 * delivery's executor.
 */
public final class EmailChannel implements Channel {

    private final Session session;
    private final NotificationsConfig.Email cfg;
    private final ExecutorService executor;
    private final String password;

    public EmailChannel(NotificationsConfig.Email cfg, Duration timeout, ExecutorService executor) {
        this.cfg = cfg;
        this.executor = executor;
        Properties p = new Properties();
        p.put("mail.smtp.host", cfg.smtpHost);
        p.put("mail.smtp.port", String.valueOf(cfg.smtpPort));
        p.put("mail.smtp.connectiontimeout", String.valueOf(timeout.toMillis()));
        p.put("mail.smtp.timeout", String.valueOf(timeout.toMillis()));
        p.put("mail.smtp.writetimeout", String.valueOf(timeout.toMillis()));
        if (cfg.starttls) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        this.password = cfg.username == null ? null : Secrets.resolve(cfg.password, "notifications.email.password");
        Authenticator auth = null;
        if (cfg.username != null) {
            p.put("mail.smtp.auth", "true");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(cfg.username, password);
                }
            };
        }
        this.session = Session.getInstance(p, auth);
    }

    @Override
    public CompletableFuture<Void> send(Notification n) {
        return CompletableFuture.runAsync(() -> {
            try {
                MimeMessage m = new MimeMessage(session);
                m.setFrom(new InternetAddress(cfg.from));
                for (String to : cfg.to) {
                    m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
                }
                m.setSubject(Payloads.emailSubject(n), "UTF-8");
                m.setText(Payloads.emailBody(n), "UTF-8");
                m.setSentDate(new Date());
                m.setHeader("X-Perfwatch-Notification-Id", n.notificationId);
                Transport.send(m);
            } catch (jakarta.mail.AuthenticationFailedException e) {
                throw new DeliveryException("email: the SMTP server refused the login of " + cfg.username, false);
            } catch (jakarta.mail.internet.AddressException e) {
                throw new DeliveryException("email: bad address: " + e.getRef(), false);
            } catch (MessagingException e) {
                Throwable cause = e.getNextException() != null ? e.getNextException() : e;
                throw new DeliveryException("email: " + cause.getClass().getSimpleName() + ": " + Secrets.redact(cause.getMessage(), password), true);
            }
        }, executor);
    }
}
