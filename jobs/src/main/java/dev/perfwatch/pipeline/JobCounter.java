package dev.perfwatch.pipeline;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** A count kept twice: a Flink metric (live) and an accumulator (read when a bounded run ends). */
public final class JobCounter {

    private final Counter metric;
    private final LongCounter accumulator;

    private JobCounter(Counter metric, LongCounter accumulator) {
        this.metric = metric;
        this.accumulator = accumulator;
    }

    /** {@code perfwatch.<name>}; {@code subgroup} (may be null) nests it, e.g. deadLetters.late. */
    public static JobCounter of(RuntimeContext ctx, String subgroup, String name) {
        MetricGroup group = ctx.getMetricGroup().addGroup(Counters.GROUP);
        if (subgroup != null) {
            group = group.addGroup(subgroup);
        }
        String accumulatorName = Counters.accumulator(subgroup == null ? name : subgroup + "." + name);
        return new JobCounter(group.counter(name), ctx.getLongCounter(accumulatorName));
    }

    public void add(long n) {
        metric.inc(n);
        accumulator.add(n);
    }
}
