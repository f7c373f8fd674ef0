package dev.perfwatch.bench;

import dev.perfwatch.cli.CommonOptions;
import dev.perfwatch.cli.JobRun;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.pipeline.EmbeddedFlink;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.PerfwatchPipeline;
import dev.perfwatch.pipeline.OutputKind;
import dev.perfwatch.pipeline.Outputs;
import dev.perfwatch.pipeline.Sinks;
import dev.perfwatch.pipeline.StagedOutput;

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
        description = {"Run the detectors over NAB's labelled series and score them against the labels.",
            "By default the 17 AWS CloudWatch series committed in jobs/bench/nab; --dataset takes a checkout of",
            "numenta/NAB (or any folder with combined_windows.json and the category folders it names) and scores every",
            "labelled series found there (all 58 of the corpus, or --category realKnownCause ...).",
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
            description = "The NAB folder: combined_windows.json and the category folders its keys name (realAWSCloudwatch/,"
                    + " ...), or a checkout of numenta/NAB (labels/combined_windows.json and data/<category>/). Default: the copy"
                    + " in the repository, jobs/bench/nab (the AWS CloudWatch series).")
    Path dataset;

    @Option(names = "--category", paramLabel = "NAME",
            description = "Score only this category's series (a folder of the dataset, e.g. realAWSCloudwatch, realKnownCause;"
                    + " repeatable). Default: every labelled series found under --dataset.")
    List<String> categories = new java.util.ArrayList<>();

    @Option(names = "--window", paramLabel = "DURATION",
            description = "Summary window (default: the configuration's windows.summary, as a user would run it).")
    String window;

    @Option(names = "--run-output", paramLabel = "DIR",
            description = "Write every output table of the run (alerts/, regressions/, summaries/, ...) here and keep them; a"
                    + " re-run replaces what an earlier run wrote for the same hours, as monitor's output does (default: a temporary"
                    + " folder with the tables scored, alerts/, alert-events/ and regressions/, removed after scoring).")
    Path runOutput;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Also write the table to this markdown file.")
    Path output;

    @Override
    public Integer call() throws Exception {
        NabDataset series = NabDataset.open(dataset, categories);
        if (!series.missing().isEmpty()) {
            System.err.println("perfwatch nab: " + series.missing().size() + " labelled series not found under " + dataset
                    + ", not scored: " + String.join(", ", series.missing()));
        }
        PerfwatchConfig config = common.load(window == null ? List.of() : List.of("windows.summary=" + window));
        Path out = runOutput != null ? Files.createDirectories(runOutput) : Files.createTempDirectory("perfwatch-nab");
        try {
            return evaluate(config, series, out);
        } finally {
            if (runOutput == null) {
                FileUtils.deleteDirectory(out.toFile()); // the tables scored, only read here
            }
        }
    }

    /** The tables the scores read; the others are written only with --run-output (a part file per kind and hour). */
    static final java.util.Set<String> SCORED = java.util.Set.of(OutputKind.ALERTS.name, OutputKind.ALERT_EVENTS.name,
            OutputKind.REGRESSIONS.name);

    private Integer evaluate(PerfwatchConfig config, NabDataset series, Path out) throws Exception {
        StreamExecutionEnvironment env = EmbeddedFlink.environment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.BATCH));
        common.apply(env);
        ParserSettings parser = ParserSettings.from(config.ingest, "nab_value", "{file}");
        List<String> files = series.files().values().stream().map(Path::toString).toList();
        Outputs outputs = PerfwatchPipeline.build(env, List.of(Inputs.files(files,
                LineFormat.samples(config.ingest.maxLineBytes, LineFormat.FileFormat.CSV, parser), null, config.ingest.maxOpenFiles)), config);
        if (runOutput == null) {
            Sinks.toFiles(outputs, out.toString(), RuntimeExecutionMode.BATCH, SCORED);
            env.execute("perfwatch nab evaluation");
        } else {
            // As monitor's output: staged, and on success replacing the hours the run covers, so a re-run into the
            // same folder does not leave the tables (and the scores read from them) counting a run twice.
            StagedOutput staged = StagedOutput.under(out.toString());
            Sinks.toFiles(outputs, staged.stagingPath(), RuntimeExecutionMode.BATCH);
            JobRun.bounded(env, "perfwatch nab evaluation", staged, config);
        }
        java.util.Map<String, List<long[]>> windows = series.windows();
        String table = "NAB scores (" + series.files().size() + " series: " + String.join(", ", series.categorySet()) + "):\n\n"
                + NabEvaluation.scores(series, out)
                + "\nAnomaly alerts per series:\n\n" + NabEvaluation.evaluate(windows, out) + "\nRegression findings:\n\n"
                + NabEvaluation.evaluateRegressions(windows, out);
        System.out.print(table);
        if (output != null) {
            Files.writeString(output, table);
        }
        return 0;
    }

}
