package dev.perfwatch.pipeline;

import dev.perfwatch.Perfwatch;
import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A streaming job stopped with a savepoint midway through its input and resumed from it, at another
 * parallelism and on another state backend (RocksDB instead of the heap), writes the same summaries,
 * alerts, findings, bottlenecks, health, suggestions and alert events as a run that was never
 * interrupted: nothing lost, nothing doubled. The random cut forests, which live in memory, are
 * rebuilt from state after the restore and score as if never stopped.
 */
class SavepointResumeTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.twoSlots(fastAccumulators());

    static final List<String> KINDS = List.of("summaries", "alerts", "regressions", "bottlenecks", "health", "suggestions",
            "alert-events", "notifications", "dead-letters");

    @TempDir
    Path dir;

    /** Accumulators reach the JobManager with the TaskManager's heartbeats: often, so the test sees progress soon. */
    private static Configuration fastAccumulators() {
        Configuration c = new Configuration();
        c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(300));
        return c;
    }

    @Test
    void stoppedWithASavepointAndResumedElsewhereItWritesWhatAnUninterruptedRunWrites() throws Exception {
        Path generated = dir.resolve("generated");
        assertEquals(0, Perfwatch.run("generate", "--output", generated.toString(), "--duration", "150m", "--seed", "13"));
        // Each component's file in two: before and from the middle of the period (bad lines stay in the first).
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        long firstLines = 0;
        long secondLines = 0;
        long middle = Instant.parse("2026-11-26T09:15:00Z").toEpochMilli();
        try (Stream<Path> files = Files.list(generated)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                List<String> before = new ArrayList<>();
                List<String> after = new ArrayList<>();
                for (String line : Files.readAllLines(f)) {
                    (OutputFiles.timestampOf(line) >= middle ? after : before).add(line);
                }
                String name = f.getFileName().toString().replace(".jsonl", "");
                Files.write(first.resolve(name + "-1.jsonl"), before);
                Files.write(second.resolve(name + "-2.jsonl"), after);
                firstLines += before.size();
                secondLines += after.size();
            }
        }
        assertTrue(firstLines > 10_000 && secondLines > 10_000, firstLines + " / " + secondLines);

        // Uninterrupted: every file there from the start.
        Path whole = Files.createDirectories(dir.resolve("in-whole"));
        copyAll(first, whole);
        copyAll(second, whole);
        Path expectedOut = dir.resolve("out-whole");
        JobClient reference = start(whole, expectedOut, 2, null, null);
        awaitLines(reference, firstLines + secondLines);
        reference.stopWithSavepoint(true, dir.resolve("sp-whole").toUri().toString(), SavepointFormatType.CANONICAL).get();

        // Interrupted: the first half, a savepoint, then the second half at parallelism 1 on RocksDB.
        Path watched = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        copyAll(first, watched);
        JobClient before = start(watched, out, 2, null, null);
        awaitLines(before, firstLines);
        String savepoint = before.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        Map<String, List<String>> midway = content(out);
        assertFalse(midway.get("summaries").isEmpty(), "the first run wrote what it had finished");
        copyAll(second, watched);
        JobClient after = start(watched, out, 1, savepoint, "rocksdb");
        awaitLines(after, secondLines);
        after.stopWithSavepoint(true, dir.resolve("sp-end").toUri().toString(), SavepointFormatType.CANONICAL).get();

        Map<String, List<String>> expected = content(expectedOut);
        // Dead letters name the file they came from: the same file names, in another folder.
        expected.put("dead-letters", expected.get("dead-letters").stream().map(l -> l.replace("/in-whole/", "/in/")).sorted().toList());
        Map<String, List<String>> got = content(out);
        assertTrue(expected.get("summaries").size() > midway.get("summaries").size(), "the resumed run added summaries");
        assertFalse(expected.get("alerts").isEmpty());
        assertFalse(expected.get("regressions").isEmpty());
        assertFalse(expected.get("alert-events").isEmpty());
        OutputFiles.assertSameContent(expected, got, "resumed from a savepoint at parallelism 1 on RocksDB, as if never stopped");
    }

    private static JobClient start(Path watched, Path out, int parallelism, String savepoint, String stateBackend) throws Exception {
        List<String> settings = new ArrayList<>(List.of("output.checkpoint-interval=500ms",
                "regression.min-baseline=30m", "regression.baseline-window=1h"));
        if (stateBackend != null) {
            settings.add("checkpoints.state-backend=" + stateBackend);
        }
        PerfwatchConfig config = ConfigLoader.load(null, settings);
        Configuration conf = FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING);
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        MetricInput input = Inputs.files(List.of(watched.toString()), LineFormat.samples(config.ingest.maxLineBytes, null,
                ParserSettings.from(config.ingest, null, null)), Duration.ofMillis(200), config.ingest.maxOpenFiles);
        Sinks.toFiles(TestPipelines.build(env, config, input), out.toString(), RuntimeExecutionMode.STREAMING);
        return env.executeAsync("savepoint test");
    }

    /** Waits until the job has read {@code lines} lines (its own count: a resumed job counts from zero). */
    private static void awaitLines(JobClient job, long lines) throws Exception {
        CommonTestUtils.waitUtil(() -> {
            try {
                Object n = job.getAccumulators().get().get(Counters.accumulator(Counters.LINES));
                return n instanceof Number && ((Number) n).longValue() >= lines;
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(120), "the job to read " + lines + " lines");
    }

    private static void copyAll(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                // Written beside, then moved in: a watched folder never sees a half-written file.
                Path tmp = to.resolveSibling("." + f.getFileName());
                Files.copy(f, tmp);
                Files.move(tmp, to.resolve(f.getFileName()));
            }
        }
    }

    private static Map<String, List<String>> content(Path out) {
        return OutputFiles.linesByKind(out, KINDS, Long.MAX_VALUE);
    }
}
