package dev.perfwatch.notify;

import dev.perfwatch.model.LifecycleState;
import dev.perfwatch.model.Notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alertmanager delivery against a real Alertmanager (Debian's prometheus-alertmanager, which .ci/run
 * installs when missing), started on 127.0.0.1 by the test; alerts are read back through its API.
 */
class AlertmanagerDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path dir;
    private static Process alertmanager;
    private static String base;

    static String binary() {
        String configured = System.getenv("PERFWATCH_ALERTMANAGER");
        if (configured != null) {
            return configured;
        }
        for (String name : List.of("prometheus-alertmanager", "alertmanager")) {
            for (String p : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(p, name))) {
                    return Path.of(p, name).toString();
                }
            }
        }
        return null;
    }

    @BeforeAll
    static void start() throws Exception {
        String bin = binary();
        Assumptions.assumeTrue(bin != null, "Alertmanager is not installed (apt-get install prometheus-alertmanager, or set"
                + " PERFWATCH_ALERTMANAGER to its binary): the Alertmanager delivery test is skipped");
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        alertmanager = new ProcessBuilder(bin, "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        // Ready when /-/ready answers 200 (it takes well under a second; the deadline is for a slow machine).
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!alertmanager.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Alertmanager did not start: " + Files.readString(dir.resolve("alertmanager.log")));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll interval
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.destroy();
            alertmanager.waitFor();
        }
    }

    private static JsonNode alerts(String alertId) throws Exception {
        String filter = URLEncoder.encode("alert_id=\"" + alertId + "\"", StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts?filter=" + filter)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void firingAlertsAreActiveInAlertmanagerWithLabelsAndAnnotationsAndResolvedOnesEnd() throws Exception {
        Notification firing = Notifications.sample(1);
        List<Notification> rows = Notifications.deliver(Notifications.config("notifications.alertmanager.url=" + base,
                "notifications.alertmanager.generator-url=http://flink.example:8081/"), List.of(firing));
        assertEquals("alertmanager", rows.get(0).channel);
        assertEquals("delivered", rows.get(0).delivery, rows.toString());

        Notification.NotifiedAlert cpu = firing.alerts.get(0);
        JsonNode got = alerts(cpu.alertId);
        assertEquals(1, got.size(), got.toString());
        JsonNode a = got.get(0);
        assertEquals("active", a.get("status").get("state").asText());
        JsonNode labels = a.get("labels");
        assertEquals("threshold:cpu_usage:critical", labels.get("alertname").asText());
        assertEquals(cpu.alertId, labels.get("alert_id").asText());
        assertEquals("svc1", labels.get("component").asText());
        assertEquals("cpu_usage", labels.get("metric").asText());
        assertEquals("critical", labels.get("severity").asText());
        assertEquals("threshold", labels.get("kind").asText());
        assertEquals("perfwatch", labels.get("source").asText());
        JsonNode annotations = a.get("annotations");
        assertEquals(cpu.summary, annotations.get("summary").asText());
        assertEquals("97.50", annotations.get("value").asText());
        assertEquals("95.00", annotations.get("level").asText());
        assertEquals(firing.notificationId, annotations.get("notification_id").asText());
        assertEquals(Instant.ofEpochMilli(cpu.startsAt), Instant.parse(a.get("startsAt").asText()));
        assertTrue(Instant.parse(a.get("endsAt").asText()).isAfter(Instant.now().plus(Duration.ofHours(1))),
                "a firing alert stays active past the next repeat: " + a.get("endsAt"));
        assertEquals("http://flink.example:8081/#alert=" + cpu.alertId, a.get("generatorURL").asText());
        // the notification's resolved alert was sent with its end: Alertmanager does not list it as active
        assertEquals(0, alerts(firing.alerts.get(1).alertId).size());

        // the incident resolves: the alert ends in Alertmanager too
        Notification resolved = Notifications.sample(1);
        resolved.status = "resolved";
        resolved.reason = "resolved";
        resolved.notificationId = "0123456789abcdef";
        resolved.alerts.get(0).state = LifecycleState.RESOLVED;
        resolved.alerts.get(0).endsAt = resolved.sentAt;
        Notifications.deliver(Notifications.config("notifications.alertmanager.url=" + base + "/"), List.of(resolved));
        assertEquals(0, alerts(cpu.alertId).size());
    }
}
