package dev.perfwatch.notify;

import dev.perfwatch.model.Notification;
import dev.perfwatch.model.OutputJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhook and Slack delivery against a real HTTP server on 127.0.0.1 (the JDK's), through the same
 * route, rate-limit and async delivery operators the pipeline runs, in a Flink job.
 */
class HttpDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer server;
    private static String base;
    /** Every request: path, Idempotency-Key, body, and the status answered. */
    private static final List<String[]> requests = Collections.synchronizedList(new ArrayList<>());
    /** The next this many requests to /flaky answer 503. */
    private static final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> answer(ex, 200));
        server.createContext("/slack", ex -> answer(ex, 200));
        server.createContext("/flaky", ex -> answer(ex, failuresLeft.getAndDecrement() > 0 ? 503 : 200));
        server.createContext("/gone", ex -> answer(ex, 404));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @BeforeEach
    void reset() {
        requests.clear();
    }

    private static void answer(HttpExchange ex, int status) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new String[] {ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Idempotency-Key"), body,
                String.valueOf(status), ex.getRequestHeaders().getFirst("Content-Type")});
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private static List<String[]> requestsTo(String path) {
        synchronized (requests) {
            return requests.stream().filter(r -> r[0].startsWith(path)).toList();
        }
    }

    @Test
    void webhookPostsTheNotificationWithItsIdempotencyKey() throws Exception {
        Notification n = Notifications.sample(1);
        List<Notification> rows = Notifications.deliver(Notifications.config("notifications.webhook.url=" + base + "/hook"), List.of(n));
        assertEquals(1, rows.size());
        Notification row = rows.get(0);
        assertEquals("webhook", row.channel);
        assertEquals("delivered", row.delivery);
        assertEquals(1, row.attempts);
        assertTrue(row.deliveredAt != null && row.deliveredAt > 0);
        List<String[]> got = requestsTo("/hook");
        assertEquals(1, got.size());
        assertEquals(n.notificationId, got.get(0)[1]);
        assertEquals("application/json", got.get(0)[4]);
        JsonNode body = JSON.readTree(got.get(0)[2]);
        assertEquals(1, body.get("version").asInt());
        assertEquals(n.notificationId, body.get("notification_id").asText());
        assertEquals("component=svc1", body.get("group_key").asText());
        assertEquals("firing", body.get("status").asText());
        assertEquals("critical", body.get("severity").asText());
        assertEquals("new", body.get("reason").asText());
        assertEquals("2025-11-26T09:01:00Z", body.get("sent_at").asText());
        assertEquals("[FIRING] component=svc1: 2 alerts (critical)", body.get("title").asText());
        JsonNode a0 = body.get("alerts").get(0);
        assertEquals(n.alerts.get(0).alertId, a0.get("alert_id").asText());
        assertEquals("threshold:cpu_usage:critical", a0.get("rule").asText());
        assertEquals("threshold", a0.get("kind").asText());
        assertEquals("critical", a0.get("severity").asText());
        assertEquals("firing", a0.get("state").asText());
        assertEquals("svc1", a0.get("component").asText());
        assertEquals("cpu_usage", a0.get("metric").asText());
        assertEquals(97.5, a0.get("value").asDouble());
        assertEquals(95.0, a0.get("threshold").asDouble());
        assertEquals("2025-11-26T09:01:00Z", a0.get("starts_at").asText());
        assertTrue(a0.get("ends_at").isNull());
        JsonNode a1 = body.get("alerts").get(1);
        assertEquals("resolved", a1.get("state").asText());
        assertEquals("2025-11-26T09:00:00Z", a1.get("ends_at").asText());
    }

    @Test
    void slackGetsBlocksWithSeverityComponentValueAndEvidence() throws Exception {
        Notification n = Notifications.sample(1);
        List<Notification> rows = Notifications.deliver(Notifications.config("notifications.slack.webhook-url=" + base + "/slack"), List.of(n));
        assertEquals("slack", rows.get(0).channel);
        assertEquals("delivered", rows.get(0).delivery);
        JsonNode body = JSON.readTree(requestsTo("/slack").get(0)[2]);
        assertEquals("[FIRING] component=svc1: 2 alerts (critical)", body.get("text").asText());
        JsonNode blocks = body.get("blocks");
        assertEquals("header", blocks.get(0).get("type").asText());
        assertEquals("plain_text", blocks.get(0).get("text").get("type").asText());
        assertEquals("[FIRING] component=svc1: 2 alerts (critical)", blocks.get(0).get("text").get("text").asText());
        JsonNode first = blocks.get(1);
        assertEquals("section", first.get("type").asText());
        assertEquals(":red_circle: *threshold:cpu_usage:critical* (firing)\nsvc1/cpu_usage threshold:cpu_usage:critical, value 97.5 (level 95.0)",
                first.get("text").get("text").asText());
        List<String> fields = new ArrayList<>();
        first.get("fields").forEach(f -> fields.add(f.get("text").asText()));
        assertEquals(List.of("*Severity*\ncritical", "*Component*\nsvc1", "*Metric*\ncpu_usage", "*Value vs level*\n97.50 vs 95.00"), fields);
        assertTrue(blocks.get(2).get("text").get("text").asText().startsWith(":white_check_mark: *threshold:response_time:warning* (resolved)"));
        JsonNode context = blocks.get(3);
        assertEquals("context", context.get("type").asText());
        assertEquals("perfwatch · new · 2025-11-26T09:01:00Z · " + n.notificationId, context.get("elements").get(0).get("text").asText());
        assertEquals(4, blocks.size());
    }

    @Test
    void anEndpointThatFailsForAWhileThenRecoversGetsEveryNotificationDuplicatesOnlyWithTheSameKey() throws Exception {
        List<Notification> sent = IntStream.range(0, 12).mapToObj(Notifications::sample).toList();
        failuresLeft.set(25);
        List<Notification> rows = Notifications.deliver(Notifications.config("notifications.webhook.url=" + base + "/flaky"), sent);
        assertEquals(12, rows.size());
        Set<String> ids = sent.stream().map(n -> n.notificationId).collect(Collectors.toSet());
        assertEquals(ids, rows.stream().map(r -> r.notificationId).collect(Collectors.toSet()));
        assertTrue(rows.stream().allMatch(r -> "delivered".equals(r.delivery)), rows.toString());
        List<String[]> got = requestsTo("/flaky");
        assertEquals(25 + 12, got.size(), "25 refused attempts, then one accepted per notification");
        assertEquals(got.size(), rows.stream().mapToInt(r -> r.attempts).sum(), "attempts counted per row");
        assertTrue(rows.stream().anyMatch(r -> r.attempts > 1));
        // every request of a key carried the same body; every key was accepted once
        Map<String, Set<String>> bodies = new HashMap<>();
        Map<String, Integer> accepted = new HashMap<>();
        for (String[] r : got) {
            bodies.computeIfAbsent(r[1], k -> new HashSet<>()).add(r[2]);
            if (r[3].equals("200")) {
                accepted.merge(r[1], 1, Integer::sum);
            }
        }
        assertEquals(ids, bodies.keySet());
        assertTrue(bodies.values().stream().allMatch(b -> b.size() == 1));
        assertEquals(ids, accepted.keySet());
        assertTrue(accepted.values().stream().allMatch(c -> c == 1));
    }

    @Test
    void aDownEndpointNeverFailsTheJobAndItsRowsSayWhy() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        List<Notification> rows = Notifications.deliver(Notifications.config("notifications.webhook.url=http://127.0.0.1:" + closed + "/hook",
                "notifications.give-up-after=300ms"), List.of(Notifications.sample(0), Notifications.sample(1)));
        assertEquals(2, rows.size());
        for (Notification r : rows) {
            assertEquals("failed", r.delivery);
            assertTrue(r.attempts >= 2, r.toString());
            assertEquals("webhook: cannot connect (ConnectException)", r.error);
        }
    }

    @Test
    void aTokenInTheUrlAppearsInNoRowAndARefusalIsNotRetried() throws Exception {
        String token = "T0KEN-s3cr3t-4242";
        List<Notification> rows = Notifications.deliver(Notifications.config("notifications.webhook.url=" + base + "/gone/" + token),
                List.of(Notifications.sample(0)));
        Notification r = rows.get(0);
        assertEquals("failed", r.delivery);
        assertEquals(1, r.attempts, "a 404 does not get better by retrying");
        assertEquals("webhook endpoint answered HTTP 404", r.error);
        assertFalse(OutputJson.toJson(r).contains(token));
        assertFalse(r.toString().contains(token));
    }

    @Test
    void routesBySeverityAndComponentAndRateLimitsPerChannel() throws Exception {
        List<Notification> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Notification n = Notifications.sample(i);
            n.sentAt = Notifications.T0; // all in the same minute
            sent.add(n);
        }
        Notification info = Notifications.sample(7);
        info.alerts.forEach(a -> a.severity = dev.perfwatch.model.Severity.INFO);
        sent.add(info);
        List<Notification> rows = Notifications.deliver(Notifications.config(
                "notifications.webhook.url=" + base + "/hook", "notifications.webhook.min-severity=warning",
                "notifications.slack.webhook-url=" + base + "/slack", "notifications.slack.components=[svc0]",
                "notifications.rate-per-minute=1", "notifications.burst=4"), sent);
        Map<String, Long> byChannelAndDelivery = rows.stream().collect(Collectors.groupingBy(r -> r.channel + " " + r.delivery, Collectors.counting()));
        // webhook: the 6 critical ones, 4 within the burst; slack: svc0's two (i = 0, 3); the info one no channel takes
        assertEquals(Map.of("webhook delivered", 4L, "webhook rate_limited", 2L, "slack delivered", 2L, "none not_routed", 1L), byChannelAndDelivery);
        assertEquals(4, requestsTo("/hook").size());
        assertEquals(2, requestsTo("/slack").size());
        // without any channel: every notification is still a row
        List<Notification> unrouted = Notifications.deliver(Notifications.config(), List.of(Notifications.sample(0)));
        assertEquals("none", unrouted.get(0).channel);
        assertEquals("not_configured", unrouted.get(0).delivery);
    }
}
