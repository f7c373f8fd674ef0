package dev.perfwatch.cli;

import dev.perfwatch.Perfwatch;
import dev.perfwatch.pipeline.Counters;
import dev.perfwatch.pipeline.OutputKind;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A person acknowledges and silences from the CLI while {@code monitor --watch} runs, and sees it
 * take effect: the commands are picked up from the control directory, applied at their time, and show
 * in alert-events/ and in {@code alerts list}.
 */
class WatchedAlertsTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = dev.perfwatch.pipeline.TestClusters.twoSlots();

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    /** Samples every 10 s over [fromMinute, toMinute): web's cpu_usage and search's search_response_time at the given values. */
    private static void write(Path file, int fromMinute, int toMinute, double cpu, double search) throws Exception {
        StringBuilder b = new StringBuilder();
        for (long s = fromMinute * 60L; s < toMinute * 60L; s += 10) {
            String ts = T0.plusSeconds(s).toString();
            b.append(String.format(Locale.ROOT, "{\"timestamp\":\"%s\",\"component\":\"web\",\"metric\":\"cpu_usage\",\"value\":%.1f}%n", ts, cpu));
            b.append(String.format(Locale.ROOT, "{\"timestamp\":\"%s\",\"component\":\"search\",\"metric\":\"search_response_time\",\"value\":%.1f}%n", ts, search));
        }
        Path tmp = file.resolveSibling("." + file.getFileName());
        Files.writeString(tmp, b.toString());
        Files.move(tmp, file);
    }

    private Path out;

    private void waitFor(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; alert-events so far: " + (out == null ? "-" : events(out)));
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll interval
        }
    }

    private static List<JsonNode> events(Path out) {
        return new OutputTables(out).rows(OutputKind.ALERT_EVENTS);
    }

    private static boolean has(Path out, String component, String to, String reasonPrefix) {
        return events(out).stream().anyMatch(e -> e.path("component").asText().equals(component) && e.path("to").asText().equals(to)
                && e.path("reason").asText().startsWith(reasonPrefix));
    }

    private static JobID running(ClusterClient<?> client) throws Exception {
        for (JobStatusMessage job : client.listJobs().get()) {
            if (job.getJobState() == JobStatus.RUNNING) {
                return job.getJobId();
            }
        }
        return null;
    }

    private static String cli(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Perfwatch.run(args), String.join(" ", args));
        } finally {
            System.setOut(before);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void acknowledgeAndSilenceFromTheCliTakeEffectWhileMonitorWatches(@InjectClusterClient ClusterClient<?> client) throws Exception {
        Path in = Files.createDirectories(dir.resolve("incoming"));
        out = dir.resolve("out");
        Thread monitor = new Thread(() -> Perfwatch.run("monitor", "--input", in.toString(), "--watch", "--watch-interval", "200ms",
                "--output", out.toString(), "--set", "output.checkpoint-interval=300ms"), "monitor --watch");
        monitor.setDaemon(true);
        monitor.start();
        waitFor("the watched job to run", () -> {
            try {
                return running(client) != null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JobID job = running(client);
        try {
            // 10:00-10:20: web's CPU critical from the start, search fine
            write(in.resolve("part-1.jsonl"), 0, 20, 97.0, 120.0);
            waitFor("web's CPU alert to fire", () -> has(out, "web", "firing", "raised: web/cpu_usage threshold:cpu_usage:critical"));
            String alertId = events(out).stream().filter(e -> e.path("rule").asText().equals("threshold:cpu_usage:critical"))
                    .findFirst().orElseThrow().path("alert_id").asText();

            String acked = cli("alerts", "ack", alertId, "--by", "ana", "--comment", "on it", "--at", "2026-11-26T10:20:00Z", "--output", out.toString());
            assertTrue(acked.startsWith("acknowledged " + alertId + " by ana at 2026-11-26T10:20:00Z"), acked);
            String silenced = cli("alerts", "silence", "--match", "component=search", "--starts", "2026-11-26T10:20:00Z", "--for", "1h",
                    "--by", "ana", "--comment", "reindexing", "--id", "reindex-1", "--at", "2026-11-26T10:20:00Z", "--output", out.toString());
            assertTrue(silenced.startsWith("silence reindex-1 {component=search} from 2026-11-26T10:20:00Z to 2026-11-26T11:20:00Z by ana"), silenced);
            waitFor("the monitor to read both commands", () -> {
                try {
                    Map<String, Object> acc = client.getAccumulators(job).get();
                    return Long.valueOf(2).equals(acc.get(Counters.accumulator(Counters.COMMANDS)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // 10:20-10:40: web still critical, search now critical too (but silenced)
            write(in.resolve("part-2.jsonl"), 20, 40, 97.0, 950.0);
            waitFor("the acknowledgement", () -> has(out, "web", "acknowledged", "acknowledged"));
            waitFor("search's alert, silenced", () -> has(out, "search", "suppressed", "silenced by reindex-1 (reindexing)"));
            JsonNode ack = events(out).stream().filter(e -> e.path("to").asText().equals("acknowledged")).findFirst().orElseThrow();
            assertEquals(alertId, ack.path("alert_id").asText());
            assertEquals("2026-11-26T10:20:00Z", ack.path("at").asText());
            assertEquals("ana", ack.path("by").asText());
            assertEquals("on it", ack.path("comment").asText());
            assertTrue(events(out).stream().noneMatch(e -> e.path("component").asText().equals("search") && e.path("to").asText().equals("firing")),
                    "search never fires while silenced");
            List<JsonNode> notifications = new OutputTables(out).rows(OutputKind.NOTIFICATIONS);
            assertTrue(notifications.stream().noneMatch(n -> n.path("group_key").asText().equals("component=search")), notifications.toString());

            String list = cli("alerts", "list", "--output", out.toString());
            String webLine = list.lines().filter(l -> l.startsWith(alertId)).findFirst().orElseThrow(() -> new AssertionError(list));
            assertTrue(webLine.contains("acknowledged") && webLine.contains("(ana: on it)"), webLine);
            assertTrue(list.lines().anyMatch(l -> l.contains("suppressed") && l.contains("search") && l.contains("silenced by reindex-1")), list);
        } finally {
            client.cancel(job).get();
            monitor.join(Duration.ofMinutes(1).toMillis());
        }
    }
}
