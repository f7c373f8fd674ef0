package dev.perfwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.table.gateway.SqlGateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ./perfwatch gateway: Flink's SQL Gateway on 127.0.0.1 whose new sessions already have perfwatch's
 * functions and an output folder's tables; a session opened over REST runs the README's "current health
 * per component" query over the demo's output, and its rows, fetched over REST, are the newest score of
 * each component in health/ (read here from the files).
 */
class GatewayCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSessionOverRestQueriesTheOutputTables() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(0, dev.perfwatch.Perfwatch.run("demo", "-o", out.toString()));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        GatewayCommand command = new GatewayCommand();
        new picocli.CommandLine(command).parseArgs("--output", out.toString(), "--port", Integer.toString(port));
        SqlGateway gateway = command.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String base = "http://127.0.0.1:" + port;
            String session = post(http, base + "/v1/sessions", "{}").get("sessionHandle").asText();
            String statement = "SELECT component, score FROM (SELECT component, score, ROW_NUMBER() OVER (PARTITION BY component "
                    + "ORDER BY window_start DESC) AS rn FROM health) WHERE rn = 1";
            Map<String, Double> got = new TreeMap<>();
            for (JsonNode fields : rows(http, base, session, statement)) {
                got.put(fields.get(0).asText(), fields.get(1).asDouble());
            }
            // Independently, from the files: each component's score in its newest window.
            Map<String, Double> want = new TreeMap<>();
            Map<String, String> newest = new TreeMap<>();
            try (Stream<Path> files = Files.walk(out.resolve("health"))) {
                for (Path f : files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                    for (String line : Files.readAllLines(f)) {
                        JsonNode h = JSON.readTree(line);
                        String c = h.get("component").asText();
                        String at = h.get("window_start").asText();
                        if (newest.get(c) == null || at.compareTo(newest.get(c)) > 0) {
                            newest.put(c, at);
                            want.put(c, h.get("score").asDouble());
                        }
                    }
                }
            }
            assertTrue(want.size() >= 7, want.toString());
            assertEquals(want, got);
            // The job's levels are there too (sql-init's job parameter, read by the functions jar's level functions).
            assertEquals(80.0, rows(http, base, session, "SELECT warning_level('web', 'cpu_usage')").get(0).get(0).asDouble());
        } finally {
            gateway.stop();
        }
    }

    /**
     * Runs a statement in the session and fetches every page of its result over REST, each row's fields
     * (NOT_READY pages while the query runs: the next request is the poll, bounded by a deadline).
     */
    static java.util.List<JsonNode> rows(HttpClient http, String base, String session, String statement) throws Exception {
        String operation = post(http, base + "/v1/sessions/" + session + "/statements",
                JSON.writeValueAsString(Map.of("statement", statement))).get("operationHandle").asText();
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        String next = "/v1/sessions/" + session + "/operations/" + operation + "/result/0";
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (next != null) {
            assertTrue(System.nanoTime() < deadline, "results within 3 minutes");
            JsonNode page = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + next)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(page.has("resultType"), page.toString());
            for (JsonNode row : page.path("results").path("data")) {
                out.add(row.path("fields"));
            }
            String type = page.get("resultType").asText();
            next = type.equals("EOS") ? null : page.path("nextResultUri").asText(null);
        }
        return out;
    }

    private static JsonNode post(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
