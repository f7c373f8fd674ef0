package dev.perfwatch.cli;

import dev.perfwatch.Perfwatch;
import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.OutputKind;
import dev.perfwatch.pipeline.Outputs;
import dev.perfwatch.pipeline.Sinks;
import dev.perfwatch.pipeline.StagedOutput;
import dev.perfwatch.pipeline.TestPipelines;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Output that a re-run replaces: staged, committed on success, left alone on failure, byte-identical. */
class StagedRunTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = dev.perfwatch.pipeline.TestClusters.twoSlots();

    @TempDir
    Path dir;

    /** Every file under the output folder, by relative path, with its bytes. */
    static Map<String, byte[]> snapshot(Path out) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(out.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private Path metrics() throws Exception {
        Path in = dir.resolve("metrics");
        assertEquals(0, Perfwatch.run("generate", "--output", in.toString(), "--duration", "40m", "--seed", "7"));
        return in;
    }

    @Test
    void aBatchReRunReplacesItsPartitionsWithIdenticalBytes() throws Exception {
        Path in = metrics();
        Path out = dir.resolve("out");
        assertEquals(0, Perfwatch.run("monitor", "--input", in.toString(), "--output", out.toString()));
        Map<String, byte[]> first = snapshot(out);
        assertEquals(0, Perfwatch.run("monitor", "--input", in.toString(), "--output", out.toString()));
        Map<String, byte[]> second = snapshot(out);
        assertEquals(first.keySet(), second.keySet(), "the same files, none added");
        for (String file : first.keySet()) {
            assertArrayEquals(first.get(file), second.get(file), file);
            assertTrue(file.matches("(summaries|alerts|regressions|bottlenecks|health|suggestions|alert-events|notifications|dead-letters)/dt=[^/]+/hour=[^/]+/part-[0-9a-f]{16}\\.jsonl"), file);
        }
        long summaries = first.keySet().stream().filter(f -> f.startsWith("summaries/")).count();
        assertTrue(summaries >= 1);
        List<String> lines = new ArrayList<>();
        for (String file : first.keySet()) {
            if (file.startsWith("summaries/")) {
                lines.addAll(List.of(new String(first.get(file), java.nio.charset.StandardCharsets.UTF_8).split("\n")));
            }
        }
        assertEquals(lines.size(), lines.stream().distinct().count(), "no summary twice");
        assertEquals(35 * 40, lines.size(), "35 series x 40 one-minute windows");
        assertFalse(Files.exists(out.resolve(StagedOutput.STAGING)), "nothing staged is left");
    }

    /**
     * {@code monitor data/ -o data/out} run twice: the second run does not read the first one's output (nor the
     * control folder in it) as metrics, so it writes the same bytes (no dead letter more).
     */
    @Test
    void anOutputFolderInsideTheInputIsNotReadAsInput() throws Exception {
        Path in = metrics();
        Path out = in.resolve("out");
        assertEquals(0, Perfwatch.run("monitor", in.toString(), "--output", out.toString()));
        Map<String, byte[]> first = snapshot(out);
        assertEquals(0, Perfwatch.run("alerts", "silence", "--output", out.toString(), "--match", "component=api",
                "--comment", "maintenance"));
        assertTrue(Files.isDirectory(out.resolve("control")));
        assertEquals(0, Perfwatch.run("monitor", in.toString(), "--output", out.toString()));
        Map<String, byte[]> second = snapshot(out);
        second.keySet().removeIf(f -> f.startsWith("control/"));
        assertEquals(first.keySet(), second.keySet(), "the same files, none added");
        for (String file : first.keySet()) {
            assertArrayEquals(first.get(file), second.get(file), file);
        }
    }

    @Test
    void aFailedRunLeavesTheEarlierOutputUntouched() throws Exception {
        Path in = metrics();
        Path out = dir.resolve("out");
        assertEquals(0, Perfwatch.run("monitor", "--input", in.toString(), "--output", out.toString()));
        Map<String, byte[]> before = snapshot(out);

        PerfwatchConfig config = ConfigLoader.load(null, List.of("output.path=" + out));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.BATCH));
        env.setParallelism(2);
        Outputs outputs = TestPipelines.build(env, config, TestPipelines.files(config, List.of(in)));
        StagedOutput staged = StagedOutput.under(out.toString());
        Sinks.toFiles(outputs, staged.stagingPath(), RuntimeExecutionMode.BATCH);
        outputs.get(OutputKind.SUMMARIES).map(StagedRunTest::failOnTheLastWindow).returns(WindowSummary.class)
                .uid("fail").name("fail").sinkTo(new DiscardingSink<>()).uid("fail-sink").name("fail sink");
        assertThrows(Exception.class, () -> JobRun.bounded(env, "failing run", staged, config));

        Map<String, byte[]> after = snapshot(out);
        assertEquals(before.keySet(), after.keySet());
        for (String file : before.keySet()) {
            assertArrayEquals(before.get(file), after.get(file), file);
        }
        assertFalse(Files.exists(out.resolve(StagedOutput.STAGING)), "the failed run's staging is removed");
    }

    private static WindowSummary failOnTheLastWindow(WindowSummary w) {
        if (w.windowStart == java.time.Instant.parse("2026-11-26T08:39:00Z").toEpochMilli()) {
            throw new IllegalStateException("injected failure");
        }
        return w;
    }

    /**
     * The dead letters without an event time are merged across runs: their part file is named by the first 16
     * hex digits of its SHA-256 (as every part file was named before), so a re-run finds the file an earlier run
     * (or version) wrote and replaces it, and another input's file stays beside it. Every other part file is
     * named by its XXH64.
     */
    @Test
    void theMergedDeadLettersKeepTheirNamesAcrossRunsAndOtherPartsAreNamedByTheirXxh64() throws Exception {
        Path first = dir.resolve("first");
        Files.createDirectories(first);
        Files.writeString(first.resolve("a.jsonl"), "{\"timestamp\":\"2026-11-26T08:00:00Z\",\"metric\":\"cpu_usage\",\"value\":40,\"component\":\"api\"}\n"
                + "not json at all\n");
        Path second = dir.resolve("second");
        Files.createDirectories(second);
        Files.writeString(second.resolve("b.jsonl"), "{\"timestamp\":\"2026-11-26T08:00:00Z\",\"metric\":\"cpu_usage\",\"value\":41,\"component\":\"web\"}\n"
                + "neither is this\n");
        Path out = dir.resolve("out");
        Path unknown = out.resolve("dead-letters/dt=unknown/hour=unknown");
        assertEquals(0, Perfwatch.run("monitor", "--input", first.toString(), "--output", out.toString()));
        Map<String, byte[]> once = snapshot(unknown);
        assertEquals(1, once.size(), once.keySet().toString());
        assertEquals(0, Perfwatch.run("monitor", "--input", first.toString(), "--output", out.toString()));
        assertEquals(once.keySet(), snapshot(unknown).keySet(), "the re-run replaced its own file");
        assertEquals(0, Perfwatch.run("monitor", "--input", second.toString(), "--output", out.toString()));
        Map<String, byte[]> merged = snapshot(unknown);
        assertEquals(2, merged.size(), "the other input's refusal beside the first's: " + merged.keySet());
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        for (Map.Entry<String, byte[]> f : merged.entrySet()) {
            String hex = java.util.HexFormat.of().formatHex(sha.digest(f.getValue())).substring(0, 16);
            assertEquals("part-" + hex + ".jsonl", f.getKey());
            assertTrue(new String(f.getValue(), java.nio.charset.StandardCharsets.UTF_8).contains("json"), "a refused line's reason");
        }
        net.jpountz.xxhash.XXHash64 xxh64 = net.jpountz.xxhash.XXHashFactory.safeInstance().hash64();
        Map<String, byte[]> summaries = snapshot(out.resolve("summaries"));
        assertEquals(1, summaries.size(), summaries.keySet().toString());
        for (Map.Entry<String, byte[]> f : summaries.entrySet()) {
            byte[] b = f.getValue();
            assertEquals("dt=2026-11-26/hour=08/part-" + String.format("%016x", xxh64.hash(b, 0, b.length, 0L)) + ".jsonl", f.getKey());
        }
    }

    @Test
    void usageErrorsNameTheProblemAndExitWithTwo() throws Exception {
        assertEquals(2, Perfwatch.run("monitor", "--input", dir.resolve("no-such-dir").toString()));
        Path in = metrics();
        assertEquals(2, Perfwatch.run("monitor", "--input", in.toString(), "--bogus"));
        assertEquals(2, Perfwatch.run("demo", "--no-such-option"));
    }

    @Test
    void coveredHours() {
        assertEquals(java.util.Set.of("dt=2026-11-26/hour=08", "dt=2026-11-26/hour=09"),
                StagedOutput.hoursBetween(java.time.Instant.parse("2026-11-26T08:59:59Z").toEpochMilli(),
                        java.time.Instant.parse("2026-11-26T09:00:00Z").toEpochMilli()));
        assertTrue(StagedOutput.hoursBetween(Long.MAX_VALUE, Long.MIN_VALUE).isEmpty(), "no samples: no hour covered");
    }
}
