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
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** N consecutive windows of one series with p95 at or beyond the warning level, within T (the SQL MATCH_RECOGNIZE twin: sql/queries/consecutive_breaches.sql). */
public final class ConsecutiveBreachesPattern {

    private ConsecutiveBreachesPattern() {}

    /** The pattern with its own pre-filter (tests; the pipeline shares one with the flapping pattern). */
    public static DataStream<AlertCandidate> apply(DataStream<WindowSummary> summaries, AlertsConfig.ConsecutiveBreaches c,
            MetricLevels levels, Duration retention) {
        return apply(SequencePreFilters.windows(SequencePreFilters.keyed(SequencePreFilters.apply(summaries, levels, retention, true, false)),
                SequencePreFilters.BREACH_RUNS), c, levels);
    }

    /** The pattern over the breaching windows and run ends of {@link SequencePreFilters#BREACH_RUNS}. */
    static DataStream<AlertCandidate> apply(KeyedStream<WindowSummary, Long> runs, AlertsConfig.ConsecutiveBreaches c, MetricLevels levels) {
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("breach", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new P95BeyondWarning(levels))
                .times(c.count).consecutive()
                .within(c.within);
        return CEP.pattern(runs, pattern, AlertPatterns.BY_METRIC).inEventTime()
                .process(new Match(levels))
                .uid("pattern-consecutive-breaches").name("pattern: consecutive breaches");
    }

    static final class P95BeyondWarning extends SimpleCondition<WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final MetricLevels levels;

        P95BeyondWarning(MetricLevels levels) {
            this.levels = levels;
        }

        @Override
        public boolean filter(WindowSummary w) {
            return AlertPatterns.p95BeyondWarning(levels, w);
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
            List<WindowSummary> windows = match.get("breach");
            WindowSummary first = windows.get(0);
            WindowSummary last = windows.get(windows.size() - 1);
            MetricThresholds t = levels.of(first.component, first.metric);
            double worst = first.p95;
            for (WindowSummary w : windows) {
                if (t.direction.breaches(w.p95, worst)) {
                    worst = w.p95;
                }
            }
            Evidence evidence = new Evidence()
                    .put("pattern", windows.size() + " consecutive windows with p95 at or beyond the warning level")
                    .put("level", t.warning)
                    .put("direction", t.direction.yaml())
                    .windows("windows", windows, "p95", w -> w.p95);
            out.collect(new AlertCandidate("pattern:consecutive-breaches", AlertKind.PATTERN, Severity.WARNING, AlertStatus.FIRING,
                    first.component, first.metric, worst, t.warning, last.windowEnd, first.windowStart, evidence));
        }
    }
}
