package dev.perfwatch.alerting;

import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.BottleneckReport;
import dev.perfwatch.model.BottleneckStatus;
import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.HealthScore;

import org.apache.flink.api.common.eventtime.Watermark;
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
    public static LifecycleInput heartbeat(HealthScore h) {
        return LifecycleInput.heartbeat(h.component, h.windowEnd);
    }

    /** Control commands do not take part in event time: their source always says "nothing older will come". */
    public static WatermarkStrategy<ParsedCommand> commandWatermarks() {
        return WatermarkStrategy.<ParsedCommand>forGenerator(ctx -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(ParsedCommand event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE - 1));
            }
        }).withTimestampAssigner((c, previous) -> c.command != null ? c.command.at : Long.MIN_VALUE);
    }

    /** Valid commands go on; bad ones to dead letters (reason bad_command); blank lines are dropped. */
    public static final class CommandGate extends ProcessFunction<ParsedCommand, ParsedCommand> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(ParsedCommand c, Context ctx, Collector<ParsedCommand> out) {
            if (c.command != null) {
                out.collect(c);
            } else if (c.rejected != null) {
                ctx.output(REJECTED_COMMANDS, c.rejected);
            }
        }
    }
}
