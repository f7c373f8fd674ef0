package dev.perfwatch.detect;

import dev.perfwatch.pipeline.Keys;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** F crossings of the warning level, either way, within T, on one series. */
public final class FlappingPattern {

    private FlappingPattern() {}

    public static DataStream<AlertCandidate> apply(DataStream<WindowSummary> summaries, AlertsConfig.Flapping c,
            MetricLevels levels, Duration retention) {
        DataStream<WindowSummary> crossings = summaries.keyBy(Keys.SUMMARY_SERIES)
                .process(new Crossings(levels, retention))
                .uid("pattern-flapping-crossings").name("pattern: level crossings");
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("crossing", AfterMatchSkipStrategy.skipPastLastEvent())
                .times(c.crossings)
                .within(c.within);
        return CEP.pattern(DataStreamUtils.reinterpretAsKeyedStream(crossings, Keys.SUMMARY_SERIES), pattern, AlertPatterns.BY_METRIC).inEventTime()
                .process(new Match(levels, c.within))
                .uid("pattern-flapping").name("pattern: flapping");
    }

    /**
     * Passes on the windows where the series crosses its warning level, either way. State: whether the
     * last window was beyond, and its end; cleared by a timer once the series is silent for the retention.
     */
    public static final class Crossings extends KeyedProcessFunction<String, WindowSummary, WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final MetricLevels levels;
        private final Duration retention;
        private transient ValueState<Boolean> beyond;
        private transient ValueState<Long> lastEnd;

        public Crossings(MetricLevels levels, Duration retention) {
            this.levels = levels;
            this.retention = retention;
        }

        @Override
        public void open(OpenContext openContext) {
            beyond = getRuntimeContext().getState(new ValueStateDescriptor<>("beyond-warning", Boolean.class));
            lastEnd = getRuntimeContext().getState(new ValueStateDescriptor<>("last-window-end", Long.class));
        }

        @Override
        public void processElement(WindowSummary w, Context ctx, Collector<WindowSummary> out) throws Exception {
            MetricThresholds t = levels.of(w.component, w.metric);
            if (t == null || t.warning == null) {
                return;
            }
            boolean now = AlertPatterns.beyondWarning(levels, w);
            Boolean before = beyond.value();
            if (before != null && before != now) {
                out.collect(w);
            }
            beyond.update(now);
            Long previous = lastEnd.value();
            if (previous != null) {
                ctx.timerService().deleteEventTimeTimer(previous + retention.toMillis());
            }
            lastEnd.update(w.windowEnd);
            ctx.timerService().registerEventTimeTimer(w.windowEnd + retention.toMillis());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowSummary> out) {
            beyond.clear();
            lastEnd.clear();
        }
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
