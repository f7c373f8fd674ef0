package dev.perfwatch.detect;

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
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** F crossings of the warning level, either way, within T, on one series. */
public final class FlappingPattern {

    private FlappingPattern() {}

    /** The pattern with its own pre-filter (tests; the pipeline shares one with the consecutive-breaches pattern). */
    public static DataStream<AlertCandidate> apply(DataStream<WindowSummary> summaries, AlertsConfig.Flapping c,
            MetricLevels levels, Duration retention) {
        return apply(SequencePreFilters.windows(SequencePreFilters.keyed(SequencePreFilters.apply(summaries, levels, retention, false, true)),
                SequencePreFilters.CROSSINGS), c, levels);
    }

    /** The pattern over the warning-level crossings of {@link SequencePreFilters#CROSSINGS}. */
    static DataStream<AlertCandidate> apply(KeyedStream<WindowSummary, Long> crossings, AlertsConfig.Flapping c, MetricLevels levels) {
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("crossing", AfterMatchSkipStrategy.skipPastLastEvent())
                .times(c.crossings)
                .within(c.within);
        return CEP.pattern(crossings, pattern, AlertPatterns.BY_METRIC).inEventTime()
                .process(new Match(levels, c.within))
                .uid("pattern-flapping").name("pattern: flapping");
    }

    static final class Match extends PatternProcessFunction<WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final MetricLevels levels;
        private final Duration within;

        Match(MetricLevels levels, Duration within) {
            this.levels = levels;
            this.within = within;
        }

        @Override
        public void processMatch(Map<String, List<WindowSummary>> match, Context ctx, Collector<AlertCandidate> out) {
            List<WindowSummary> crossings = match.get("crossing");
            WindowSummary first = crossings.get(0);
            WindowSummary last = crossings.get(crossings.size() - 1);
            MetricThresholds t = levels.of(first.component, first.metric);
            Evidence evidence = new Evidence()
                    .put("pattern", crossings.size() + " crossings of the warning level within " + within)
                    .put("level", t.warning)
                    .windows("crossings", crossings, t.statisticOrMean().yaml(), w -> Statistics.of(w, t.statistic));
            out.collect(new AlertCandidate("pattern:flapping", AlertKind.PATTERN, Severity.WARNING, AlertStatus.FIRING,
                    first.component, first.metric, Statistics.of(last, t.statistic), t.warning, last.windowEnd, first.windowStart, evidence));
        }
    }
}
