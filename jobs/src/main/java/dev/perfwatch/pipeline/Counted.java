package dev.perfwatch.pipeline;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Passes records on, counting them as {@code perfwatch.output.<kind>} (chained, costs a counter). */
final class Counted<T> extends ProcessFunction<T, T> {

    private static final long serialVersionUID = 1L;

    private final String kind;
    private transient JobCounter count;

    Counted(String kind) {
        this.kind = kind;
    }

    @Override
    public void open(OpenContext openContext) {
        count = JobCounter.of(getRuntimeContext(), Counters.OUTPUT, kind);
    }

    @Override
    public void processElement(T value, Context ctx, Collector<T> out) {
        count.add(1);
        out.collect(value);
    }
}
