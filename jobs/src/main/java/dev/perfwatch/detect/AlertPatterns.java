package dev.perfwatch.detect;

import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.Keys;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The alert patterns over the window summaries, one class per pattern: with Flink CEP (keyed, event
 * time) the sequences {@link ConsecutiveBreachesPattern}, {@link CorrelatedSaturationPattern} and
 * {@link FlappingPattern}; with a ring of the last K windows per key the trends {@link MemoryLeakPattern}
 * and {@link QueueBacklogPattern}. Every pattern skips past its last window after a match, so one
 * episode gives one match per run of windows. Parameters come from {@code alerts.patterns}.
 */
public final class AlertPatterns {

    private AlertPatterns() {}

    /**
     * Orders windows with the same timestamp (different metrics of one component) by metric name, so
     * a match does not depend on which arrived first: the same in streaming and in batch.
     */
    static final EventComparator<WindowSummary> BY_METRIC = new ByMetric();

    static final class ByMetric implements EventComparator<WindowSummary> {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(WindowSummary a, WindowSummary b) {
            int c = a.metric.compareTo(b.metric);
            return c != 0 ? c : a.component.compareTo(b.component);
        }
    }

    /** Every enabled pattern's candidates, with their own pre-filter operator; empty when none is enabled. */
    public static List<DataStream<AlertCandidate>> all(DataStream<WindowSummary> summaries, AlertsConfig.Patterns p,
            MetricLevels levels, Duration retention) {
        SingleOutputStreamOperator<WindowSummary> preFilters = p.consecutiveBreaches.enabled || p.flapping.enabled
                ? SequencePreFilters.apply(summaries, levels, retention, p.consecutiveBreaches.enabled, p.flapping.enabled) : null;
        return all(summaries, preFilters, Keys.byComponent(summaries), p, levels, false);
    }

    /**
     * Every enabled pattern's candidates; the sequence patterns read the pattern windows of {@code preFilters}
     * (a {@link SequencePreFilters} or the {@link SeriesWindows} holding one). The memory leak's ring runs
     * here unless {@code leakInSeriesWindows} (then it runs in the {@link SeriesWindows}); the per-component patterns
     * read {@code components}.
     */
    public static List<DataStream<AlertCandidate>> all(DataStream<WindowSummary> summaries, SingleOutputStreamOperator<?> preFilters,
            Keys.ComponentSummaries components, AlertsConfig.Patterns p, MetricLevels levels, boolean leakInSeriesWindows) {
        List<DataStream<AlertCandidate>> streams = new ArrayList<>();
        KeyedStream<SequencePreFilters.PatternWindow, Long> sequences = p.consecutiveBreaches.enabled || p.flapping.enabled
                ? SequencePreFilters.keyed(preFilters) : null;
        if (p.consecutiveBreaches.enabled) {
            streams.add(ConsecutiveBreachesPattern.apply(SequencePreFilters.windows(sequences, SequencePreFilters.BREACH_RUNS),
                    p.consecutiveBreaches, levels));
        }
        if (p.correlatedSaturation.enabled) {
            streams.add(CorrelatedSaturationPattern.apply(components, p.correlatedSaturation, levels));
        }
        if (p.memoryLeak.enabled && !leakInSeriesWindows) {
            streams.add(MemoryLeakPattern.apply(summaries, p.memoryLeak, levels));
        }
        if (p.queueBacklog.enabled) {
            streams.add(QueueBacklogPattern.apply(components, p.queueBacklog));
        }
        if (p.flapping.enabled) {
            streams.add(FlappingPattern.apply(SequencePreFilters.windows(sequences, SequencePreFilters.CROSSINGS), p.flapping, levels));
        }
        return streams;
    }

    /**
     * The summaries the enabled per-component patterns can use: every window of the queue backlog's metrics, and
     * the correlated saturation's metrics' windows beyond their warning level (all that pattern matches on).
     */
    public static final class ComponentPatternWindows implements FilterFunction<WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final Set<String> every = new TreeSet<>();
        private final Set<String> beyondWarning = new TreeSet<>();
        private final MetricLevels levels;

        public ComponentPatternWindows(AlertsConfig.Patterns p, MetricLevels levels) {
            this.levels = levels;
            if (p.correlatedSaturation.enabled) {
                beyondWarning.add(p.correlatedSaturation.cause);
                beyondWarning.addAll(p.correlatedSaturation.effects);
            }
            if (p.queueBacklog.enabled) {
                every.add(p.queueBacklog.queueMetric);
                every.addAll(p.queueBacklog.processingMetrics);
            }
        }

        @Override
        public boolean filter(WindowSummary w) {
            return every.contains(w.metric) || beyondWarning.contains(w.metric) && beyondWarning(levels, w);
        }
    }

    /** True when the window's p95 is at or beyond the metric's warning level (the SQL form uses the same). */
    static boolean p95BeyondWarning(MetricLevels levels, WindowSummary w) {
        MetricThresholds t = levels.of(w.component, w.metric);
        return t != null && t.warning != null && t.direction.breaches(w.p95, t.warning);
    }

    /** True when the metric's configured statistic is at or beyond its warning level. */
    static boolean beyondWarning(MetricLevels levels, WindowSummary w) {
        MetricThresholds t = levels.of(w.component, w.metric);
        return t != null && t.warning != null && t.direction.breaches(Statistics.of(w, t.statistic), t.warning);
    }
}
