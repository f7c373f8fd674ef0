package dev.perfwatch.detect;

import dev.perfwatch.pipeline.Keys;
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
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Map;

/** N consecutive windows of one series with p95 at or beyond the warning level, within T (the SQL MATCH_RECOGNIZE twin: sql/queries/consecutive_breaches.sql). */
public final class ConsecutiveBreachesPattern {

    private ConsecutiveBreachesPattern() {}

    public static DataStream<AlertCandidate> apply(DataStream<WindowSummary> summaries, AlertsConfig.ConsecutiveBreaches c,
            MetricLevels levels) {
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("breach", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new P95BeyondWarning(levels))
                .times(c.count).consecutive()
                .within(c.within);
        DataStream<WindowSummary> runs = summaries.keyBy(Keys.SUMMARY_SERIES)
                .process(new BreachRuns(levels))
                .uid("pattern-consecutive-breaches-runs").name("pattern: runs of breaches");
        return CEP.pattern(DataStreamUtils.reinterpretAsKeyedStream(runs, Keys.SUMMARY_SERIES), pattern, AlertPatterns.BY_METRIC).inEventTime()
                .process(new Match(levels))
                .uid("pattern-consecutive-breaches").name("pattern: consecutive breaches");
    }

    /**
     * Passes on what the pattern can see: the breaching windows, and the first window after a run of them
     * (it ends the run: the pattern is strictly consecutive). A series' quiet windows, nearly all of
     * them, never reach the pattern operator. State only while a run lasts: whether the last window breached.
     */
    static final class BreachRuns extends KeyedProcessFunction<String, WindowSummary, WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final MetricLevels levels;
        private transient ValueState<Boolean> inRun;

        BreachRuns(MetricLevels levels) {
            this.levels = levels;
        }

        @Override
        public void open(OpenContext openContext) {
            inRun = getRuntimeContext().getState(new ValueStateDescriptor<>("in-breach-run", Boolean.class));
        }

        @Override
        public void processElement(WindowSummary w, Context ctx, Collector<WindowSummary> out) throws Exception {
            if (AlertPatterns.p95BeyondWarning(levels, w)) {
                out.collect(w);
                inRun.update(true);
            } else if (inRun.value() != null) {
                out.collect(w);
                inRun.clear();
            }
        }
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
