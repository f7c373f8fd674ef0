package dev.perfwatch.pipeline;

import dev.perfwatch.alerting.AlertLifecycle;
import dev.perfwatch.alerting.LifecycleInput;
import dev.perfwatch.alerting.LifecycleInputs;
import dev.perfwatch.alerting.ParsedCommand;
import dev.perfwatch.analyze.ComponentAnalyzer;
import dev.perfwatch.analyze.ComponentInput;
import dev.perfwatch.analyze.ComponentProfiles;
import dev.perfwatch.analyze.SystemHealth;
import dev.perfwatch.analyze.SummaryPartial;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.detect.AlertPatterns;
import dev.perfwatch.detect.RegressionDetector;
import dev.perfwatch.detect.SeriesWindows;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertEvent;
import dev.perfwatch.model.ControlCommand;
import dev.perfwatch.model.Notification;
import dev.perfwatch.notify.Notifier;
import dev.perfwatch.model.BottleneckReport;
import dev.perfwatch.model.HealthScore;
import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.Ingested;
import dev.perfwatch.model.JsonRecord;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

import java.util.ArrayList;
import java.util.List;

/**
 * The one graph perfwatch runs. It takes the environment, its inputs and the configuration, and
 * returns each output as its own typed stream ({@link Outputs}, by {@link OutputKind}), so the live
 * job, the backfill, the demo, the benchmark and every test build the same graph and differ only in
 * the sources they pass and the sinks they attach. See jobs/ARCHITECTURE.md.
 */
public final class PerfwatchPipeline {

    /** A window's part that reached it after the window closed: its samples, counted, as one dead letter. */
    static DeadLetter lateLetter(SummaryPartial part) {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("component", part.component);
        fields.put("metric", part.metric);
        fields.put("window_start", dev.perfwatch.model.Timestamps.iso(part.windowStart));
        fields.put("samples", part.count);
        String raw = dev.perfwatch.model.OutputJson.toJson(fields);
        String detail = part.count + " sample(s) of " + part.component + "/" + part.metric + " for the window from "
                + dev.perfwatch.model.Timestamps.iso(part.windowStart) + " reached it after the watermark had closed it";
        return new DeadLetter(raw, DeadLetter.Reason.LATE, detail, null, 0, part.windowStart);
    }

    private PerfwatchPipeline() {}

    /** The pipeline without control commands. */
    public static Outputs build(StreamExecutionEnvironment env, List<MetricInput> inputs, PerfwatchConfig config) {
        boolean endless = inputs.stream().anyMatch(i -> i.source().getBoundedness() == org.apache.flink.api.connector.source.Boundedness.CONTINUOUS_UNBOUNDED);
        return build(env, inputs, endless ? ControlInput.noneWhileRunning() : ControlInput.none(), config);
    }

    public static Outputs build(StreamExecutionEnvironment env, List<MetricInput> inputs, ControlInput control, PerfwatchConfig config) {
        return build(env, inputs, control, config, TimeRange.ALL);
    }

    /**
     * The pipeline over the samples {@code range} reads, writing the records it writes (a backfill: the
     * detectors warm up on the history before the range, and only the range's output is written).
     */
    public static Outputs build(StreamExecutionEnvironment env, List<MetricInput> inputs, ControlInput control, PerfwatchConfig config,
            TimeRange range) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("the pipeline needs at least one metric input");
        }
        long outOfOrderness = config.eventTime.maxOutOfOrderness.toMillis();
        // Watermarks are set where records are read: one generator per split (file, partition).
        WatermarkStrategy<Ingested> watermarks = WatermarkStrategy
                .<Ingested>forGenerator(ctx -> new OrderedWatermarks(outOfOrderness))
                .withTimestampAssigner((record, previous) -> record.eventTime());
        DataStream<Ingested> read = null;
        for (MetricInput input : inputs) {
            SingleOutputStreamOperator<Ingested> stream = env
                    .fromSource(input.source(), input.idleness() ? watermarks.withIdleness(config.eventTime.idleness) : watermarks, input.name())
                    .uid("source-" + input.uid()).name(input.name());
            if (input.parallelism() != null) {
                stream.setParallelism(input.parallelism());
            }
            read = read == null ? stream : read.union(stream);
        }
        SingleOutputStreamOperator<MetricSample> samples = read
                .process(new IngestGate(outOfOrderness, range))
                .uid("ingest-gate").name("count, dead letters, late samples");
        if (inputs.size() == 1 && inputs.get(0).parallelism() != null) {
            // Chained to its one source: a rebalance between them would interleave each file's samples
            // differently from run to run (and parallelism to parallelism).
            samples.setParallelism(inputs.get(0).parallelism());
        }

        boolean streaming = env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) != RuntimeExecutionMode.BATCH;
        // Samples are folded per series where they are read; only the parts of each window and regression
        // interval cross the network (PartialAggregates).
        SingleOutputStreamOperator<SummaryPartial> parts = samples
                .transform("fold samples per series and window", TypeInformation.of(SummaryPartial.class), new LocalAggregation(config))
                .uid("local-aggregation");
        if (inputs.size() == 1 && inputs.get(0).parallelism() != null) {
            parts.setParallelism(inputs.get(0).parallelism()); // chained to the gate
        }
        // Per series, one keyed operator: the window summaries, and the thresholds, anomaly scores and sequence
        // patterns' pre-filters and the memory leak's ring over each summary as it closes (SeriesWindows).
        SingleOutputStreamOperator<WindowSummary> summaries = SeriesWindows.apply(parts, config.windows.summary,
                config.windows.quantileRelativeAccuracy, config.alerts, config.levels(), config.analysis.profileWindow, !streaming);
        // One exchange by component for the per-component stages: each series' parts of the profile windows, the
        // summaries the component patterns read, and the series detectors' alert candidates (for the lifecycle).
        KeyedStream<ComponentInput, String> components = summaries.getSideOutput(SeriesWindows.COMPONENT).keyBy(Keys.INPUT_COMPONENT);
        DataStream<DeadLetter> deadLetters = samples.getSideOutput(IngestGate.DEAD_LETTERS);
        if (streaming) {
            // The gate runs first and a part is sent before the watermark that completes it, so this stays
            // empty; kept so nothing can vanish silently. (A batch run's windows see every part.)
            deadLetters = deadLetters.union(summaries.getSideOutput(SeriesWindows.LATE)
                    .map(PerfwatchPipeline::lateLetter)
                    .returns(DeadLetter.class)
                    .uid("window-late").name("window-late samples to dead letters"));
        }

        List<DataStream<AlertCandidate>> alerts = new ArrayList<>();
        alerts.add(Keys.alerts(components));
        alerts.addAll(AlertPatterns.all(summaries, summaries, Keys.byComponent(components), config.alerts.patterns, config.levels(), true));
        SingleOutputStreamOperator<RegressionFinding> regressions = parts.getSideOutput(LocalAggregation.BUCKETS).keyBy(Keys.BUCKET_SERIES)
                .process(new RegressionDetector(config.regression, config.levels(), config.catalogue()))
                .uid("regression-detector").name("regression detection");
        alerts.add(regressions.getSideOutput(RegressionDetector.PREDICTIONS));

        // Per component and profile window: bottlenecks, health, suggestions.
        SingleOutputStreamOperator<BottleneckReport> bottlenecks = Keys.profileParts(components)
                .window(TumblingEventTimeWindows.of(config.analysis.profileWindow))
                .aggregate(new ComponentProfiles.MergeParts(), new ComponentProfiles.Emit())
                .uid("component-profiles").name("component profiles")
                .keyBy(w -> w.component)
                .transform("bottlenecks, health, suggestions", TypeInformation.of(BottleneckReport.class),
                        CleanupTimers.operator(new ComponentAnalyzer(config.analysis, config.levels(), config.catalogue(), config.alerts.retention)))
                .uid("component-analysis");
        DataStream<HealthScore> health = bottlenecks.getSideOutput(ComponentAnalyzer.HEALTH).keyBy(SystemHealth::key)
                .window(TumblingEventTimeWindows.of(config.analysis.profileWindow))
                .process(new SystemHealth())
                .uid("system-health").name("system health");

        // The alert lifecycle: every candidate, regression episode and bottleneck, per component, with the
        // control commands broadcast to it; its notifications routed, rate limited and delivered.
        List<DataStream<AlertCandidate>> candidates = new ArrayList<>(alerts);
        candidates.add(regressions.getSideOutput(RegressionDetector.EPISODES));
        DataStream<LifecycleInput> lifecycleInputs = union(candidates).map(LifecycleInput::of).returns(LifecycleInput.class)
                .uid("lifecycle-candidates").name("alert candidates")
                .union(bottlenecks.getSideOutput(ComponentAnalyzer.LIFECYCLE));
        SingleOutputStreamOperator<ParsedCommand> parsedCommands = env
                .fromSource(control.source(), LifecycleInputs.commandWatermarks(), control.name())
                .uid("source-" + control.uid()).name(control.name())
                .process(new LifecycleInputs.CommandGate())
                .uid("command-gate").name("check control commands");
        DataStream<ControlCommand> commands = parsedCommands.map(c -> c.command).returns(ControlCommand.class)
                .uid("control-commands").name("control commands");
        deadLetters = deadLetters.union(parsedCommands.getSideOutput(LifecycleInputs.REJECTED_COMMANDS));
        SingleOutputStreamOperator<AlertEvent> events = lifecycleInputs.keyBy(i -> i.component)
                .connect(commands.broadcast(AlertLifecycle.COMMANDS))
                .process(new AlertLifecycle(config.lifecycle))
                .uid("alert-lifecycle").name("alert lifecycle");
        DataStream<Notification> notifications = Notifier.deliver(events.getSideOutput(AlertLifecycle.NOTIFICATIONS),
                config.notifications, config.lifecycle);

        Outputs outputs = new Outputs(range);
        put(outputs, OutputKind.SUMMARIES, summaries);
        outputs.inInputOrder(OutputKind.SUMMARIES); // the window operator's own output, counted on the way (forward, chained)
        put(outputs, OutputKind.DEAD_LETTERS, deadLetters);
        put(outputs, OutputKind.ALERTS, union(alerts));
        put(outputs, OutputKind.REGRESSIONS, regressions);
        put(outputs, OutputKind.BOTTLENECKS, bottlenecks);
        put(outputs, OutputKind.HEALTH, health);
        put(outputs, OutputKind.SUGGESTIONS, bottlenecks.getSideOutput(ComponentAnalyzer.SUGGESTIONS));
        put(outputs, OutputKind.ALERT_EVENTS, events);
        put(outputs, OutputKind.NOTIFICATIONS, notifications);
        return outputs;
    }

    private static <T extends JsonRecord> void put(Outputs outputs, OutputKind<T> kind, DataStream<T> stream) {
        outputs.put(kind, stream.process(new Counted<T>(kind.name, outputs.range())).returns(kind.type)
                .uid("count-" + kind.name).name("count " + kind.name));
    }

    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> all = streams.get(0);
        for (int i = 1; i < streams.size(); i++) {
            all = all.union(streams.get(i));
        }
        return all;
    }
}
