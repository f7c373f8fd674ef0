package dev.perfwatch.cli;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.PerfwatchPipeline;
import dev.perfwatch.pipeline.Sinks;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "nab", mixinStandardHelpOptions = true,
        description = {"Run the anomaly detectors over the NAB AWS CloudWatch series and score them against the labels.",
            "Each file is one series (metric nab_value, component = file name) summarized in --window windows;",
            "prints a markdown table: labelled windows that got an anomaly alert, and alerts outside every window."})
public class NabCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", paramLabel = "DIR", required = true,
            description = "The NAB folder, with realAWSCloudwatch/ and combined_windows.json (e.g. ../shared/datasets/nab).")
    Path dataset;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "5m",
            description = "Summary window (default: ${DEFAULT-VALUE}, the series' spacing: one sample a window).")
    String window;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Also write the table to this markdown file.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Path series = dataset.resolve("realAWSCloudwatch");
        Path labels = dataset.resolve("combined_windows.json");
        if (!Files.isDirectory(series) || !Files.isRegularFile(labels)) {
            throw new IllegalArgumentException(dataset + ": expected realAWSCloudwatch/ and combined_windows.json in it");
        }
        PerfwatchConfig config = common.load(List.of("windows.summary=" + window));
        Path out = Files.createTempDirectory("perfwatch-nab");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.BATCH));
        env.setParallelism(common.parallelism);
        Sinks.toFiles(PerfwatchPipeline.build(
                Inputs.files(env, List.of(series.toString()), new LineFormat(config.ingest.maxLineBytes, LineFormat.FileFormat.CSV), null),
                config, ParserSettings.from(config.ingest, "nab_value", "{file}")), out.toString());
        env.execute("perfwatch nab evaluation");
        String table = NabEvaluation.evaluate(labels, out.resolve(Sinks.ALERTS));
        System.out.print(table);
        if (output != null) {
            Files.writeString(output, table);
        }
        return 0;
    }

}
