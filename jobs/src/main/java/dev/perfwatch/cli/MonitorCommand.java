package dev.perfwatch.cli;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.pipeline.ControlInput;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.MetricInput;
import dev.perfwatch.pipeline.Outputs;
import dev.perfwatch.pipeline.PerfwatchPipeline;
import dev.perfwatch.pipeline.Sinks;
import dev.perfwatch.pipeline.StagedOutput;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {
            "Monitor metrics from files: summaries, alerts, regressions, bottlenecks, health,",
            "suggestions, the alert lifecycle and notifications, and dead letters.",
            "Without --watch, reads the given files and directories once and exits when they are consumed,"
                    + " with every output file finalized. With --watch, keeps watching the directories for new files."},
        footer = {"", "Examples:",
            "  ./perfwatch monitor --input metrics/ --output out",
            "  ./perfwatch monitor --input exports/ --metric cpu_usage --component '{file}' --output out",
            "  ./perfwatch monitor --input incoming/ --watch --output out"})
public class MonitorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = {"-i", "--input"}, paramLabel = "PATH", required = true, arity = "1..*",
            description = "Files or directories (read recursively) of JSON lines (.jsonl, .json) or CSV (.csv).")
    List<String> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Output directory (default: output.path of the configuration, 'out').")
    String output;

    @Option(names = "--format", paramLabel = "json|csv",
            description = "Read every file as this format instead of choosing by extension (.csv is CSV, anything else JSON lines).")
    String format;

    @Option(names = "--metric", paramLabel = "NAME", description = "Metric of CSV rows whose file has no 'metric' column.")
    String csvMetric;

    @Option(names = "--component", paramLabel = "NAME",
            description = "Component of CSV rows whose file has no 'component' column; '{file}' stands for the file's name without extension.")
    String csvComponent;

    @Option(names = "--watch", description = "Keep running and process files added to the input directories.")
    boolean watch;

    @Option(names = "--watch-interval", paramLabel = "DURATION", defaultValue = "10s",
            description = "How often --watch looks for new files (default: ${DEFAULT-VALUE}).")
    String watchInterval;

    @Option(names = "--mode", paramLabel = "batch|streaming",
            description = "Flink runtime mode. Default: batch for files read once (any order, no late data), streaming with"
                    + " --watch (watermarks: a sample more than event-time.max-out-of-orderness behind the newest sample of"
                    + " its own file goes to dead letters as late; files are read side by side, so files covering the same"
                    + " period are fine).")
    String mode;

    @Option(names = "--window", paramLabel = "DURATION", description = "Summary window (windows.summary).")
    String window;

    @Option(names = "--out-of-orderness", paramLabel = "DURATION", description = "event-time.max-out-of-orderness.")
    String outOfOrderness;

    @Option(names = "--idleness", paramLabel = "DURATION", description = "event-time.idleness.")
    String idleness;

    @Option(names = "--web-ui-port", paramLabel = "PORT", description = "Serve Flink's web UI on 127.0.0.1:PORT during an embedded run.")
    Integer webUiPort;

    @Override
    public Integer call() throws Exception {
        List<String> overrides = new ArrayList<>();
        addOverride(overrides, "output.path", output);
        addOverride(overrides, "windows.summary", window);
        addOverride(overrides, "event-time.max-out-of-orderness", outOfOrderness);
        addOverride(overrides, "event-time.idleness", idleness);
        PerfwatchConfig config = common.load(overrides);
        LineFormat.FileFormat forced = parseFormat(format);
        RuntimeExecutionMode runtimeMode = parseMode(mode, watch);
        Duration interval = watch ? durationOption("--watch-interval", watchInterval) : null;
        checkInputs(spec, inputs);

        StreamExecutionEnvironment env = environment(FlinkSettings.forJob(config, runtimeMode), webUiPort);
        common.apply(env);
        ParserSettings parser = ParserSettings.from(config.ingest, csvMetric, csvComponent);
        MetricInput files = Inputs.files(inputs, LineFormat.samples(config.ingest.maxLineBytes, forced, parser), interval,
                config.ingest.maxOpenFiles);
        java.nio.file.Path controlDir = AlertsCommand.controlDir(config).toAbsolutePath();
        ControlInput control = controlInput(controlDir, interval, config);
        Outputs outputs = PerfwatchPipeline.build(env, List.of(files), control, config);
        String name = "perfwatch monitor " + String.join(" ", inputs);
        if (JobRun.detached(env)) {
            // Submitted through the REST API or flink run -d: no one waits to commit a staged output, so the job
            // writes in place (a re-run into the same output adds files: give each run its own --output).
            Sinks.toFiles(outputs, config.output.path, runtimeMode);
            JobRun.submitDetached(env, name, System.out);
            return 0;
        }
        if (interval != null) {
            System.out.println("perfwatch monitor: control commands (perfwatch alerts ...) are read from " + controlDir);
            Sinks.toFiles(outputs, config.output.path, runtimeMode);
            System.out.println("perfwatch monitor: watching " + String.join(", ", inputs) + " for new files every "
                    + watchInterval + ", writing to " + config.output.path + " (files final at each checkpoint, every "
                    + org.apache.flink.util.TimeUtils.formatWithHighestUnit(config.output.checkpointInterval) + ")");
            JobRun.watched(env, name, config, PROGRESS_EVERY, System.out);
            return 0;
        }
        StagedOutput staged = StagedOutput.under(config.output.path);
        Sinks.toFiles(outputs, staged.stagingPath(), runtimeMode);
        RunReport report = JobRun.bounded(env, name, staged, config);
        report.print(System.out);
        System.out.println("output            " + config.output.path);
        return 0;
    }

    /**
     * The control directory as an input: watched with the metrics (created if missing), or read once
     * when it exists.
     */
    static ControlInput controlInput(java.nio.file.Path dir, Duration watch, PerfwatchConfig config) throws java.io.IOException {
        if (watch != null) {
            java.nio.file.Files.createDirectories(dir);
            return ControlInput.directory(dir.toString(), watch, config.ingest.maxLineBytes);
        }
        return java.nio.file.Files.isDirectory(dir) ? ControlInput.directory(dir.toString(), null, config.ingest.maxLineBytes) : ControlInput.none();
    }

    /** How often a watched run prints its counts. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** Every input must exist: a typo is a usage error (exit 2), not a failed job. */
    static void checkInputs(CommandSpec spec, List<String> inputs) {
        for (String input : inputs) {
            org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(input);
            boolean exists;
            try {
                exists = path.getFileSystem().exists(path);
            } catch (java.io.IOException e) {
                throw new ParameterException(spec.commandLine(), "--input " + input + ": cannot be read: " + e.getMessage());
            }
            if (!exists) {
                throw new ParameterException(spec.commandLine(), "--input " + input + ": no such file or directory");
            }
        }
    }

    static Duration durationOption(String option, String text) {
        try {
            return dev.perfwatch.config.ConfigLoader.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    static void addOverride(List<String> overrides, String key, String value) {
        if (value != null) {
            overrides.add(key + "=" + value);
        }
    }

    static StreamExecutionEnvironment environment(Configuration conf, Integer webUiPort) {
        if (webUiPort != null) {
            conf.set(RestOptions.PORT, webUiPort);
            return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    LineFormat.FileFormat parseFormat(String format) {
        if (format == null) {
            return null;
        }
        switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "json":
            case "jsonl":
                return LineFormat.FileFormat.JSON;
            case "csv":
                return LineFormat.FileFormat.CSV;
            default:
                throw new ParameterException(spec.commandLine(),
                        "--format must be json or csv, got '" + format + "'");
        }
    }

    RuntimeExecutionMode parseMode(String mode, boolean watch) {
        if (mode == null) {
            return watch ? RuntimeExecutionMode.STREAMING : RuntimeExecutionMode.BATCH;
        }
        switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "streaming":
                return RuntimeExecutionMode.STREAMING;
            case "batch":
                if (watch) {
                    throw new ParameterException(spec.commandLine(),
                            "--mode batch needs bounded input; it cannot be combined with --watch");
                }
                return RuntimeExecutionMode.BATCH;
            default:
                throw new ParameterException(spec.commandLine(),
                        "--mode must be streaming or batch, got '" + mode + "'");
        }
    }
}
