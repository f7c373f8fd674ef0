package dev.perfwatch.cli;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.demo.Scenario;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.model.Timestamps;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.OutputKind;
import dev.perfwatch.pipeline.Outputs;
import dev.perfwatch.pipeline.PerfwatchPipeline;
import dev.perfwatch.pipeline.Sinks;
import dev.perfwatch.pipeline.StagedOutput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Stream two hours of simulated metrics with injected degradations through the pipeline.",
            "Generates realistic metrics for six services in memory, runs the whole pipeline on an embedded",
            "Flink, and says what was written. Output an earlier demo wrote for the same hours is replaced."})
public class DemoCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    DemoOptions demo;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "out",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--web-ui-port", paramLabel = "PORT",
            description = "Serve Flink's web UI on 127.0.0.1:PORT while the demo runs (e.g. 8081).")
    Integer webUiPort;

    @Override
    public Integer call() throws Exception {
        // Two hours of data: regressions are evaluated against the half hour and more before them.
        PerfwatchConfig config = common.load(List.of("output.path=" + output, "regression.min-baseline=30m"));
        DemoGenerator generator = demo.generator();

        StreamExecutionEnvironment env = MonitorCommand.environment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING), webUiPort);
        env.setParallelism(common.parallelism);
        Outputs outputs = PerfwatchPipeline.build(env,
                List.of(Inputs.generator(generator, ParserSettings.from(config.ingest, null, null))), config);
        StagedOutput staged = StagedOutput.under(output.toString());
        Sinks.toFiles(outputs, staged.stagingPath(), RuntimeExecutionMode.STREAMING);
        System.out.printf("perfwatch demo: %,d samples from %d series, %s to %s, seed %d%n", generator.count(),
                generator.seriesCount(), Timestamps.iso(generator.startMillis()), Timestamps.iso(generator.endMillis()), demo.seed);
        if (webUiPort != null) {
            System.out.println("Flink web UI: http://127.0.0.1:" + webUiPort + " (while the demo runs)");
        }
        RunReport report = JobRun.bounded(env, "perfwatch demo", staged, config);
        printSummary(System.out, report, generator, output);
        return 0;
    }

    static void printSummary(PrintStream out, RunReport report, DemoGenerator generator, Path output) throws IOException {
        out.println();
        if (report != null) {
            report.print(out);
        }
        Map<String, Integer> summaries = countBy(output.resolve(OutputKind.SUMMARIES.name), "component");
        Map<String, Integer> dead = countBy(output.resolve(OutputKind.DEAD_LETTERS.name), "reason");
        out.println();
        out.println("window summaries written, per component (" + output.resolve(OutputKind.SUMMARIES.name) + "):");
        summaries.forEach((c, n) -> out.printf("  %-20s %,6d%n", c, n));
        out.println("dead letters written, per reason (" + output.resolve(OutputKind.DEAD_LETTERS.name) + "):");
        if (dead.isEmpty()) {
            out.println("  none");
        }
        dead.forEach((r, n) -> out.printf("  %-20s %,6d%n", r, n));
        Map<String, Integer> alerts = countBy(output.resolve(OutputKind.ALERTS.name), "component", "metric", "rule", "status");
        Map<String, String> firing = new TreeMap<>();
        alerts.forEach((key, n) -> {
            String[] k = key.split("  ");
            if (k[3].equals("firing")) {
                firing.merge(k[0] + "/" + k[1], k[2] + (n > 1 ? " x" + n : ""), (a, b) -> a + ", " + b);
            }
        });
        out.println("alerts raised (firing), per series (" + output.resolve(OutputKind.ALERTS.name) + "):");
        if (firing.isEmpty()) {
            out.println("  none");
        }
        firing.forEach((series, rules) -> out.printf("  %-44s %s%n", series, rules));
        Map<String, String> regressions = latestFindings(output.resolve(OutputKind.REGRESSIONS.name));
        out.println("regression findings, latest version of each (" + output.resolve(OutputKind.REGRESSIONS.name) + "):");
        if (regressions.isEmpty()) {
            out.println("  none");
        }
        regressions.values().forEach(r -> out.printf("  %s%n", r));
        out.println();
        out.println("injected scenarios (what the detectors should find):");
        for (Scenario s : generator.scenarios()) {
            out.printf("  %-26s %-44s from %s  %s%n", s.name, s.component + "/" + s.metric,
                    Timestamps.iso(s.startMillis), s.description);
        }
    }

    /** Each finding's last version (an update has the same finding_id), in the order files were written. */
    static Map<String, String> latestFindings(Path dir) throws IOException {
        Map<String, String> latest = new java.util.LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return latest;
        }
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()
                    .filter(p -> !p.getFileName().toString().startsWith("."))::iterator) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = json.readTree(line);
                    latest.put(n.path("finding_id").asText(), String.format("%-20s %-26s %-11s %-14s change %s, detected %s, %+.0f%%",
                            n.path("component").asText(), n.path("metric").asText(), n.path("direction").asText(), n.path("type").asText(),
                            n.path("change_point_at").asText(), n.path("detected_at").asText(), 100 * n.path("relative_change").asDouble()));
                }
            }
        }
        return latest;
    }

    /** Counts the JSON lines under {@code dir} by the values of {@code fields}. */
    static Map<String, Integer> countBy(Path dir, String... fields) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return counts;
        }
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))::iterator) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        JsonNode node = json.readTree(line);
                        StringBuilder key = new StringBuilder();
                        for (String field : fields) {
                            key.append(key.length() == 0 ? "" : "  ").append(node.path(field).asText());
                        }
                        counts.merge(key.toString(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

}
