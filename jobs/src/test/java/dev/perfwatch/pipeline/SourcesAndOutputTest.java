package dev.perfwatch.pipeline;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.Timestamps;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sources that parse and set watermarks per file, and the job's counts as live Flink metrics, on a
 * MiniCluster (parallelism 2) with an in-memory metric reporter.
 */
class SourcesAndOutputTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.twoSlots(METRICS.addToConfiguration(new Configuration()));

    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    private static String json(MetricSample s) {
        return "{\"timestamp\":\"" + Timestamps.iso(s.timestamp) + "\",\"metric\":\"" + s.metric + "\",\"value\":" + s.value
                + ",\"component\":\"" + s.component + "\"}";
    }

    /** One file of one component's series over [T0, T0 + minutes), a sample every {@code everyMillis}, shuffled within 5 s. */
    private List<MetricSample> writeFile(String name, String component, String[] metrics, long everyMillis, int minutes, long seed)
            throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<MetricSample> samples = new ArrayList<>();
        for (long t = T0; t < T0 + minutes * MINUTE; t += everyMillis) {
            for (String metric : metrics) {
                long jitter = rnd.nextLong(5_000);
                samples.add(new MetricSample(t + jitter, metric, component, Math.round(1000 * (40 + 10 * rnd.nextDouble())) / 1000.0));
            }
        }
        List<String> lines = new ArrayList<>();
        samples.forEach(s -> lines.add(json(s)));
        Path file = dir.resolve("in").resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
        return samples;
    }

    @Test
    void filesOfOnePeriodAdvancingAtDifferentSpeedsMakeNoOnTimeSampleLate() throws Exception {
        // Three files over the same 30 minutes: 1 sample a second, 1 every 30 s, 6 series every 2 s. Read
        // one after another, the first file's watermark would make most of the others' samples late.
        List<MetricSample> all = new ArrayList<>();
        all.addAll(writeFile("dense.jsonl", "web", new String[] {"cpu_usage"}, 1_000, 30, 1));
        all.addAll(writeFile("sparse.jsonl", "db", new String[] {"cpu_usage"}, 30_000, 30, 2));
        all.addAll(writeFile("wide.jsonl", "api", new String[] {"response_time", "cpu_usage", "disk_io", "gc_time", "queue_depth",
            "memory_usage"}, 2_000, 30, 3));
        for (int parallelism : new int[] {1, 2}) {
            PerfwatchConfig config = ConfigLoader.load(null, List.of("output.checkpoint-interval=500ms"));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING));
            env.setParallelism(parallelism);
            Path out = dir.resolve("out-" + parallelism);
            Sinks.toFiles(TestPipelines.build(env, config, TestPipelines.files(config, List.of(dir.resolve("in")))), out.toString(),
                    RuntimeExecutionMode.STREAMING);
            JobExecutionResult result = env.execute("side by side, parallelism " + parallelism);
            assertEquals(0L, count(result, Counters.LATE), "no sample is late at parallelism " + parallelism);
            assertEquals(all.size(), count(result, Counters.SAMPLES));
            Map<String, Expected> expected = Expected.summaries(all, MINUTE);
            Map<String, Long> counts = new TreeMap<>();
            for (JsonNode n : OutputFiles.records(out.resolve("summaries"))) {
                counts.put(n.get("component").asText() + "|" + n.get("metric").asText() + "|"
                        + Instant.parse(n.get("window_start").asText()).toEpochMilli(), n.get("count").asLong());
            }
            Map<String, Long> expectedCounts = new TreeMap<>();
            expected.values().forEach(e -> expectedCounts.put(e.id(), e.count));
            assertEquals(expectedCounts, counts, "every sample in its window");
        }
    }

    @Test
    void aSeriesSpreadOverFilesReadSideBySideGetsTheFiguresOfOneFileToTheBit() throws Exception {
        // Two series, a sample a second with full-precision values, written as one file and dealt line by line
        // to three files. Read side by side by two readers, a window gets its samples in parts whose order varies;
        // its mean and deviation are exact sums rounded once, and its quantiles those of its sorted values, so
        // every layout and mode gives the same bytes.
        SplittableRandom rnd = new SplittableRandom(17);
        List<MetricSample> samples = new ArrayList<>();
        for (long t = T0; t < T0 + 20 * MINUTE; t += 1_000) {
            samples.add(new MetricSample(t, "cpu_usage", "web", 40 + 10 * rnd.nextDouble()));
            samples.add(new MetricSample(t, "response_time", "api", 1e5 + Math.exp(3 + rnd.nextGaussian())));
        }
        List<String> lines = new ArrayList<>();
        samples.forEach(x -> lines.add(json(x)));
        Files.createDirectories(dir.resolve("one"));
        Files.write(dir.resolve("one/all.jsonl"), lines);
        Files.createDirectories(dir.resolve("split"));
        for (int f = 0; f < 3; f++) {
            List<String> part = new ArrayList<>();
            for (int i = f; i < lines.size(); i += 3) {
                part.add(lines.get(i));
            }
            Files.write(dir.resolve("split/p" + f + ".jsonl"), part);
        }
        List<String> kinds = List.of("summaries", "regressions", "alerts");
        Map<String, List<String>> reference = null;
        for (String run : new String[] {"one BATCH", "split BATCH", "split STREAMING", "split STREAMING"}) {
            String[] layoutAndMode = run.split(" ");
            RuntimeExecutionMode mode = RuntimeExecutionMode.valueOf(layoutAndMode[1]);
            PerfwatchConfig config = ConfigLoader.load(null, List.of("output.checkpoint-interval=500ms"));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forJob(config, mode));
            env.setParallelism(2);
            Path out = Files.createTempDirectory(dir, "out");
            Sinks.toFiles(TestPipelines.build(env, config, TestPipelines.files(config, List.of(dir.resolve(layoutAndMode[0])))),
                    out.toString(), mode);
            JobExecutionResult result = env.execute(run);
            assertEquals(samples.size(), count(result, Counters.SAMPLES), run);
            Map<String, List<String>> got = OutputFiles.linesByKind(out, kinds, Long.MAX_VALUE);
            if (reference == null) {
                reference = got;
                Map<String, Expected> expected = Expected.summaries(samples, MINUTE);
                assertEquals(expected.size(), got.get("summaries").size());
                for (JsonNode n : OutputFiles.records(out.resolve("summaries"))) {
                    Expected e = expected.get(n.get("component").asText() + "|" + n.get("metric").asText() + "|"
                            + Instant.parse(n.get("window_start").asText()).toEpochMilli());
                    assertEquals(e.mean, n.get("mean").asDouble(), 1e-12 * Math.abs(e.mean), e.id());
                    assertEquals(e.stddev, n.get("stddev").asDouble(), 1e-9 * e.stddev, e.id());
                    // 60 values a window: exact quantiles (a sketch's 0.5% of 1e5 is more than the api series' spread).
                    assertEquals(e.p50, n.get("p50").asDouble(), 0.0, e.id());
                    assertEquals(e.p95, n.get("p95").asDouble(), 0.0, e.id());
                    assertEquals(e.p99, n.get("p99").asDouble(), 0.0, e.id());
                }
            } else {
                OutputFiles.assertSameContent(reference, got, run + " against one file in batch mode");
            }
        }
    }

    @Test
    void flinksOwnFileSourceReadingOneFileAfterAnotherWouldMakeThemLate() throws Exception {
        // The same kind of input through Flink's FileSource, which hands a reader one file at a time: the
        // first file's watermark runs ahead and the next file's samples arrive behind it. (The check that
        // the test above can fail.)
        List<MetricSample> all = new ArrayList<>(writeFile("dense.jsonl", "web", new String[] {"cpu_usage"}, 1_000, 30, 1));
        all.addAll(writeFile("sparse.jsonl", "db", new String[] {"cpu_usage"}, 30_000, 30, 2));
        PerfwatchConfig config = ConfigLoader.load(null, List.of("output.checkpoint-interval=500ms"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING));
        env.setParallelism(1);
        LineFormat<dev.perfwatch.model.Ingested> format = LineFormat.samples(config.ingest.maxLineBytes, null,
                ParserSettings.from(config.ingest, null, null));
        MetricInput flinkFiles = new MetricInput("files", "read files",
                org.apache.flink.connector.file.src.FileSource.forBulkFileFormat(format, new org.apache.flink.core.fs.Path(dir.resolve("in").toString())).build());
        Sinks.discard(TestPipelines.build(env, config, flinkFiles));
        JobExecutionResult result = env.execute("one file after another");
        assertTrue(count(result, Counters.LATE) >= 50, "the second file's samples are late: " + count(result, Counters.LATE));
    }

    @Test
    void aSampleOutOfOrderWithinItsOwnFileIsStillLate() throws Exception {
        List<MetricSample> on = writeFile("a.jsonl", "web", new String[] {"cpu_usage"}, 1_000, 10, 4);
        writeFile("b.jsonl", "db", new String[] {"cpu_usage"}, 10_000, 10, 5);
        // Two minutes behind the newest sample of its own file.
        Files.writeString(dir.resolve("in/a.jsonl"), json(new MetricSample(T0 + 5 * MINUTE, "cpu_usage", "web", 1.0)) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        PerfwatchConfig config = ConfigLoader.load(null, List.of("output.checkpoint-interval=500ms"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING));
        env.setParallelism(1);
        Sinks.toFiles(TestPipelines.build(env, config, TestPipelines.files(config, List.of(dir.resolve("in")))), dir.resolve("out").toString(),
                RuntimeExecutionMode.STREAMING);
        JobExecutionResult result = env.execute("late within a file");
        assertEquals(1L, count(result, Counters.LATE));
        List<JsonNode> letters = OutputFiles.records(dir.resolve("out/dead-letters"));
        assertEquals(1, letters.size());
        assertTrue(letters.get(0).get("origin").asText().endsWith("a.jsonl"), letters.toString());
        assertEquals(on.size() + 1, letters.get(0).get("line").asLong(), "the appended line");
    }

    @Test
    void countsAreLiveFlinkMetricsWhileTheJobRuns() throws Exception {
        Path watched = Files.createDirectories(dir.resolve("in/watched"));
        List<MetricSample> samples = writeFile("watched/a.jsonl", "web", new String[] {"cpu_usage"}, 1_000, 3, 6);
        Files.writeString(watched.resolve("a.jsonl"), "not json\n{\"timestamp\":1,\"metric\":\"x\"}\n\n",
                java.nio.file.StandardOpenOption.APPEND);
        PerfwatchConfig config = ConfigLoader.load(null, List.of("output.checkpoint-interval=500ms"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING));
        env.setParallelism(2);
        MetricInput input = Inputs.files(List.of(watched.toString()), LineFormat.samples(config.ingest.maxLineBytes, null,
                ParserSettings.from(config.ingest, null, null)), Duration.ofMillis(200), config.ingest.maxOpenFiles);
        Sinks.discard(TestPipelines.build(env, config, input));
        JobClient job = env.executeAsync("live counts");
        try {
            JobID id = job.getJobID();
            long lines = samples.size() + 3;
            CommonTestUtils.waitUtil(() -> metric(id, "perfwatch.lines") == lines, Duration.ofSeconds(60), "lines counted");
            assertEquals(samples.size(), metric(id, "perfwatch.samples"));
            assertEquals(2, metric(id, "perfwatch.deadLetters"));
            assertEquals(1, metric(id, "perfwatch.deadLettersByReason.malformed_json"));
            assertEquals(1, metric(id, "perfwatch.deadLettersByReason.timestamp_out_of_range"));
            assertEquals(1, metric(id, "perfwatch.blankLines"));
            assertFalse(job.getJobStatus().get().isTerminalState(), "read while the job runs");
        } finally {
            TestPipelines.cancelAndWait(job);
        }
    }

    /** The sum over subtasks of the counter whose identifier ends with {@code name}. */
    private static long metric(JobID job, String name) {
        long sum = 0;
        for (Map.Entry<org.apache.flink.metrics.MetricGroup, Map<String, Metric>> g : METRICS.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(g.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            for (Map.Entry<String, Metric> e : g.getValue().entrySet()) {
                if (g.getKey().getMetricIdentifier(e.getKey()).endsWith("." + name) && e.getValue() instanceof Counter) {
                    sum += ((Counter) e.getValue()).getCount();
                }
            }
        }
        return sum;
    }

    private static long count(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(Counters.accumulator(name));
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }
}
