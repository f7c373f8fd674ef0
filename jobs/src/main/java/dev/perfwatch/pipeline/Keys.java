package dev.perfwatch.pipeline;

import dev.perfwatch.analyze.ComponentInput;
import dev.perfwatch.analyze.SummaryPartial;
import dev.perfwatch.detect.BucketPartial;
import dev.perfwatch.detect.SequencePreFilters;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

/**
 * The keys the pipeline partitions by, one selector each. Consumers that key a stream by equal selectors
 * share one exchange (Flink reuses a partition when partitioner and key selector are equal): in batch,
 * each exchange a task writes is a sort-merge partition holding 512 network buffers, so a task with a
 * dozen of them does not fit a default TaskManager. Selectors are equal by class.
 */
public final class Keys {

    /** Series by their 64-bit id ({@link MetricSample#seriesId(String, String)}), for each record type keyed by series. */
    public static final KeySelector<SummaryPartial, Long> PARTIAL_SERIES = new PartialSeries();
    public static final KeySelector<BucketPartial, Long> BUCKET_SERIES = new BucketSeries();
    public static final KeySelector<WindowSummary, Long> SUMMARY_SERIES = new SummarySeries();
    public static final KeySelector<WindowSummary, String> SUMMARY_COMPONENT = new SummaryComponent();
    public static final KeySelector<SequencePreFilters.PatternWindow, Long> PATTERN_SERIES = new PatternSeries();
    public static final KeySelector<ComponentInput, String> INPUT_COMPONENT = new InputComponent();

    private Keys() {}

    /**
     * Keeps the windows of a keyed stream that {@code keep} accepts, still keyed (the filter runs in the
     * consumer, after the shared exchange). The filter itself is not a keyed operator (it is applied to
     * the exchange's output as a plain stream): BATCH execution sorts the whole input of every keyed
     * operator by key and time, and a filter needs no order; only what it keeps is sorted, by the keyed
     * operator after it.
     */
    public static <K> KeyedStream<WindowSummary, K> filtered(DataStream<WindowSummary> summaries,
            KeySelector<WindowSummary, K> key, FilterFunction<WindowSummary> keep,
            String uid, String name) {
        DataStream<WindowSummary> kept = afterExchange(summaries.keyBy(key))
                .filter(keep).uid(uid).name(name);
        return DataStreamUtils.reinterpretAsKeyedStream(kept, key);
    }

    /**
     * A keyed exchange's output as a plain stream: what is applied to it (a filter, a map) is not a keyed operator,
     * so BATCH execution does not sort its input, and consumers of one exchange share it.
     */
    public static <T, K> DataStream<T> afterExchange(KeyedStream<T, K> keyed) {
        return new DataStream<>(keyed.getExecutionEnvironment(), keyed.getTransformation());
    }

    /**
     * Summaries keyed by component for the per-component patterns, each consumer keeping what it reads after
     * one exchange that all of them share.
     */
    public interface ComponentSummaries {
        KeyedStream<WindowSummary, String> filtered(FilterFunction<WindowSummary> keep, String uid, String name);
    }

    /** From the summaries themselves. */
    public static ComponentSummaries byComponent(DataStream<WindowSummary> summaries) {
        return (keep, uid, name) -> filtered(summaries, SUMMARY_COMPONENT, keep, uid, name);
    }

    /** From the per-component inputs the per-series operator sends ({@link ComponentInput#summary}), keyed once. */
    public static ComponentSummaries byComponent(KeyedStream<ComponentInput, String> inputs) {
        return (keep, uid, name) -> {
            DataStream<WindowSummary> kept = afterExchange(inputs)
                    .flatMap(new SummariesKept(keep)).returns(WindowSummary.class).uid(uid).name(name);
            return DataStreamUtils.reinterpretAsKeyedStream(kept, SUMMARY_COMPONENT);
        };
    }

    /** The profile parts of the per-component inputs, after their shared exchange, keyed by component. */
    public static KeyedStream<ComponentInput, String> profileParts(KeyedStream<ComponentInput, String> inputs) {
        DataStream<ComponentInput> parts = afterExchange(inputs)
                .filter(in -> in.profile != null).uid("component-profile-parts").name("profile parts");
        return DataStreamUtils.reinterpretAsKeyedStream(parts, INPUT_COMPONENT);
    }

    /** The alert candidates among the per-component inputs, after their shared exchange. */
    public static DataStream<AlertCandidate> alerts(KeyedStream<ComponentInput, String> inputs) {
        return afterExchange(inputs)
                .flatMap(new AlertsKept()).returns(AlertCandidate.class).uid("series-alerts").name("series alert candidates");
    }

    private static final class AlertsKept implements FlatMapFunction<ComponentInput, AlertCandidate> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(ComponentInput in, Collector<AlertCandidate> out) {
            if (in.alert != null) {
                out.collect(in.alert);
            }
        }
    }

    private static final class SummariesKept implements FlatMapFunction<ComponentInput, WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final FilterFunction<WindowSummary> keep;

        SummariesKept(FilterFunction<WindowSummary> keep) {
            this.keep = keep;
        }

        @Override
        public void flatMap(ComponentInput in, Collector<WindowSummary> out) throws Exception {
            if (in.summary != null && keep.filter(in.summary)) {
                out.collect(in.summary);
            }
        }
    }

    /** Base: equal to any selector of the same class (they compute the same key). */
    private abstract static class ByClass implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public final boolean equals(Object o) {
            return o != null && o.getClass() == getClass();
        }

        @Override
        public final int hashCode() {
            return getClass().getName().hashCode();
        }
    }

    private static final class PartialSeries extends ByClass implements KeySelector<SummaryPartial, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long getKey(SummaryPartial part) {
            return part.seriesId;
        }
    }

    private static final class BucketSeries extends ByClass implements KeySelector<BucketPartial, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long getKey(BucketPartial part) {
            return part.seriesId;
        }
    }

    private static final class SummarySeries extends ByClass implements KeySelector<WindowSummary, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long getKey(WindowSummary summary) {
            return summary.seriesId();
        }
    }

    private static final class PatternSeries extends ByClass implements KeySelector<SequencePreFilters.PatternWindow, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long getKey(SequencePreFilters.PatternWindow w) {
            return w.window.seriesId();
        }
    }

    private static final class InputComponent extends ByClass implements KeySelector<ComponentInput, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ComponentInput in) {
            return in.component;
        }
    }

    private static final class SummaryComponent extends ByClass implements KeySelector<WindowSummary, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(WindowSummary summary) {
            return summary.component;
        }
    }
}
