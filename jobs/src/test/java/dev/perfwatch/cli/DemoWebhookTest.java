package dev.perfwatch.cli;

import dev.perfwatch.Perfwatch;
import dev.perfwatch.pipeline.OutputKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code perfwatch demo --set notifications.webhook.url=...} POSTs every notification to that URL. */
class DemoWebhookTest {

    @TempDir
    Path dir;

    @Test
    void theDemoPostsItsNotificationsToTheWebhook() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
        List<String> keys = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks/perfwatch", ex -> {
            received.add(json.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            keys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        try {
            Path out = dir.resolve("out");
            int code = Perfwatch.run("demo", "--output", out.toString(),
                    "--set", "notifications.webhook.url=http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/perfwatch");
            assertEquals(0, code);
            List<JsonNode> rows = new OutputTables(out).rows(OutputKind.NOTIFICATIONS);
            assertTrue(rows.size() >= 8, "the demo's incidents: " + rows.size());
            assertTrue(rows.stream().allMatch(r -> r.path("channel").asText().equals("webhook") && r.path("delivery").asText().equals("delivered")
                    && r.path("attempts").asInt() == 1), rows.toString());
            Set<String> ids = rows.stream().map(r -> r.path("notification_id").asText()).collect(Collectors.toSet());
            assertEquals(rows.size(), ids.size());
            assertEquals(ids, Set.copyOf(keys), "each notification posted once, keyed by its id");
            assertEquals(rows.size(), received.size());
            Map<String, JsonNode> byId = new TreeMap<>();
            received.forEach(b -> byId.put(b.path("notification_id").asText(), b));
            for (JsonNode r : rows) {
                JsonNode body = byId.get(r.path("notification_id").asText());
                assertEquals(r.path("group_key").asText(), body.path("group_key").asText());
                assertEquals(r.path("status").asText(), body.path("status").asText());
                assertEquals(r.path("sent_at").asText(), body.path("sent_at").asText());
                assertEquals(r.path("alerts").size(), body.path("alerts").size());
            }
            assertTrue(received.stream().anyMatch(b -> b.path("group_key").asText().equals("component=web") && b.path("status").asText().equals("resolved")));
        } finally {
            server.stop(0);
        }
    }
}
