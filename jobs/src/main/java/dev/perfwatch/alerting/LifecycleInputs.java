package dev.perfwatch.alerting;

import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.BottleneckReport;
import dev.perfwatch.model.BottleneckStatus;
import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.HealthScore;

import dev.perfwatch.pipeline.Counters;
import dev.perfwatch.pipeline.JobCounter;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** What feeds the alert lifecycle besides the detectors' candidates: bottlenecks, heartbeats, control commands. */
public final class LifecycleInputs {

    public static final OutputTag<DeadLetter> REJECTED_COMMANDS = new OutputTag<>("rejected-commands") {};

    private LifecycleInputs() {}

    /** A bottleneck report as an alert candidate: rule {@code bottleneck:<type>}, firing while open, cleared when resolved. */
    public static AlertCandidate ofBottleneck(BottleneckReport r) {
        boolean resolved = r.status == BottleneckStatus.RESOLVED;
        Evidence e = new Evidence().put("root_cause", r.rootCause).put("status", r.status.code())
                .put("severity", r.severity).put("confidence", r.confidence);
        if (resolved) {
            String endedBy = r.evidence == null ? null : r.evidence.text("ended_by");
            e.put("note", endedBy != null ? "bottleneck over (" + endedBy + ")" : "bottleneck over");
        }
        return new AlertCandidate("bottleneck:" + r.type.code(), AlertKind.BOTTLENECK, AlertLifecycle.severityOf(r.severity),
                resolved ? AlertStatus.CLEARED : AlertStatus.FIRING, r.component, null, r.severity, null, r.windowEnd, r.openedAt, e);
    }

    /** A component's profile window ended: time for its lifecycle to move on. */
    /** A bottleneck report as the lifecycle's input. */
    public static LifecycleInput bottleneck(BottleneckReport r) {
        return LifecycleInput.of(ofBottleneck(r));
    }

    public static LifecycleInput heartbeat(HealthScore h) {
        return LifecycleInput.heartbeat(h.component, h.windowEnd);
    }

    /**
     * Control commands do not take part in event time: their source is always idle, so the lifecycle's
     * time is the metrics' alone (a command is applied at its own time {@code at} when the metrics
     * get there, or at the lifecycle's next step if they are past it). Were it to emit watermarks of
     * its own, an idle metric input would let them run the lifecycle's timers ahead of the data.
     */
    public static WatermarkStrategy<ParsedCommand> commandWatermarks() {
        return WatermarkStrategy.<ParsedCommand>forGenerator(ctx -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(ParsedCommand event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        }).withTimestampAssigner((c, previous) -> c.command != null ? c.command.at : Long.MIN_VALUE);
    }

    /** Valid commands go on; bad ones to dead letters (reason bad_command); blank lines are dropped. */
    public static final class CommandGate extends ProcessFunction<ParsedCommand, ParsedCommand> {
        private static final long serialVersionUID = 1L;
        private transient JobCounter commands;
        private transient JobCounter deadLetters;
        private transient JobCounter badCommands;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
            commands = JobCounter.of(getRuntimeContext(), null, Counters.COMMANDS);
            deadLetters = JobCounter.of(getRuntimeContext(), null, Counters.DEAD_LETTERS);
            badCommands = JobCounter.of(getRuntimeContext(), Counters.DEAD_LETTERS_BY_REASON, DeadLetter.Reason.BAD_COMMAND.code());
        }

        @Override
        public void processElement(ParsedCommand c, Context ctx, Collector<ParsedCommand> out) {
            if (c.command != null) {
                commands.add(1);
                out.collect(c);
            } else if (c.rejected != null) {
                deadLetters.add(1);
                badCommands.add(1);
                ctx.output(REJECTED_COMMANDS, c.rejected);
            }
        }
    }
}
