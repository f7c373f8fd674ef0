package dev.perfwatch.pipeline;

import dev.perfwatch.Perfwatch;
import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.Timestamps;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitor graph on a MiniCluster at parallelism 2, over real files, checked against plain computation. */
class MonitorPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = dev.perfwatch.pipeline.TestClusters.twoSlots();

    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    /** Samples for a few series over ten minutes: irregular spacing, heavy tails, shuffled within 5 s. */
    private static List<MetricSample> samples(long seed, String... seriesKeys) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<MetricSample> out = new ArrayList<>();
        for (String key : seriesKeys) {
            String component = key.substring(0, key.indexOf('|'));
            String metric = key.substring(key.indexOf('|') + 1);
            for (long t = T0 + rnd.nextInt(1000); t < T0 + 10 * MINUTE; t += 200 + rnd.nextInt(1800)) {
                double v;
                switch (metric) {
                    case "cpu_usage": v = Math.min(100, Math.max(0, 50 + 10 * rnd.nextGaussian())); break;
                    case "temperature_delta": v = -5 + 3 * rnd.nextGaussian(); break;
                    default: v = 100 * Math.exp(0.5 * rnd.nextGaussian()) * (rnd.nextDouble() < 0.01 ? 20 : 1); break;
                }
                MetricSample s = new MetricSample(t, metric, component, Math.round(v * 1000) / 1000.0);
                out.add(s);
            }
        }
        out.sort((a, b) -> Long.compare(a.timestamp / 5000, b.timestamp / 5000));
        // Shuffle within 5-second buckets: out of order, but well inside the 30 s bound.
        List<MetricSample> shuffled = new ArrayList<>();
        int i = 0;
        while (i < out.size()) {
            int j = i;
            while (j < out.size() && out.get(j).timestamp / 5000 == out.get(i).timestamp / 5000) {
                j++;
            }
            List<MetricSample> bucket = new ArrayList<>(out.subList(i, j));
            Collections.shuffle(bucket, new java.util.Random(seed + i));
            shuffled.addAll(bucket);
            i = j;
        }
        return shuffled;
    }

    private static String json(MetricSample s) {
        return "{\"timestamp\":\"" + Timestamps.iso(s.timestamp) + "\",\"metric\":\"" + s.metric + "\",\"value\":" + s.value
                + ",\"component\":\"" + s.component + "\"}";
    }

    private static JobExecutionResult run(List<Path> inputs, Path out, RuntimeExecutionMode mode, String... overrides) throws Exception {
        List<String> all = new ArrayList<>(List.of("output.checkpoint-interval=500ms"));
        all.addAll(List.of(overrides));
        PerfwatchConfig config = ConfigLoader.load(null, all);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forJob(config, mode));
        env.setParallelism(2);
        Outputs outputs = TestPipelines.build(env, config, TestPipelines.files(config, inputs));
        Sinks.toFiles(outputs, out.toString(), mode);
        return env.execute("test " + mode);
    }

    private static void assertSummariesMatch(Map<String, Expected> expected, List<JsonNode> actual, double relativeAccuracy) {
        assertSummariesMatch(expected, actual, relativeAccuracy, MINUTE);
    }

    private static void assertSummariesMatch(Map<String, Expected> expected, List<JsonNode> actual, double relativeAccuracy, long window) {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (JsonNode n : actual) {
            long start = Instant.parse(n.get("window_start").asText()).toEpochMilli();
            String id = n.get("component").asText() + "|" + n.get("metric").asText() + "|" + start;
            assertTrue(byId.put(id, n) == null, "one summary per series and window: " + id);
            assertEquals(start + window, Instant.parse(n.get("window_end").asText()).toEpochMilli());
        }
        assertEquals(expected.keySet(), byId.keySet(), "series and windows");
        for (Expected e : expected.values()) {
            JsonNode n = byId.get(e.id());
            String where = e.id() + " ";
            assertEquals(e.count, n.get("count").asLong(), where + "count");
            assertClose(e.mean, n.get("mean").asDouble(), 1e-9, where + "mean");
            assertClose(e.stddev, n.get("stddev").asDouble(), 1e-9, where + "stddev");
            assertEquals(e.min, n.get("min").asDouble(), where + "min");
            assertEquals(e.max, n.get("max").asDouble(), where + "max");
            assertClose(e.p50, n.get("p50").asDouble(), relativeAccuracy, where + "p50");
            assertClose(e.p95, n.get("p95").asDouble(), relativeAccuracy, where + "p95");
            assertClose(e.p99, n.get("p99").asDouble(), relativeAccuracy, where + "p99");
        }
    }

    private static void assertClose(double expected, double actual, double relative, String what) {
        assertTrue(Math.abs(expected - actual) <= relative * Math.abs(expected) + 1e-12,
                what + ": expected " + expected + " within " + relative + " relative, got " + actual);
    }

    private static Set<String> deadLetterKeys(Path out) {
        Set<String> keys = new TreeSet<>();
        for (JsonNode n : OutputFiles.records(out.resolve("dead-letters"))) {
            String origin = n.get("origin").asText();
            keys.add(origin.substring(origin.lastIndexOf('/') + 1) + ":" + n.get("line").asLong() + ":" + n.get("reason").asText());
        }
        return keys;
    }

    @Test
    void batchRunOverJsonAndCsvFilesMatchesPlainComputation() throws Exception {
        List<MetricSample> a = samples(1, "web|cpu_usage", "api|response_time");
        List<MetricSample> b = samples(2, "database|database_query_time");
        List<MetricSample> c = samples(3, "sensor|temperature_delta");

        List<String> aLines = new ArrayList<>();
        a.forEach(s -> aLines.add(json(s)));
        aLines.add(3, "");
        aLines.add(10, "{\"timestamp\":\"2026-11-26T10:00:05Z\",\"metric\":\"cpu_usage\",\"value\":250,\"component\":\"web\"}");
        aLines.add(20, "not json");
        Files.write(dir.resolve("a.jsonl"), aLines);

        List<String> bLines = new ArrayList<>(List.of("timestamp,metric,value,component"));
        b.forEach(s -> bLines.add(Timestamps.iso(s.timestamp) + "," + s.metric + "," + s.value + "," + s.component));
        bLines.add(5, "2026-11-26T10:00:07Z,database_query_time,fast,database");
        Files.writeString(dir.resolve("b.csv"), String.join("\r\n", bLines) + "\r\n");

        Path nested = Files.createDirectories(dir.resolve("more"));
        List<String> cLines = new ArrayList<>();
        c.forEach(s -> cLines.add(json(s)));
        cLines.add("{\"timestamp\":\"2026-11-26T10:00:09\",\"metric\":\"temperature_delta\",\"value\":1,\"component\":\"sensor\"}");
        Files.write(nested.resolve("c.jsonl"), cLines);

        Path out = dir.resolve("out");
        JobExecutionResult result = run(List.of(dir.resolve("a.jsonl"), dir.resolve("b.csv"), nested), out, RuntimeExecutionMode.BATCH);

        List<MetricSample> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        assertSummariesMatch(Expected.summaries(all, MINUTE), OutputFiles.records(out.resolve("summaries")), 0.005);

        assertEquals(Set.of("a.jsonl:11:out_of_range", "a.jsonl:21:malformed_json", "b.csv:6:wrong_type", "c.jsonl:" + cLines.size() + ":bad_timestamp"),
                deadLetterKeys(out));
        assertEquals(4L, ((Number) result.getAccumulatorResult(Counters.accumulator(Counters.DEAD_LETTERS))).longValue());
        assertEquals(1L, ((Number) result.getAccumulatorResult(Counters.accumulator(Counters.BLANK_LINES))).longValue());
        assertEquals((long) all.size(), ((Number) result.getAccumulatorResult(Counters.accumulator(Counters.SAMPLES))).longValue());

        for (Path f : OutputFiles.files(out.resolve("summaries"))) {
            String rel = out.resolve("summaries").relativize(f).toString();
            assertTrue(rel.matches("dt=2026-11-26/hour=10/part-[^/]+\\.jsonl"), "finalized part file in its partition: " + rel);
        }
    }

    @Test
    void streamingAndBatchAgreeAndLateSamplesAreKept() throws Exception {
        List<MetricSample> samples = samples(4, "web|cpu_usage", "api|response_time", "cache|cache_hit_rate");
        for (MetricSample s : samples) {
            if (s.metric.equals("cache_hit_rate")) {
                s.value = Math.min(1, Math.abs(s.value) / 200);
            }
        }
        List<String> lines = new ArrayList<>();
        samples.forEach(s -> lines.add(json(s)));
        // Far behind the newest sample (10:09:5x) when it arrives: late in streaming, not in batch.
        MetricSample late = new MetricSample(T0 + 2 * MINUTE + 500, "cpu_usage", "web", 99.5);
        lines.add(json(late));
        Path file = dir.resolve("one.jsonl");
        Files.write(file, lines);

        Path streamingOut = dir.resolve("streaming");
        JobExecutionResult streaming = run(List.of(file), streamingOut, RuntimeExecutionMode.STREAMING);
        Path batchOut = dir.resolve("batch");
        run(List.of(file), batchOut, RuntimeExecutionMode.BATCH);

        assertSummariesMatch(Expected.summaries(samples, MINUTE), OutputFiles.records(streamingOut.resolve("summaries")), 0.005);
        List<MetricSample> withLate = new ArrayList<>(samples);
        withLate.add(late);
        assertSummariesMatch(Expected.summaries(withLate, MINUTE), OutputFiles.records(batchOut.resolve("summaries")), 0.005);

        assertEquals(Set.of("one.jsonl:" + lines.size() + ":late"), deadLetterKeys(streamingOut));
        JsonNode letter = OutputFiles.records(streamingOut.resolve("dead-letters")).get(0);
        assertEquals("2026-11-26T10:02:00.500Z", letter.get("event_time").asText());
        assertTrue(letter.get("detail").asText().contains("behind the watermark"), letter.toString());
        assertTrue(letter.get("raw").asText().contains("99.5"), letter.toString());
        assertTrue(OutputFiles.files(streamingOut.resolve("dead-letters")).get(0).toString().contains("dt=2026-11-26/hour=10"));
        assertEquals(1L, ((Number) streaming.getAccumulatorResult(Counters.accumulator(Counters.LATE))).longValue());
        assertTrue(deadLetterKeys(batchOut).isEmpty());
        for (Path f : OutputFiles.files(streamingOut)) {
            assertFalse(f.getFileName().toString().startsWith("."), "no in-progress file left: " + f);
        }
    }

    @Test
    void watchedDirectoryPicksUpNewFilesWhileRunning() throws Exception {
        Path incoming = Files.createDirectories(dir.resolve("incoming"));
        Path out = dir.resolve("watch-out");
        PerfwatchConfig config = ConfigLoader.load(null, List.of("output.checkpoint-interval=300ms", "event-time.idleness=1s"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING));
        env.setParallelism(2);
        MetricInput watched = Inputs.files(List.of(incoming.toString()), LineFormat.samples(config.ingest.maxLineBytes, null,
                ParserSettings.from(config.ingest, null, null)), java.time.Duration.ofMillis(200), config.ingest.maxOpenFiles);
        Sinks.toFiles(TestPipelines.build(env, config, watched), out.toString(), RuntimeExecutionMode.STREAMING);
        org.apache.flink.core.execution.JobClient job = env.executeAsync("watch test");
        try {
            List<MetricSample> samples = samples(6, "web|cpu_usage");
            List<String> lines = new ArrayList<>();
            samples.forEach(s -> lines.add(json(s)));
            Path staged = Files.write(dir.resolve("staged.jsonl"), lines);
            Files.move(staged, incoming.resolve("batch-1.jsonl"));
            // Windows up to the watermark (newest sample - 30 s) close and are committed at a checkpoint.
            Map<String, Expected> expected = Expected.summaries(samples, MINUTE);
            expected.keySet().removeIf(id -> Long.parseLong(id.substring(id.lastIndexOf('|') + 1)) >= T0 + 9 * MINUTE);
            org.apache.flink.core.testutils.CommonTestUtils.waitUtil(
                    () -> OutputFiles.records(out.resolve("summaries")).size() >= expected.size(),
                    java.time.Duration.ofSeconds(60), "summaries of the watched file");
            List<JsonNode> written = OutputFiles.records(out.resolve("summaries"));
            written.removeIf(n -> Instant.parse(n.get("window_start").asText()).toEpochMilli() >= T0 + 9 * MINUTE);
            assertSummariesMatch(expected, written, 0.005);
            assertFalse(job.getJobStatus().get().isTerminalState(), "a watching job keeps running");
        } finally {
            // The cancellation is acknowledged before the tasks stop: wait for them, or the file sink may
            // still be writing while the temporary folder is deleted.
            TestPipelines.cancelAndWait(job);
        }
    }

    @Test
    void realCloudWatchExportSummarizedByHour() throws Exception {
        Path nab = Path.of(MonitorPipelineTest.class.getResource("/nab/ec2_cpu_utilization_24ae8d.csv").toURI());
        List<MetricSample> samples = new ArrayList<>();
        for (String line : Files.readAllLines(nab).subList(1, Files.readAllLines(nab).size())) {
            String[] cells = line.split(",");
            long t = Instant.parse(cells[0].trim().replace(' ', 'T') + "Z").toEpochMilli();
            samples.add(new MetricSample(t, "cpu_usage", "ec2-ec2_cpu_utilization_24ae8d", Double.parseDouble(cells[1])));
        }
        Path out = dir.resolve("nab-out");
        assertEquals(0, Perfwatch.run("monitor", "--input", nab.toString(), "--output", out.toString(),
                "--metric", "cpu_usage", "--component", "ec2-{file}", "--window", "1h"));
        assertSummariesMatch(Expected.summaries(samples, 60 * MINUTE), OutputFiles.records(out.resolve("summaries")), 0.005, 60 * MINUTE);
        assertTrue(OutputFiles.records(out.resolve("dead-letters")).isEmpty());
    }

    @Test
    void theCommandLineRunsTheSameJobAndRefusesBadConfiguration() throws Exception {
        List<MetricSample> samples = samples(5, "web|response_time");
        List<String> lines = new ArrayList<>(List.of("timestamp,value"));
        samples.forEach(s -> lines.add(Timestamps.iso(s.timestamp).replace('T', ' ').replace("Z", "") + "," + s.value));
        Path file = dir.resolve("export.csv");
        Files.write(file, lines);
        Path out = dir.resolve("cli-out");

        int code = Perfwatch.run("monitor", "--input", file.toString(), "--output", out.toString(),
                "--metric", "response_time", "--component", "web", "--window", "2m");
        assertEquals(0, code);
        List<MetricSample> truncated = new ArrayList<>();
        for (MetricSample s : samples) {
            MetricSample t = new MetricSample(s.timestamp - s.timestamp % 1000, s.metric, s.component, s.value);
            truncated.add(t);
        }
        Map<String, Expected> expected = Expected.summaries(truncated, 2 * MINUTE);
        List<JsonNode> actual = OutputFiles.records(out.resolve("summaries"));
        assertEquals(expected.size(), actual.size());
        Set<Long> counts = new HashSet<>();
        actual.forEach(n -> counts.add(n.get("count").asLong()));
        Set<Long> expectedCounts = new HashSet<>();
        expected.values().forEach(e -> expectedCounts.add(e.count));
        assertEquals(expectedCounts, counts);

        assertEquals(2, Perfwatch.run("monitor", "--input", file.toString(), "--set", "windows.summary=never"));
        assertEquals(2, Perfwatch.run("monitor", "--input", file.toString(), "--format", "xml"));
        assertEquals(2, Perfwatch.run("monitor"));
    }
}
