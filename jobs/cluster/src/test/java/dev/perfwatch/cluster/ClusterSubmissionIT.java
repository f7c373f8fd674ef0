package dev.perfwatch.cluster;

import dev.perfwatch.Perfwatch;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster jar on a real standalone Flink 2.3 session cluster (started by the test on 127.0.0.1):
 * submitted through the REST API, as the web UI's "Submit New Job" does, and through Flink's CLI. Each
 * job's output equals an embedded run of the same command, and the JobManager outlives the submissions.
 * The REST submission runs in streaming mode, the CLI one in batch mode (the default for files read
 * once): each task's blocking exchanges fit a 1.5 GB TaskManager's network memory.
 */
class ClusterSubmissionIT {

    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static Path input;
    static Path expected;
    static final List<String> KINDS = List.of("summaries", "alerts", "regressions", "bottlenecks", "health", "suggestions",
            "alert-events", "notifications", "dead-letters");

    @BeforeAll
    static void start() throws Exception {
        input = dir.resolve("metrics");
        assertEquals(0, Perfwatch.run("generate", "--output", input.toString(), "--duration", "40m", "--seed", "5"));
        expected = dir.resolve("expected");
        assertEquals(0, Perfwatch.run("monitor", "--input", input.toString(), "--output", expected.toString(), "-p", "1"));
        cluster = new StandaloneCluster(Files.createDirectories(dir.resolve("cluster")));
        cluster.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Every line of every file of each output kind, sorted: the content, whatever the files are called. */
    static Map<String, List<String>> content(Path out) throws IOException {
        Map<String, List<String>> byKind = new TreeMap<>();
        for (String kind : KINDS) {
            List<String> lines = new ArrayList<>();
            Path folder = out.resolve(kind);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.walk(folder)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))::iterator) {
                        lines.addAll(Files.readAllLines(f));
                    }
                }
            }
            lines.sort(null);
            byKind.put(kind, lines);
        }
        return byKind;
    }

    @Test
    void submittedThroughTheRestApiTheJobRunsAndTheJobManagerStays() throws Exception {
        String jarId = cluster.uploadJar(Path.of(System.getProperty("perfwatch.clusterJar")));
        Path out = dir.resolve("out-rest");
        String body = StandaloneCluster.JSON.writeValueAsString(Map.of("programArgsList",
                List.of("monitor", "--mode", "streaming", "--input", input.toString(), "--output", out.toString())));
        JsonNode run = cluster.post("/jars/" + jarId + "/run", "application/json", HttpRequest.BodyPublishers.ofString(body));
        String jobId = run.path("jobid").asText();
        assertEquals("FINISHED", cluster.awaitJob(jobId), cluster.logs());
        assertTrue(cluster.jobManagerAlive(), "the JobManager is still running after the REST submission");
        assertEquals(1, cluster.get("/overview").path("taskmanagers").asInt());
        Map<String, List<String>> got = content(out);
        Map<String, List<String>> want = content(expected);
        assertTrue(want.get("summaries").size() > 1000, "the embedded run wrote summaries: " + want.get("summaries").size());
        assertEquals(want, got, "the cluster's output equals the embedded run's");
        assertTrue(cluster.log("jobmanager.out").contains("keeps its checkpoints in the JobManager's memory"),
                "a streaming job on a cluster without a checkpoint directory is warned about it: " + cluster.logs());
    }

    @Test
    void submittedWithFlinkRunABatchJobRunsAtTheClustersParallelismAndCommitsItsOutput() throws Exception {
        Path out = dir.resolve("out-cli");
        Path log = dir.resolve("flink-run.log");
        int code = cluster.flink(log, "run", System.getProperty("perfwatch.clusterJar"),
                "monitor", "--input", input.toString(), "--output", out.toString());
        assertEquals(0, code, Files.readString(log) + cluster.logs());
        assertTrue(Files.readString(log).contains("samples accepted"), "the run report is printed: " + Files.readString(log));
        assertEquals(content(expected), content(out), "the cluster's output equals the embedded run's");
        assertTrue(cluster.jobManagerAlive());
    }

    @Test
    void aBackfillSubmittedWithFlinkRunReplacesItsRangeAsAnEmbeddedOneDoes() throws Exception {
        String[] range = {"--from", "2026-11-26T08:00:00Z", "--to", "2026-11-26T09:00:00Z"};
        Path want = dir.resolve("backfill-embedded");
        List<String> embedded = new ArrayList<>(List.of("backfill", "--input", input.toString(), "--output", want.toString(), "-p", "1"));
        embedded.addAll(List.of(range));
        assertEquals(0, Perfwatch.run(embedded.toArray(String[]::new)));
        Path out = dir.resolve("backfill-cli");
        Path log = dir.resolve("flink-run-backfill.log");
        List<String> args = new ArrayList<>(List.of("run", System.getProperty("perfwatch.clusterJar"), "backfill", "--input",
                input.toString(), "--output", out.toString()));
        args.addAll(List.of(range));
        assertEquals(0, cluster.flink(log, args.toArray(String[]::new)), Files.readString(log) + cluster.logs());
        assertTrue(Files.readString(log).contains("partitions 2026-11-26T08:00:00Z to 2026-11-26T09:00:00Z replaced"), Files.readString(log));
        Map<String, List<String>> expected = content(want);
        assertTrue(expected.get("summaries").size() > 1000);
        assertEquals(expected, content(out), "the cluster's backfill equals the embedded one");
    }
}
