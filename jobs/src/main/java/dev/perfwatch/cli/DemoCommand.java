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

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

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
        common.apply(env);
        Outputs outputs = PerfwatchPipeline.build(env,
                List.of(Inputs.generator(generator, ParserSettings.from(config.ingest, null, null))),
                MonitorCommand.controlInput(AlertsCommand.controlDir(config).toAbsolutePath(), null, config), config);
        StagedOutput staged = StagedOutput.under(output.toString());
        Sinks.toFiles(outputs, staged.stagingPath(), RuntimeExecutionMode.STREAMING);
        System.out.printf("perfwatch demo: %,d samples from %d series, %s to %s, seed %d%n", generator.count(),
                generator.seriesCount(), Timestamps.iso(generator.startMillis()), Timestamps.iso(generator.endMillis()), demo.seed);
        if (webUiPort != null) {
            System.out.println("Flink web UI: http://127.0.0.1:" + webUiPort + " (while the demo runs)");
        }
        RunReport report = JobRun.bounded(env, "perfwatch demo", staged, config);
        printSummary(System.out, report, generator, output);
        Path page = output.resolve("report.html");
        new dev.perfwatch.report.HtmlReport(output).write(page);
        System.out.println();
        System.out.println("report: " + page.toAbsolutePath().normalize() + " (open it in a browser; ./perfwatch report DIR makes one for any run)");
        return 0;
    }

    static void printSummary(PrintStream out, RunReport report, DemoGenerator generator, Path output) {
        OutputTables tables = new OutputTables(output);
        out.println();
        if (report != null) {
            report.print(out);
        }
        out.println();
        Map<String, Integer> summaries = countBy(tables.rows(OutputKind.SUMMARIES), "component");
        out.println("window summaries written, per component (" + tables.folder(OutputKind.SUMMARIES) + "):");
        summaries.forEach((c, n) -> out.printf("  %-20s %,6d%n", c, n));
        Map<String, Integer> dead = countBy(tables.rows(OutputKind.DEAD_LETTERS), "reason");
        out.println("dead letters written, per reason (" + tables.folder(OutputKind.DEAD_LETTERS) + "):");
        if (dead.isEmpty()) {
            out.println("  none");
        }
        dead.forEach((r, n) -> out.printf("  %-20s %,6d%n", r, n));
        Map<String, String> firing = new TreeMap<>();
        countBy(tables.rows(OutputKind.ALERTS), "component", "metric", "rule", "status").forEach((key, n) -> {
            String[] k = key.split("  ");
            if (k[3].equals("firing")) {
                firing.merge(k[0] + "/" + k[1], k[2] + (n > 1 ? " x" + n : ""), (a, b) -> a + ", " + b);
            }
        });
        out.println("alerts raised (firing), per series (" + tables.folder(OutputKind.ALERTS) + "):");
        if (firing.isEmpty()) {
            out.println("  none");
        }
        firing.forEach((series, rules) -> out.printf("  %-44s %s%n", series, rules));
        out.println("regression findings, latest version of each (" + tables.folder(OutputKind.REGRESSIONS) + "):");
        Map<String, JsonNode> findings = new LinkedHashMap<>();
        tables.rows(OutputKind.REGRESSIONS).forEach(n -> findings.merge(n.path("finding_id").asText(), n,
                (a, b) -> b.path("version").asInt() >= a.path("version").asInt() ? b : a));
        if (findings.isEmpty()) {
            out.println("  none");
        }
        findings.values().forEach(n -> out.printf("  %-20s %-26s %-11s %-14s change %s, detected %s, %s %s (version %d)%n",
                n.path("component").asText(), n.path("metric").asText(), n.path("direction").asText(), n.path("type").asText(),
                n.path("change_point_at").asText(), n.path("detected_at").asText(), 
                dev.perfwatch.model.RegressionFinding.relativeText(n.path("relative_change").isNumber() ? n.path("relative_change").asDouble() : Double.NaN, 0),
                n.path("severity").asText(), n.path("version").asInt()));
        printAnalysis(out, tables);
        printNotifications(out, tables);
        out.println();
        out.println("injected scenarios (what the detectors should find):");
        for (Scenario s : generator.scenarios()) {
            out.printf("  %-28s %-44s from %s  %s%n", s.name, s.component + "/" + s.metric,
                    Timestamps.iso(s.startMillis), s.description);
        }
    }

    /** Bottlenecks (each with its latest report), health per component, the top suggestions. */
    static void printAnalysis(PrintStream out, OutputTables tables) {
        Map<String, JsonNode> bottlenecks = new TreeMap<>();
        Map<String, String> opened = new TreeMap<>();
        for (JsonNode b : tables.rows(OutputKind.BOTTLENECKS)) {
            String key = b.path("component").asText() + "  " + b.path("type").asText() + "  " + b.path("opened_at").asText();
            if (b.path("status").asText().equals("resolved")) {
                opened.put(key, "resolved " + hhmm(b.path("window_start").asText()));
            } else {
                bottlenecks.put(key, b);
            }
        }
        out.println("bottlenecks (" + tables.folder(OutputKind.BOTTLENECKS) + "), the last report of each:");
        if (bottlenecks.isEmpty()) {
            out.println("  none");
        }
        bottlenecks.forEach((key, b) -> out.printf("  %-20s %-20s opened %s, %s, severity %.2f: %s%n", b.path("component").asText(),
                b.path("type").asText(), hhmm(b.path("opened_at").asText()), opened.getOrDefault(key, "still open"),
                b.path("severity").asDouble(), b.path("root_cause").asText()));
        Map<String, double[]> health = new TreeMap<>();
        Map<String, String> lowestAt = new TreeMap<>();
        for (JsonNode h : tables.rows(OutputKind.HEALTH)) {
            String c = h.path("component").asText();
            double score = h.path("score").asDouble();
            double[] v = health.computeIfAbsent(c, k -> new double[] {Double.NaN, Double.POSITIVE_INFINITY});
            v[0] = score;
            if (score < v[1]) {
                v[1] = score;
                lowestAt.put(c, hhmm(h.path("window_start").asText()));
            }
        }
        out.println("health (" + tables.folder(OutputKind.HEALTH) + "): last window's score, and the lowest:");
        health.forEach((c, v) -> out.printf("  %-20s %5.1f  (lowest %5.1f at %s)%n", c, v[0], v[1], lowestAt.get(c)));
        Map<String, JsonNode> top = new TreeMap<>();
        for (JsonNode s : tables.rows(OutputKind.SUGGESTIONS)) {
            String key = s.path("component").asText() + "  " + s.path("suggestion_id").asText();
            JsonNode before = top.get(key);
            if (before == null || s.path("priority").asDouble() > before.path("priority").asDouble()) {
                top.put(key, s);
            }
        }
        Map<String, List<JsonNode>> byComponent = new TreeMap<>();
        top.values().forEach(s -> byComponent.computeIfAbsent(s.path("component").asText(), k -> new java.util.ArrayList<>()).add(s));
        out.println("top suggestions per component (" + tables.folder(OutputKind.SUGGESTIONS) + "):");
        if (byComponent.isEmpty()) {
            out.println("  none");
        }
        byComponent.forEach((c, list) -> {
            list.sort((a, b) -> Double.compare(b.path("priority").asDouble(), a.path("priority").asDouble()));
            for (int i = 0; i < Math.min(3, list.size()); i++) {
                JsonNode s = list.get(i);
                out.printf("  %-20s %-30s %s (impact %s, effort %s)%n", i == 0 ? c : "", s.path("suggestion_id").asText(),
                        s.path("title").asText(), s.path("impact").asText(), s.path("effort").asText());
            }
        });
    }

    /** The lifecycle's view: notifications per incident (one row per message, not per channel), and how they were delivered. */
    static void printNotifications(PrintStream out, OutputTables tables) {
        List<JsonNode> rows = tables.rows(OutputKind.NOTIFICATIONS);
        Map<String, JsonNode> messages = new TreeMap<>();
        Map<String, Integer> deliveries = new TreeMap<>();
        for (JsonNode n : rows) {
            messages.put(n.path("sent_at").asText() + " " + n.path("notification_id").asText(), n);
            deliveries.merge(n.path("channel").asText() + " " + n.path("delivery").asText(), 1, Integer::sum);
        }
        int candidates = tables.rows(OutputKind.ALERTS).size();
        out.printf("notifications (%s): %d messages for %d alert candidates, history in %s:%n", tables.folder(OutputKind.NOTIFICATIONS),
                messages.size(), candidates, tables.folder(OutputKind.ALERT_EVENTS));
        if (messages.isEmpty()) {
            out.println("  none");
        }
        for (JsonNode n : messages.values()) {
            List<String> alerts = new java.util.ArrayList<>();
            n.path("alerts").forEach(a -> {
                if (!a.path("state").asText().equals("resolved") || n.path("status").asText().equals("resolved")) {
                    alerts.add(a.path("rule").asText() + (a.path("metric").isNull() ? "" : " " + a.path("metric").asText()));
                }
            });
            String listed = alerts.size() <= 3 ? String.join(", ", alerts) : String.join(", ", alerts.subList(0, 3)) + " +" + (alerts.size() - 3) + " more";
            out.printf("  %s  %-30s %-8s %-9s %s%n", hhmm(n.path("sent_at").asText()), n.path("group_key").asText(), n.path("status").asText(),
                    n.path("reason").asText(), listed);
        }
        if (!deliveries.isEmpty()) {
            StringBuilder b = new StringBuilder("  delivery:");
            deliveries.forEach((k, v) -> b.append(' ').append(k).append(' ').append(v).append(';'));
            out.println(b.substring(0, b.length() - 1) + (deliveries.keySet().stream().allMatch(k -> k.startsWith("none "))
                    ? " (no channel configured: --set notifications.webhook.url=http://... to send them)" : ""));
        }
    }

    private static String hhmm(String iso) {
        return iso.length() >= 16 ? iso.substring(11, 16) : iso;
    }

    /** Counts rows by the values of {@code fields}. */
    static Map<String, Integer> countBy(List<JsonNode> rows, String... fields) {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode node : rows) {
            StringBuilder key = new StringBuilder();
            for (String field : fields) {
                key.append(key.length() == 0 ? "" : "  ").append(node.path(field).asText());
            }
            counts.merge(key.toString(), 1, Integer::sum);
        }
        return counts;
    }
}
