package dev.perfwatch.pipeline;

import dev.perfwatch.model.JsonRecord;

import org.apache.flink.streaming.api.datastream.DataStream;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's outputs, one typed stream per {@link OutputKind}. Callers attach a sink to each kind
 * they want; a kind without a sink is not run at all (Flink only runs what leads to a sink).
 */
public final class Outputs {

    private final Map<OutputKind<?>, DataStream<?>> streams = new LinkedHashMap<>();
    private final Set<OutputKind<?>> inInputOrder = new HashSet<>();
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

    /**
     * Marks {@code kind} as one whose records, in BATCH mode, reach each parallel writer in an order that is a
     * function of the input alone: the output of one keyed operator, chained to its writer, whose sorted input
     * gives it the keys in their sorted order and each key's records in time order (not a union of streams, not
     * an operator that sees records of several keys interleaved). Its files need no sort to be byte-identical
     * at the same parallelism.
     */
    void inInputOrder(OutputKind<?> kind) {
        inInputOrder.add(kind);
    }

    /** Whether {@link #inInputOrder} marked {@code kind}. */
    public boolean isInInputOrder(OutputKind<?> kind) {
        return inInputOrder.contains(kind);
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
