package dev.perfwatch.detect;

import dev.perfwatch.pipeline.Keys;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** On one component, the cause metric beyond its warning level, followed within T by an effect metric beyond its own. */
public final class CorrelatedSaturationPattern {

    private CorrelatedSaturationPattern() {}

    public static DataStream<AlertCandidate> apply(DataStream<WindowSummary> summaries, AlertsConfig.CorrelatedSaturation c,
            MetricLevels levels) {
        return apply(Keys.byComponent(summaries), c, levels);
    }

    /** Over the summaries of each component, from a keyed exchange shared with other consumers. */
    public static DataStream<AlertCandidate> apply(Keys.ComponentSummaries summaries, AlertsConfig.CorrelatedSaturation c,
            MetricLevels levels) {
        Set<String> effects = new HashSet<>(c.effects);
        String cause = c.cause;
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("cause", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new MetricBeyondWarning(levels, Set.of(cause)))
                .followedBy("effect")
                .where(new MetricBeyondWarning(levels, effects))
                .within(c.within);
        Set<String> relevant = new HashSet<>(effects);
        relevant.add(cause);
        // Followed-by skips what matches neither step: only windows beyond their warning level reach the pattern.
        KeyedStream<WindowSummary, String> filtered = summaries.filtered(
                w -> relevant.contains(w.metric) && AlertPatterns.beyondWarning(levels, w),
                "pattern-correlated-saturation-filter", "pattern: cause and effect metrics beyond warning");
        return CEP.pattern(filtered, pattern, AlertPatterns.BY_METRIC).inEventTime()
                .process(new Match(levels))
                .uid("pattern-correlated-saturation").name("pattern: correlated saturation");
    }

    static final class MetricBeyondWarning extends SimpleCondition<WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final MetricLevels levels;
        private final Set<String> metrics;

        MetricBeyondWarning(MetricLevels levels, Set<String> metrics) {
            this.levels = levels;
            this.metrics = new HashSet<>(metrics);
        }

        @Override
        public boolean filter(WindowSummary w) {
            return metrics.contains(w.metric) && AlertPatterns.beyondWarning(levels, w);
        }
    }

    static final class Match extends PatternProcessFunction<WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final MetricLevels levels;

        Match(MetricLevels levels) {
            this.levels = levels;
        }

        @Override
        public void processMatch(Map<String, List<WindowSummary>> match, Context ctx, Collector<AlertCandidate> out) {
            WindowSummary cause = match.get("cause").get(0);
            WindowSummary effect = match.get("effect").get(0);
            MetricThresholds ct = levels.of(cause.component, cause.metric);
            MetricThresholds et = levels.of(effect.component, effect.metric);
            double effectValue = Statistics.of(effect, et.statistic);
            Evidence evidence = new Evidence()
                    .put("pattern", cause.metric + " beyond its warning level, then " + effect.metric + " beyond its own")
                    .put("cause_metric", cause.metric)
                    .put("cause_value", Statistics.of(cause, ct.statistic))
                    .put("cause_level", ct.warning)
                    .time("cause_window_start", cause.windowStart)
                    .put("effect_metric", effect.metric)
                    .put("effect_value", effectValue)
                    .put("effect_level", et.warning)
                    .time("effect_window_start", effect.windowStart);
            out.collect(new AlertCandidate("pattern:correlated-saturation", AlertKind.PATTERN, Severity.CRITICAL, AlertStatus.FIRING,
                    effect.component, effect.metric, effectValue, et.warning, effect.windowEnd, cause.windowStart, evidence));
        }
    }
}
