package dev.perfwatch.bench;

import dev.perfwatch.Perfwatch;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.pipeline.EmbeddedFlink;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.MetricInput;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.FileUtils;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code bench --backfill}: a backfill's wall time and records/s over S series x D days at 1-minute
 * spacing, written as JSON-lines files partitioned by day ({@code dt=YYYY-MM-DD/<component>.jsonl}, ten
 * metrics per component), next to a pass-through job that reads and parses the same files in batch mode.
 */
public final class BackfillBenchmark {

    /**
     * One generated metric: its mean, noise, the daily cycle's amplitude (relative to the mean) and the most it can
     * be (a ratio 1, a percentage 100).
     */
    private record Metric(String name, double mean, double sd, double amplitude, double max) {}

    /**
     * Each metric stays inside the default thresholds (conf/perfwatch.yaml) at every hour: the history of healthy
     * services, so that a backfill's load is its detectors', not an alert storm's (with an error rate whose mean sat
     * on its warning level and a cache hit rate whose cycle took it under its own, a day of 1,000 series raised 31,658
     * alerts).
     */
    private static final Metric[] METRICS = {
        new Metric("cpu_usage", 45, 8, 0.15, 100), new Metric("memory_usage", 60, 5, 0.05, 100),
        new Metric("response_time", 120, 25, 0.15, Double.MAX_VALUE),
        new Metric("database_query_time", 30, 8, 0.15, Double.MAX_VALUE), new Metric("error_rate", 0.002, 0.0005, 0.15, 1),
        new Metric("cache_hit_rate", 0.93, 0.01, 0.02, 1), new Metric("queue_depth", 20, 5, 0.15, Double.MAX_VALUE),
        new Metric("disk_io", 5_000_000, 800_000, 0.15, Double.MAX_VALUE),
        new Metric("network_io", 8_000_000, 1_500_000, 0.15, Double.MAX_VALUE), new Metric("gc_time", 15, 4, 0.15, Double.MAX_VALUE)};
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-11-01");

    private BackfillBenchmark() {}

    static void run(int series, int days, int parallelism, PerfwatchConfig config, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("perfwatch-backfill-bench");
        try {
            Path input = dir.resolve("history");
            long records = write(input, series, days);
            out.printf("perfwatch bench --backfill: %,d series x %d day(s) at 1-minute spacing = %,d records in %s, parallelism %d, %d cores%n",
                    series, days, records, input, parallelism, Runtime.getRuntime().availableProcessors());

            StreamExecutionEnvironment env = EmbeddedFlink.environment(
                    FlinkSettings.forJob(config, RuntimeExecutionMode.BATCH));
            env.setParallelism(parallelism);
            MetricInput files = Inputs.files(List.of(input.toString()), LineFormat.samples(config.ingest.maxLineBytes, null,
                    ParserSettings.from(config.ingest, null, null)), null, config.ingest.maxOpenFiles);
            env.fromSource(files.source(), WatermarkStrategy.noWatermarks(), files.name()).uid("source-files")
                    .sinkTo(new DiscardingSink<>()).uid("discard-records").name("discard records");
            long start = System.nanoTime();
            env.execute("perfwatch bench read files");
            double passSeconds = (System.nanoTime() - start) / 1e9;

            String from = FIRST_DAY.toString();
            String to = FIRST_DAY.plusDays(days).toString();
            start = System.nanoTime();
            int code = Perfwatch.run("backfill", "--input", input.toString(), "--output", dir.resolve("out").toString(),
                    "--from", from, "--to", to, "-p", Integer.toString(parallelism), "--progress-every", "30s");
            double seconds = (System.nanoTime() - start) / 1e9;
            if (code != 0) {
                throw new IllegalStateException("the backfill failed (exit " + code + ")");
            }
            out.printf("%nread + parse (batch)  %,12.0f records/s  %.1f s%n", records / passSeconds, passSeconds);
            out.printf("backfill              %,12.0f records/s  %.1f s wall (job, staging and commit)%n", records / seconds, seconds);
            out.printf("ratio backfill / read + parse: %.2f%n", passSeconds / seconds);
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
    }

    /** Ten metrics per component, a daily cycle and noise; one file per component and day. */
    public static long write(Path input, int series, int days) throws IOException {
        int components = Math.max(1, (series + METRICS.length - 1) / METRICS.length);
        SplittableRandom random = new SplittableRandom(7);
        long records = 0;
        for (int d = 0; d < days; d++) {
            LocalDate day = FIRST_DAY.plusDays(d);
            Path folder = Files.createDirectories(input.resolve("dt=" + day));
            long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            for (int c = 0; c < components; c++) {
                int metrics = Math.min(METRICS.length, series - c * METRICS.length);
                try (BufferedWriter w = Files.newBufferedWriter(folder.resolve("service-" + c + ".jsonl"), StandardCharsets.UTF_8)) {
                    for (int minute = 0; minute < 24 * 60; minute++) {
                        long t = dayStart + minute * 60_000L;
                        double phase = Math.sin(2 * Math.PI * minute / (24 * 60.0));
                        for (int m = 0; m < metrics; m++) {
                            Metric metric = METRICS[m];
                            double cycle = 1 + metric.amplitude() * phase;
                            double v = Math.min(metric.max(), Math.max(0, metric.mean() * cycle + metric.sd() * random.nextGaussian()));
                            w.write("{\"timestamp\":\"" + Instant.ofEpochMilli(t) + "\",\"metric\":\"" + metric.name()
                                    + "\",\"value\":" + (float) v + ",\"component\":\"service-" + c + "\"}\n");
                            records++;
                        }
                    }
                }
            }
        }
        return records;
    }
}
