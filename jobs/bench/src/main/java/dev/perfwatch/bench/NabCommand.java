package dev.perfwatch.bench;

import dev.perfwatch.cli.CommonOptions;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.pipeline.EmbeddedFlink;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.PerfwatchPipeline;
import dev.perfwatch.pipeline.Outputs;
import dev.perfwatch.pipeline.Sinks;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "nab", mixinStandardHelpOptions = true,
        description = {"Run the detectors over the NAB AWS CloudWatch series and score them against the labels.",
            "Each file is one series (metric nab_value, component = file name) summarized in the configuration's",
            "windows (or --window); prints markdown: NAB's scores of the alerts raised (every detector's, as the alert",
            "lifecycle raised them: each transition to firing in alert-events a detection at its time; standard,",
            "reward-low-FP and reward-low-FN profiles, by the benchmark's published rules, with the detections outside",
            "every window) beside the published scoreboard; the labelled windows without any alert; per series, the",
            "labelled windows with an anomaly alert and the alerts outside every window; the regression findings, and",
            "those outside every window."})
public class NabCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", paramLabel = "DIR", defaultValue = "${sys:perfwatch.home:-.}/jobs/bench/nab",
            description = "The NAB folder, with realAWSCloudwatch/ and combined_windows.json (default: the copy in the"
                    + " repository, jobs/bench/nab).")
    Path dataset;

    @Option(names = "--window", paramLabel = "DURATION",
            description = "Summary window (default: the configuration's windows.summary, as a user would run it).")
    String window;

    @Option(names = "--run-output", paramLabel = "DIR",
            description = "Write the run's output tables (alerts/, regressions/, ...) here and keep them (default: a temporary folder, removed after scoring).")
    Path runOutput;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Also write the table to this markdown file.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Path series = dataset.resolve("realAWSCloudwatch");
        Path labels = dataset.resolve("combined_windows.json");
        if (!Files.isDirectory(series) || !Files.isRegularFile(labels)) {
            throw new IllegalArgumentException(dataset + ": expected realAWSCloudwatch/ and combined_windows.json in it");
        }
        PerfwatchConfig config = common.load(window == null ? List.of() : List.of("windows.summary=" + window));
        Path out = runOutput != null ? Files.createDirectories(runOutput) : Files.createTempDirectory("perfwatch-nab");
        try {
            return evaluate(config, series, labels, out);
        } finally {
            if (runOutput == null) {
                FileUtils.deleteDirectory(out.toFile()); // the run's tables, about 65 MB, only scored here
            }
        }
    }

    private Integer evaluate(PerfwatchConfig config, Path series, Path labels, Path out) throws Exception {
        StreamExecutionEnvironment env = EmbeddedFlink.environment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.BATCH));
        common.apply(env);
        ParserSettings parser = ParserSettings.from(config.ingest, "nab_value", "{file}");
        Outputs outputs = PerfwatchPipeline.build(env, List.of(Inputs.files(List.of(series.toString()),
                LineFormat.samples(config.ingest.maxLineBytes, LineFormat.FileFormat.CSV, parser), null, config.ingest.maxOpenFiles)), config);
        Sinks.toFiles(outputs, out.toString(), RuntimeExecutionMode.BATCH);
        env.execute("perfwatch nab evaluation");
        String table = "NAB scores:\n\n" + NabEvaluation.scores(labels, series, out)
                + "\nAnomaly alerts per series:\n\n" + NabEvaluation.evaluate(labels, out) + "\nRegression findings:\n\n"
                + NabEvaluation.evaluateRegressions(labels, out);
        System.out.print(table);
        if (output != null) {
            Files.writeString(output, table);
        }
        return 0;
    }

}
