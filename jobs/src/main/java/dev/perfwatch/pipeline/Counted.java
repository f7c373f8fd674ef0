package dev.perfwatch.pipeline;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes on the records the run writes (all but a backfill's warm-up and what falls after its range),
 * counting them as {@code perfwatch.output.<kind>} (chained, costs a counter).
 */
final class Counted<T extends dev.perfwatch.model.JsonRecord> extends ProcessFunction<T, T> {

    private static final long serialVersionUID = 1L;

    private final String kind;
    private final TimeRange range;
    private transient JobCounter count;

    Counted(String kind, TimeRange range) {
        this.kind = kind;
        this.range = range;
    }

    @Override
    public void open(OpenContext openContext) {
        count = JobCounter.of(getRuntimeContext(), Counters.OUTPUT, kind);
    }

    @Override
    public void processElement(T value, Context ctx, Collector<T> out) {
        if (range.writes(value.partitionTime())) {
            count.add(1);
            out.collect(value);
        }
    }
}
