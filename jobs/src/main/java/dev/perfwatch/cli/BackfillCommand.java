package dev.perfwatch.cli;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.Timestamps;
import dev.perfwatch.pipeline.ControlInput;
import dev.perfwatch.pipeline.Counters;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.MetricInput;
import dev.perfwatch.pipeline.OutputKind;
import dev.perfwatch.pipeline.Outputs;
import dev.perfwatch.pipeline.PerfwatchPipeline;
import dev.perfwatch.pipeline.Sinks;
import dev.perfwatch.pipeline.StagedOutput;
import dev.perfwatch.pipeline.TimeRange;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {
            "Run the whole pipeline in batch mode over history, from --from to --to",
            "(UTC, --to not included), and replace that range's output partitions.",
            "The detectors first read the history they use before --from (--warmup);",
            "what they find there is not written. Inputs partitioned by day",
            "(.../dt=YYYY-MM-DD/...) are pruned by path; other files are read and",
            "filtered by event time. Re-running a range replaces its output (byte for",
            "byte the same for the same input); a failed run leaves the earlier output",
            "as it was. A backfill never sends notifications: its alert events show",
            "what would have fired."},
        footer = {"", "Examples:",
            "  ./perfwatch backfill --input history/ --output out \\",
            "      --from 2026-11-01 --to 2026-11-08",
            "  ./perfwatch backfill --input history/ --output /tmp/what-if \\",
            "      --from 2026-11-01 --to 2026-11-08 --config new-rules.yaml",
            "",
            "Exit codes: 0 done; 1 the run failed, or found no sample in the range",
            "(the earlier output is kept); 2 usage error."})
public class BackfillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    FileInputOptions files;

    @Option(names = "--from", paramLabel = "TIME", required = true,
            description = "Start of the range, on a whole hour: a date (2026-11-01, midnight UTC) or a UTC time (2026-11-01T06:00:00Z).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", required = true,
            description = "End of the range, not included, on a whole hour (--to 2026-11-08 ends with the last hour of 2026-11-07).")
    String to;

    @Option(names = "--warmup", paramLabel = "DURATION",
            description = "History read before --from to warm the detectors (default: the longest history they use, from the"
                    + " configuration: the anomaly range's days and a day more (8 d), the regression baseline and comparison"
                    + " windows, the anomaly baseline, the component history). Shorter is faster; the first days of the"
                    + " range may then alert differently from one run over everything.")
    String warmup;

    @Option(names = "--allow-empty", description = "Succeed (and replace the range's output with nothing) when no sample falls in the range.")
    boolean allowEmpty;

    @Option(names = "--progress-every", paramLabel = "DURATION", defaultValue = "10s",
            description = "How often progress is printed (default: ${DEFAULT-VALUE}).")
    String progressEvery;

    @Override
    public Integer call() throws Exception {
        long start = time("--from", from);
        long end = time("--to", to);
        if (end <= start) {
            throw new ParameterException(spec.commandLine(), "--to (" + to + ") must be after --from (" + from + ")");
        }
        List<String> overrides = new ArrayList<>();
        MonitorCommand.addOverride(overrides, "output.path", files.output);
        overrides.add("notifications.enabled=false");
        PerfwatchConfig config = common.load(overrides);
        Duration history = warmup == null ? config.history() : MonitorCommand.durationOption("--warmup", warmup);
        if (history.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--warmup must not be negative, got " + warmup);
        }
        Duration every = MonitorCommand.durationOption("--progress-every", progressEvery);
        TimeRange range = new TimeRange(start - history.toMillis(), start, end);
        PrintStream out = System.out;
        BackfillInputs selected = BackfillInputs.select(files.listing(config, out, "perfwatch backfill"), range);
        out.println("perfwatch backfill: " + Timestamps.iso(start) + " to " + Timestamps.iso(end) + " (not included), warm-up "
                + TimeUtils.formatWithHighestUnit(history) + " from " + Timestamps.iso(range.readFrom()));
        out.println("perfwatch backfill: " + selected.describe());
        if (selected.files().isEmpty()) {
            out.println("perfwatch backfill: no input file can hold samples of the range; nothing was written");
            return allowEmpty ? 0 : 1;
        }

        StreamExecutionEnvironment env = MonitorCommand.environment(FlinkSettings.forJob(config, RuntimeExecutionMode.BATCH), null);
        common.apply(env);
        MetricInput metrics = Inputs.files(selected.files(), files.lineFormat(config), null, config.ingest.maxOpenFiles);
        java.nio.file.Path controlDir = AlertsCommand.controlDir(config).toAbsolutePath();
        ControlInput control = MonitorCommand.controlInput(controlDir, null, config);
        Outputs outputs = PerfwatchPipeline.build(env, List.of(metrics), control, config, range);
        String name = "perfwatch backfill " + Timestamps.iso(start) + ".." + Timestamps.iso(end);
        if (JobRun.detached(env)) {
            Sinks.toFiles(outputs, config.output.path, RuntimeExecutionMode.BATCH);
            JobRun.submitDetached(env, name, out);
            return 0;
        }
        StagedOutput staged = StagedOutput.under(config.output.path);
        Sinks.toFiles(outputs, staged.stagingPath(), RuntimeExecutionMode.BATCH);
        Progress progress = new Progress(selected.files().size(), selected.estimatedLines(), System.nanoTime());
        RunReport report = JobRun.staged(env, name, staged, config, every, progress.printer(out));
        report.print(out);
        long inRange = report.count(Counters.SAMPLES) - report.count(Counters.WARMUP_SAMPLES);
        out.printf("warm-up           %,d samples before %s (read only to warm the detectors)%n",
                report.count(Counters.WARMUP_SAMPLES), Timestamps.iso(start));
        out.printf("outside range     %,d records (before the warm-up or from --to on: not read)%n", report.count(Counters.OUTSIDE_RANGE));
        if (inRange == 0 && !allowEmpty) {
            staged.abort();
            out.println("perfwatch backfill: no sample in the range " + Timestamps.iso(start) + " to " + Timestamps.iso(end)
                    + "; the earlier output was kept (--allow-empty replaces it with nothing)");
            return 1;
        }
        long committing = System.nanoTime();
        staged.commit(range);
        out.printf("output            %s (partitions %s to %s replaced in %.1f s)%n", config.output.path, Timestamps.iso(start),
                Timestamps.iso(end), (System.nanoTime() - committing) / 1e9);
        return 0;
    }

    /** A whole-hour UTC instant from a date or an ISO time. */
    long time(String option, String text) {
        long t;
        try {
            if (text.length() == 10) {
                t = LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } else if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                t = java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } else {
                t = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), option + ": expected a date (2026-11-01) or a UTC time"
                    + " (2026-11-01T06:00:00Z), got '" + text + "'");
        }
        if (t % 3_600_000L != 0) {
            throw new ParameterException(spec.commandLine(), option + " " + text + ": must be on a whole hour (output is"
                    + " partitioned by hour, and a backfill replaces whole partitions)");
        }
        return t;
    }
}
