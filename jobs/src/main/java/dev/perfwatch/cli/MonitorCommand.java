package dev.perfwatch.cli;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.InputListing;
import dev.perfwatch.pipeline.ControlInput;
import dev.perfwatch.pipeline.Counters;
import dev.perfwatch.pipeline.EmbeddedFlink;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.KafkaEndpoint;
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
            "Monitor metrics from files or Kafka: summaries, alerts, regressions, bottlenecks, health,",
            "suggestions, the alert lifecycle and notifications, and dead letters.",
            "Without --watch, reads the given files and directories once and exits when they are consumed,"
                    + " with every output file finalized. With --watch, keeps watching the directories for new files."},
        footer = {"", "Examples:",
            "  ./perfwatch monitor --input metrics/ --output out",
            "  ./perfwatch monitor --input exports/ --metric cpu_usage --component '{file}' --output out",
            "  ./perfwatch monitor --input incoming/ --watch --output out",
            "  ./perfwatch monitor --kafka-bootstrap localhost:9092 --metrics-topic metrics \\",
            "      --kafka-output-bootstrap localhost:9092 --output out"})
public class MonitorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    FileInputOptions files;

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

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT",
            description = "Read metrics from Kafka (JSON values, one record each) at these brokers; with --metrics-topic.")
    String kafkaBootstrap;

    @Option(names = "--metrics-topic", paramLabel = "TOPIC", description = "The Kafka topic of metrics.")
    String metricsTopic;

    @Option(names = "--control-topic", paramLabel = "TOPIC",
            description = "Read control commands (perfwatch alerts ...) from this Kafka topic instead of the control directory.")
    String controlTopic;

    @Option(names = "--group-id", paramLabel = "GROUP", description = "Kafka consumer group (default: kafka.group-id, 'perfwatch').")
    String groupId;

    @Option(names = "--starting-offsets", paramLabel = "WHERE", defaultValue = "committed",
            description = "earliest, latest, committed (the group's offsets, else earliest; default), or a time"
                    + " (2026-11-01T00:00:00Z or epoch milliseconds).")
    String startingOffsets;

    @Option(names = "--kafka-bounded", description = "Read Kafka up to the offsets at start, then finish (replays, tests).")
    boolean kafkaBounded;

    @Option(names = "--kafka-output-bootstrap", paramLabel = "HOST:PORT",
            description = "Also write results to Kafka at these brokers, exactly once: the kinds and topics of kafka.topics"
                    + " (alerts, regressions, bottlenecks, suggestions, alert-events by default).")
    String kafkaOutputBootstrap;

    @Option(names = "--web-ui-port", paramLabel = "PORT", description = "Serve Flink's web UI on 127.0.0.1:PORT during an embedded run.")
    Integer webUiPort;

    @Override
    public Integer call() throws Exception {
        List<String> overrides = new ArrayList<>();
        addOverride(overrides, "output.path", files.output);
        addOverride(overrides, "windows.summary", window);
        addOverride(overrides, "event-time.max-out-of-orderness", outOfOrderness);
        addOverride(overrides, "event-time.idleness", idleness);
        PerfwatchConfig config = common.load(overrides);
        if ((kafkaBootstrap == null) != (metricsTopic == null)) {
            throw new ParameterException(spec.commandLine(), "--kafka-bootstrap and --metrics-topic go together");
        }
        if (!files.given() && kafkaBootstrap == null) {
            throw new ParameterException(spec.commandLine(), "give --input PATH... (or the paths as arguments) or --kafka-bootstrap and --metrics-topic");
        }
        if (controlTopic != null && kafkaBootstrap == null) {
            throw new ParameterException(spec.commandLine(), "--control-topic reads from --kafka-bootstrap's brokers");
        }
        boolean kafkaUnbounded = kafkaBootstrap != null && !kafkaBounded;
        boolean unbounded = watch || kafkaUnbounded;
        // Kafka in or out runs in streaming mode (the exactly-once sink commits at checkpoints).
        RuntimeExecutionMode runtimeMode = parseMode(mode, unbounded,
                kafkaBootstrap != null || kafkaOutputBootstrap != null);
        Duration every = unbounded ? durationOption("--watch-interval", watchInterval) : null;
        Duration interval = watch ? every : null;
        List<String> inputs = files.given() ? files.inputs() : List.of();
        InputListing listing = files.given() ? files.listing(config, System.out, "perfwatch monitor") : null;

        StreamExecutionEnvironment env = environment(FlinkSettings.forJob(config, runtimeMode), webUiPort);
        common.apply(env);
        List<MetricInput> metrics = new ArrayList<>();
        List<String> sources = new ArrayList<>(inputs);
        if (!inputs.isEmpty()) {
            metrics.add(Inputs.files(listing, files.lineFormat(config), interval, config.ingest.maxOpenFiles));
        }
        KafkaEndpoint kafkaIn = null;
        if (kafkaBootstrap != null) {
            kafkaIn = new KafkaEndpoint(kafkaBootstrap, groupId, startingOffsets, kafkaBounded, config.kafka);
            metrics.add(Inputs.kafka(kafkaIn, metricsTopic, files.lineParser(config), config.ingest.maxLineBytes));
            sources.add("kafka " + kafkaBootstrap + "/" + metricsTopic);
        }
        java.nio.file.Path controlDir = AlertsCommand.controlDir(config).toAbsolutePath();
        ControlInput control = controlTopic != null ? ControlInput.kafka(kafkaIn, controlTopic, config.ingest.maxLineBytes)
                : controlInput(controlDir, unbounded ? every : null, config);
        Outputs outputs = PerfwatchPipeline.build(env, metrics, control, config);
        if (kafkaOutputBootstrap != null) {
            Sinks.toKafka(outputs, new KafkaEndpoint(kafkaOutputBootstrap, groupId, "committed", false, config.kafka));
        }
        String name = "perfwatch monitor " + String.join(" ", sources);
        if (JobRun.detached(env)) {
            // Submitted through the REST API or flink run -d: no one waits to commit a staged output, so the job
            // writes in place (a re-run into the same output adds files: give each run its own --output).
            Sinks.toFiles(outputs, config.output.path, runtimeMode);
            JobRun.submitDetached(env, name, System.out);
            return 0;
        }
        if (unbounded) {
            System.out.println("perfwatch monitor: control commands (perfwatch alerts ...) are read from "
                    + (controlTopic != null ? "kafka topic " + controlTopic : controlDir));
            Sinks.toFiles(outputs, config.output.path, runtimeMode);
            System.out.println("perfwatch monitor: " + (watch ? "watching " + String.join(", ", inputs) + " for new files every "
                    + watchInterval : "reading " + String.join(", ", sources)) + ", writing to " + config.output.path
                    + " (files final at each checkpoint, every "
                    + org.apache.flink.util.TimeUtils.formatWithHighestUnit(config.output.checkpointInterval) + ")");
            JobRun.watched(env, name, config, PROGRESS_EVERY, System.out);
            return 0;
        }
        StagedOutput staged = StagedOutput.under(config.output.path);
        Sinks.toFiles(outputs, staged.stagingPath(), runtimeMode);
        RunReport report;
        if (kafkaBootstrap == null) {
            // Files only: progress every PROGRESS_EVERY while the run lasts (none in a run shorter than that).
            BackfillInputs listed = BackfillInputs.select(listing, dev.perfwatch.pipeline.TimeRange.ALL);
            Progress progress = new Progress(listed.files().size(), listed.estimatedLines(), System.nanoTime());
            report = JobRun.bounded(env, name, staged, config, PROGRESS_EVERY, progress.printer(System.out));
        } else {
            report = JobRun.bounded(env, name, staged, config);
        }
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
                throw new ParameterException(spec.commandLine(), "input " + input + ": cannot be read: " + e.getMessage());
            }
            if (!exists) {
                throw new ParameterException(spec.commandLine(), "input " + input + ": no such file or directory");
            }
        }
    }

    /** A duration option's value, or an error that names the option. */
    public static Duration durationOption(String option, String text) {
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
            conf.set(RestOptions.PORT, webUiPort); // (the embedded cluster's REST endpoint serves the web UI)
        }
        return EmbeddedFlink.environment(conf);
    }

    RuntimeExecutionMode parseMode(String mode, boolean watch, boolean kafka) {
        if (mode == null) {
            return watch || kafka ? RuntimeExecutionMode.STREAMING : RuntimeExecutionMode.BATCH;
        }
        switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "streaming":
                return RuntimeExecutionMode.STREAMING;
            case "batch":
                if (watch) {
                    throw new ParameterException(spec.commandLine(),
                            "--mode batch needs bounded input: it cannot be combined with --watch or unbounded Kafka input");
                }
                if (kafkaOutputBootstrap != null) {
                    throw new ParameterException(spec.commandLine(),
                            "--mode batch cannot write to Kafka (its exactly-once sink commits at checkpoints)");
                }
                return RuntimeExecutionMode.BATCH;
            default:
                throw new ParameterException(spec.commandLine(),
                        "--mode must be streaming or batch, got '" + mode + "'");
        }
    }
}
