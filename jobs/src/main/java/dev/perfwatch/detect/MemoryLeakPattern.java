package dev.perfwatch.detect;

import dev.perfwatch.pipeline.Keys;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.stats.LinearTrend;

import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** K consecutive windows of the leak metric whose means rise with a significant, large enough slope. */
public final class MemoryLeakPattern {

    private MemoryLeakPattern() {}

    public static DataStream<AlertCandidate> apply(DataStream<WindowSummary> summaries, AlertsConfig.MemoryLeak c) {
        String metric = c.metric;
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("rising", AfterMatchSkipStrategy.skipPastLastEvent())
                .times(c.windows - 1).consecutive()
                .next("last")
                .where(new RisingTrend("rising", c.minSlopePerHour, c.alpha));
        KeyedStream<WindowSummary, String> filtered = Keys.filtered(summaries, Keys.SUMMARY_SERIES,
                w -> w.metric.equals(metric), "pattern-memory-leak-filter", "pattern: leak metric");
        return CEP.pattern(filtered, pattern, AlertPatterns.BY_METRIC).inEventTime()
                .process(new Match(c))
                .uid("pattern-memory-leak").name("pattern: memory leak");
    }

    /** The means of the windows so far and this one rise with a slope >= min per hour and p < alpha. */
    static final class RisingTrend extends IterativeCondition<WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final String previous;
        private final double minSlopePerHour;
        private final double alpha;

        RisingTrend(String previous, double minSlopePerHour, double alpha) {
            this.previous = previous;
            this.minSlopePerHour = minSlopePerHour;
            this.alpha = alpha;
        }

        @Override
        public boolean filter(WindowSummary current, Context<WindowSummary> ctx) throws Exception {
            List<WindowSummary> windows = new ArrayList<>();
            ctx.getEventsForPattern(previous).forEach(windows::add);
            windows.add(current);
            LinearTrend.Fit fit = AlertPatterns.trendOf(windows);
            return fit.slope() >= minSlopePerHour && fit.pValue() < alpha;
        }
    }

    static final class Match extends PatternProcessFunction<WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final AlertsConfig.MemoryLeak c;

        Match(AlertsConfig.MemoryLeak c) {
            this.c = c;
        }

        @Override
        public void processMatch(Map<String, List<WindowSummary>> match, Context ctx, Collector<AlertCandidate> out) {
            List<WindowSummary> windows = new ArrayList<>(match.get("rising"));
            windows.addAll(match.get("last"));
            LinearTrend.Fit fit = AlertPatterns.trendOf(windows);
            WindowSummary first = windows.get(0);
            WindowSummary last = windows.get(windows.size() - 1);
            Evidence evidence = new Evidence()
                    .put("pattern", windows.size() + " consecutive windows with means rising significantly")
                    .put("slope_per_hour", fit.slope())
                    .put("r2", fit.r2())
                    .put("p_value", fit.pValue())
                    .put("min_slope_per_hour", c.minSlopePerHour)
                    .put("alpha", c.alpha)
                    .windows("windows", windows, "mean", w -> w.mean);
            out.collect(new AlertCandidate("pattern:memory-leak", AlertKind.PATTERN, Severity.WARNING, AlertStatus.FIRING,
                    first.component, first.metric, last.mean, null, last.windowEnd, first.windowStart, evidence));
        }
    }
}
