package dev.perfwatch.pipeline;

import dev.perfwatch.model.JsonRecord;

import org.apache.flink.streaming.api.datastream.DataStream;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pipeline's outputs, one typed stream per {@link OutputKind}. Callers attach a sink to each kind
 * they want; a kind without a sink is not run at all (Flink only runs what leads to a sink).
 */
public final class Outputs {

    private final Map<OutputKind<?>, DataStream<?>> streams = new LinkedHashMap<>();
    private final TimeRange range;

    Outputs(TimeRange range) {
        this.range = range;
    }

    /** The event time whose records the streams carry. */
    public TimeRange range() {
        return range;
    }

    <T extends JsonRecord> void put(OutputKind<T> kind, DataStream<T> stream) {
        streams.put(kind, stream);
    }

    @SuppressWarnings("unchecked")
    public <T extends JsonRecord> DataStream<T> get(OutputKind<T> kind) {
        DataStream<T> stream = (DataStream<T>) streams.get(kind);
        if (stream == null) {
            throw new IllegalArgumentException("the pipeline has no output " + kind);
        }
        return stream;
    }

    /** Called for each kind and its stream. */
    public interface Visitor {
        <T extends JsonRecord> void visit(OutputKind<T> kind, DataStream<T> stream);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public void forEach(Visitor visitor) {
        for (Map.Entry<OutputKind<?>, DataStream<?>> e : streams.entrySet()) {
            visitor.visit((OutputKind) e.getKey(), (DataStream) e.getValue());
        }
    }
}
