package dev.perfwatch.analyze;

import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import java.util.Map;

/**
 * Folds the window summaries of one component into a {@link ComponentWindow} per profile window,
 * incrementally (a few numbers per metric, never the summaries themselves). Missing metrics are
 * simply absent.
 */
public final class ComponentProfiles {

    private ComponentProfiles() {}

    public static final class Aggregate implements AggregateFunction<WindowSummary, ComponentWindow, ComponentWindow> {
        private static final long serialVersionUID = 1L;
        private final MetricLevels levels;

        public Aggregate(MetricLevels levels) {
            this.levels = levels;
        }

        @Override
        public ComponentWindow createAccumulator() {
            return new ComponentWindow();
        }

        @Override
        public ComponentWindow add(WindowSummary w, ComponentWindow acc) {
            MetricThresholds t = levels.of(w.component, w.metric);
            acc.metrics.computeIfAbsent(w.metric, m -> new MetricWindow()).add(w, t == null ? null : t.statistic);
            return acc;
        }

        @Override
        public ComponentWindow getResult(ComponentWindow acc) {
            return acc;
        }

        @Override
        public ComponentWindow merge(ComponentWindow a, ComponentWindow b) {
            return mergeAll(a, b);
        }
    }

    private static void mergeMetric(ComponentWindow acc, String metric, MetricWindow w) {
        acc.metrics.merge(metric, w, (x, y) -> {
            x.merge(y);
            return x;
        });
    }

    private static ComponentWindow mergeAll(ComponentWindow a, ComponentWindow b) {
        for (Map.Entry<String, MetricWindow> e : b.metrics.entrySet()) {
            mergeMetric(a, e.getKey(), e.getValue());
        }
        return a;
    }

    /**
     * Folds the series' parts of a profile window ({@link ComponentInput#profile}, one per series: the metric's
     * windows folded as {@link Aggregate} folds them) into the component's window: the same numbers.
     */
    public static final class MergeParts implements AggregateFunction<ComponentInput, ComponentWindow, ComponentWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public ComponentWindow createAccumulator() {
            return new ComponentWindow();
        }

        @Override
        public ComponentWindow add(ComponentInput part, ComponentWindow acc) {
            mergeMetric(acc, part.metric, part.profile);
            return acc;
        }

        @Override
        public ComponentWindow getResult(ComponentWindow acc) {
            return acc;
        }

        @Override
        public ComponentWindow merge(ComponentWindow a, ComponentWindow b) {
            return mergeAll(a, b);
        }
    }

    /** Names the component and the window. */
    public static final class Emit extends ProcessWindowFunction<ComponentWindow, ComponentWindow, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String component, Context ctx, Iterable<ComponentWindow> results, Collector<ComponentWindow> out) {
            ComponentWindow w = results.iterator().next();
            w.component = component;
            w.windowStart = ctx.window().getStart();
            w.windowEnd = ctx.window().getEnd();
            out.collect(w);
        }
    }
}
