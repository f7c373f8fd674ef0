package dev.perfwatch.detect;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.config.PerfwatchConfig.MetricThresholds;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.stats.LinearTrend;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Alert patterns over the window summaries with Flink CEP (keyed, event time). Every pattern skips
 * past its last window after a match, so one episode gives one match per run of windows. Parameters
 * come from {@code alerts.patterns} in the configuration.
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

    /** Every enabled pattern's candidates. */
    public static DataStream<AlertCandidate> all(DataStream<WindowSummary> summaries, PerfwatchConfig config) {
        PerfwatchConfig.Patterns p = config.alerts.patterns;
        List<DataStream<AlertCandidate>> streams = new ArrayList<>();
        if (p.consecutiveBreaches.enabled) {
            streams.add(consecutiveBreaches(summaries, config));
        }
        if (p.correlatedSaturation.enabled) {
            streams.add(correlatedSaturation(summaries, config));
        }
        if (p.memoryLeak.enabled) {
            streams.add(memoryLeak(summaries, config));
        }
        if (p.queueBacklog.enabled) {
            streams.add(queueBacklog(summaries, config));
        }
        if (p.flapping.enabled) {
            streams.add(flapping(summaries, config));
        }
        DataStream<AlertCandidate> all = streams.get(0);
        for (int i = 1; i < streams.size(); i++) {
            all = all.union(streams.get(i));
        }
        return all;
    }

    /** True when the window's p95 is at or beyond the metric's warning level (the SQL form uses the same). */
    static boolean p95BeyondWarning(PerfwatchConfig config, WindowSummary w) {
        MetricThresholds t = config.levelsFor(w.component, w.metric);
        return t != null && t.warning != null && t.direction.breaches(w.p95, t.warning);
    }

    /** True when the metric's configured statistic is at or beyond its warning level. */
    static boolean beyondWarning(PerfwatchConfig config, WindowSummary w) {
        MetricThresholds t = config.levelsFor(w.component, w.metric);
        return t != null && t.warning != null && t.direction.breaches(Statistics.of(w, t.statistic), t.warning);
    }

    // ------------------------------------------------------------------ N consecutive breaches

    public static DataStream<AlertCandidate> consecutiveBreaches(DataStream<WindowSummary> summaries, PerfwatchConfig config) {
        PerfwatchConfig.ConsecutiveBreaches c = config.alerts.patterns.consecutiveBreaches;
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("breach", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new P95BeyondWarning(config))
                .times(c.count).consecutive()
                .within(c.within);
        return CEP.pattern(summaries.keyBy(WindowSummary::seriesKey), pattern, BY_METRIC).inEventTime()
                .process(new ConsecutiveBreachesMatch(config))
                .uid("pattern-consecutive-breaches").name("pattern: consecutive breaches");
    }

    static final class P95BeyondWarning extends SimpleCondition<WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final PerfwatchConfig config;

        P95BeyondWarning(PerfwatchConfig config) {
            this.config = config;
        }

        @Override
        public boolean filter(WindowSummary w) {
            return p95BeyondWarning(config, w);
        }
    }

    static final class ConsecutiveBreachesMatch extends PatternProcessFunction<WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final PerfwatchConfig config;

        ConsecutiveBreachesMatch(PerfwatchConfig config) {
            this.config = config;
        }

        @Override
        public void processMatch(Map<String, List<WindowSummary>> match, Context ctx, Collector<AlertCandidate> out) {
            List<WindowSummary> windows = match.get("breach");
            WindowSummary first = windows.get(0);
            WindowSummary last = windows.get(windows.size() - 1);
            MetricThresholds t = config.levelsFor(first.component, first.metric);
            double worst = first.p95;
            for (WindowSummary w : windows) {
                if (t.direction.breaches(w.p95, worst)) {
                    worst = w.p95;
                }
            }
            String evidence = new Evidence()
                    .put("pattern", windows.size() + " consecutive windows with p95 at or beyond the warning level")
                    .put("level", t.warning)
                    .put("direction", t.direction.yaml())
                    .windows("windows", windows, "p95", w -> w.p95)
                    .json();
            out.collect(new AlertCandidate("pattern:consecutive-breaches", AlertCandidate.PATTERN, "warning", AlertCandidate.FIRING,
                    first.component, first.metric, worst, t.warning, last.windowEnd, first.windowStart, evidence));
        }
    }

    // ------------------------------------------------------------------ correlated saturation

    public static DataStream<AlertCandidate> correlatedSaturation(DataStream<WindowSummary> summaries, PerfwatchConfig config) {
        PerfwatchConfig.CorrelatedSaturation c = config.alerts.patterns.correlatedSaturation;
        Set<String> effects = new HashSet<>(c.effects);
        String cause = c.cause;
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("cause", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new MetricBeyondWarning(config, Set.of(cause)))
                .followedBy("effect")
                .where(new MetricBeyondWarning(config, effects))
                .within(c.within);
        Set<String> relevant = new HashSet<>(effects);
        relevant.add(cause);
        DataStream<WindowSummary> filtered = summaries.filter(w -> relevant.contains(w.metric))
                .uid("pattern-correlated-saturation-filter").name("pattern: cause and effect metrics");
        return CEP.pattern(filtered.keyBy(w -> w.component), pattern, BY_METRIC).inEventTime()
                .process(new CorrelatedSaturationMatch(config))
                .uid("pattern-correlated-saturation").name("pattern: correlated saturation");
    }

    static final class MetricBeyondWarning extends SimpleCondition<WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final PerfwatchConfig config;
        private final Set<String> metrics;

        MetricBeyondWarning(PerfwatchConfig config, Set<String> metrics) {
            this.config = config;
            this.metrics = new HashSet<>(metrics);
        }

        @Override
        public boolean filter(WindowSummary w) {
            return metrics.contains(w.metric) && beyondWarning(config, w);
        }
    }

    static final class CorrelatedSaturationMatch extends PatternProcessFunction<WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final PerfwatchConfig config;

        CorrelatedSaturationMatch(PerfwatchConfig config) {
            this.config = config;
        }

        @Override
        public void processMatch(Map<String, List<WindowSummary>> match, Context ctx, Collector<AlertCandidate> out) {
            WindowSummary cause = match.get("cause").get(0);
            WindowSummary effect = match.get("effect").get(0);
            MetricThresholds ct = config.levelsFor(cause.component, cause.metric);
            MetricThresholds et = config.levelsFor(effect.component, effect.metric);
            double effectValue = Statistics.of(effect, et.statistic);
            String evidence = new Evidence()
                    .put("pattern", cause.metric + " beyond its warning level, then " + effect.metric + " beyond its own")
                    .put("cause_metric", cause.metric)
                    .put("cause_value", Statistics.of(cause, ct.statistic))
                    .put("cause_level", ct.warning)
                    .time("cause_window_start", cause.windowStart)
                    .put("effect_metric", effect.metric)
                    .put("effect_value", effectValue)
                    .put("effect_level", et.warning)
                    .time("effect_window_start", effect.windowStart)
                    .json();
            out.collect(new AlertCandidate("pattern:correlated-saturation", AlertCandidate.PATTERN, "critical", AlertCandidate.FIRING,
                    effect.component, effect.metric, effectValue, et.warning, effect.windowEnd, cause.windowStart, evidence));
        }
    }

    // ------------------------------------------------------------------ memory leak

    public static DataStream<AlertCandidate> memoryLeak(DataStream<WindowSummary> summaries, PerfwatchConfig config) {
        PerfwatchConfig.MemoryLeak c = config.alerts.patterns.memoryLeak;
        String metric = c.metric;
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("rising", AfterMatchSkipStrategy.skipPastLastEvent())
                .times(c.windows - 1).consecutive()
                .next("last")
                .where(new RisingTrend("rising", c.minSlopePerHour, c.alpha));
        DataStream<WindowSummary> filtered = summaries.filter(w -> w.metric.equals(metric))
                .uid("pattern-memory-leak-filter").name("pattern: leak metric");
        return CEP.pattern(filtered.keyBy(WindowSummary::seriesKey), pattern, BY_METRIC).inEventTime()
                .process(new MemoryLeakMatch(c))
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
            LinearTrend.Fit fit = trendOf(windows);
            return fit.slope() >= minSlopePerHour && fit.pValue() < alpha;
        }
    }

    static LinearTrend.Fit trendOf(List<WindowSummary> windows) {
        LinearTrend t = new LinearTrend();
        long origin = windows.get(0).windowStart;
        for (WindowSummary w : windows) {
            t.add((w.windowStart - origin) / 3_600_000.0, w.mean);
        }
        return t.fit();
    }

    static final class MemoryLeakMatch extends PatternProcessFunction<WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final PerfwatchConfig.MemoryLeak c;

        MemoryLeakMatch(PerfwatchConfig.MemoryLeak c) {
            this.c = c;
        }

        @Override
        public void processMatch(Map<String, List<WindowSummary>> match, Context ctx, Collector<AlertCandidate> out) {
            List<WindowSummary> windows = new ArrayList<>(match.get("rising"));
            windows.addAll(match.get("last"));
            LinearTrend.Fit fit = trendOf(windows);
            WindowSummary first = windows.get(0);
            WindowSummary last = windows.get(windows.size() - 1);
            String evidence = new Evidence()
                    .put("pattern", windows.size() + " consecutive windows with means rising significantly")
                    .put("slope_per_hour", fit.slope())
                    .put("r2", fit.r2())
                    .put("p_value", fit.pValue())
                    .put("min_slope_per_hour", c.minSlopePerHour)
                    .put("alpha", c.alpha)
                    .windows("windows", windows, "mean", w -> w.mean)
                    .json();
            out.collect(new AlertCandidate("pattern:memory-leak", AlertCandidate.PATTERN, "warning", AlertCandidate.FIRING,
                    first.component, first.metric, last.mean, null, last.windowEnd, first.windowStart, evidence));
        }
    }

    // ------------------------------------------------------------------ queue backlog

    public static DataStream<AlertCandidate> queueBacklog(DataStream<WindowSummary> summaries, PerfwatchConfig config) {
        PerfwatchConfig.QueueBacklog c = config.alerts.patterns.queueBacklog;
        Set<String> relevant = new HashSet<>(c.processingMetrics);
        relevant.add(c.queueMetric);
        // The windows of the queue and of the processing metrics of one component, interleaved: 2K in a row.
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("windows", AfterMatchSkipStrategy.skipPastLastEvent())
                .times(2 * c.windows - 1).consecutive()
                .next("last")
                .where(new BacklogGrowing(c));
        DataStream<WindowSummary> filtered = summaries.filter(w -> relevant.contains(w.metric))
                .uid("pattern-queue-backlog-filter").name("pattern: queue and processing metrics");
        return CEP.pattern(filtered.keyBy(w -> w.component), pattern, BY_METRIC).inEventTime()
                .process(new QueueBacklogMatch(c))
                .uid("pattern-queue-backlog").name("pattern: queue backlog");
    }

    /** Queue means and some processing metric's means both rise significantly over the windows. */
    static final class BacklogGrowing extends IterativeCondition<WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final PerfwatchConfig.QueueBacklog c;

        BacklogGrowing(PerfwatchConfig.QueueBacklog c) {
            this.c = c;
        }

        @Override
        public boolean filter(WindowSummary current, Context<WindowSummary> ctx) throws Exception {
            List<WindowSummary> windows = new ArrayList<>();
            ctx.getEventsForPattern("windows").forEach(windows::add);
            windows.add(current);
            return backlog(windows, c) != null;
        }
    }

    /** The processing metric that rises with the queue, or null when the backlog condition does not hold. */
    static String backlog(List<WindowSummary> windows, PerfwatchConfig.QueueBacklog c) {
        List<WindowSummary> queue = ofMetric(windows, c.queueMetric);
        if (queue.size() < c.windows || !risingSignificantly(queue, c.alpha)) {
            return null;
        }
        for (String metric : c.processingMetrics) {
            List<WindowSummary> processing = ofMetric(windows, metric);
            if (processing.size() >= c.windows && risingSignificantly(processing, c.alpha)) {
                return metric;
            }
        }
        return null;
    }

    private static List<WindowSummary> ofMetric(List<WindowSummary> windows, String metric) {
        List<WindowSummary> out = new ArrayList<>();
        for (WindowSummary w : windows) {
            if (w.metric.equals(metric)) {
                out.add(w);
            }
        }
        out.sort(Comparator.comparingLong(w -> w.windowStart));
        return out;
    }

    private static boolean risingSignificantly(List<WindowSummary> windows, double alpha) {
        LinearTrend.Fit fit = trendOf(windows);
        return fit.slope() > 0 && fit.pValue() < alpha;
    }

    static final class QueueBacklogMatch extends PatternProcessFunction<WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final PerfwatchConfig.QueueBacklog c;

        QueueBacklogMatch(PerfwatchConfig.QueueBacklog c) {
            this.c = c;
        }

        @Override
        public void processMatch(Map<String, List<WindowSummary>> match, Context ctx, Collector<AlertCandidate> out) {
            List<WindowSummary> windows = new ArrayList<>(match.get("windows"));
            windows.addAll(match.get("last"));
            String processing = backlog(windows, c);
            List<WindowSummary> queue = ofMetric(windows, c.queueMetric);
            List<WindowSummary> slower = ofMetric(windows, processing);
            LinearTrend.Fit q = trendOf(queue);
            LinearTrend.Fit p = trendOf(slower);
            WindowSummary first = queue.get(0);
            WindowSummary last = queue.get(queue.size() - 1);
            String evidence = new Evidence()
                    .put("pattern", c.queueMetric + " growing while " + processing + " rises")
                    .put("queue_slope_per_hour", q.slope())
                    .put("queue_p_value", q.pValue())
                    .put("processing_metric", processing)
                    .put("processing_slope_per_hour", p.slope())
                    .put("processing_p_value", p.pValue())
                    .windows("queue_windows", queue, "mean", w -> w.mean)
                    .windows("processing_windows", slower, "mean", w -> w.mean)
                    .json();
            out.collect(new AlertCandidate("pattern:queue-backlog", AlertCandidate.PATTERN, "warning", AlertCandidate.FIRING,
                    first.component, c.queueMetric, last.mean, null, Math.max(last.windowEnd, slower.get(slower.size() - 1).windowEnd),
                    Math.min(first.windowStart, slower.get(0).windowStart), evidence));
        }
    }

    // ------------------------------------------------------------------ flapping

    public static DataStream<AlertCandidate> flapping(DataStream<WindowSummary> summaries, PerfwatchConfig config) {
        PerfwatchConfig.Flapping c = config.alerts.patterns.flapping;
        DataStream<WindowSummary> crossings = summaries.keyBy(WindowSummary::seriesKey)
                .process(new Crossings(config))
                .uid("pattern-flapping-crossings").name("pattern: level crossings");
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("crossing", AfterMatchSkipStrategy.skipPastLastEvent())
                .times(c.crossings)
                .within(c.within);
        return CEP.pattern(crossings.keyBy(WindowSummary::seriesKey), pattern, BY_METRIC).inEventTime()
                .process(new FlappingMatch(config))
                .uid("pattern-flapping").name("pattern: flapping");
    }

    /**
     * Passes on the windows where the series crosses its warning level, either way. State: whether the
     * last window was beyond, and its end; cleared by a timer once the series is silent for the retention.
     */
    public static final class Crossings extends KeyedProcessFunction<String, WindowSummary, WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final PerfwatchConfig config;
        private transient ValueState<Boolean> beyond;
        private transient ValueState<Long> lastEnd;

        public Crossings(PerfwatchConfig config) {
            this.config = config;
        }

        @Override
        public void open(OpenContext openContext) {
            beyond = getRuntimeContext().getState(new ValueStateDescriptor<>("beyond-warning", Boolean.class));
            lastEnd = getRuntimeContext().getState(new ValueStateDescriptor<>("last-window-end", Long.class));
        }

        @Override
        public void processElement(WindowSummary w, Context ctx, Collector<WindowSummary> out) throws Exception {
            MetricThresholds t = config.levelsFor(w.component, w.metric);
            if (t == null || t.warning == null) {
                return;
            }
            boolean now = beyondWarning(config, w);
            Boolean before = beyond.value();
            if (before != null && before != now) {
                out.collect(w);
            }
            beyond.update(now);
            Long previous = lastEnd.value();
            if (previous != null) {
                ctx.timerService().deleteEventTimeTimer(previous + retention());
            }
            lastEnd.update(w.windowEnd);
            ctx.timerService().registerEventTimeTimer(w.windowEnd + retention());
        }

        private long retention() {
            return config.alerts.retention.toMillis();
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowSummary> out) {
            beyond.clear();
            lastEnd.clear();
        }
    }

    static final class FlappingMatch extends PatternProcessFunction<WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final PerfwatchConfig config;

        FlappingMatch(PerfwatchConfig config) {
            this.config = config;
        }

        @Override
        public void processMatch(Map<String, List<WindowSummary>> match, Context ctx, Collector<AlertCandidate> out) {
            List<WindowSummary> crossings = match.get("crossing");
            WindowSummary first = crossings.get(0);
            WindowSummary last = crossings.get(crossings.size() - 1);
            MetricThresholds t = config.levelsFor(first.component, first.metric);
            String statistic = t.statistic == null ? "mean" : t.statistic.yaml();
            String evidence = new Evidence()
                    .put("pattern", crossings.size() + " crossings of the warning level within "
                            + config.alerts.patterns.flapping.within)
                    .put("level", t.warning)
                    .windows("crossings", crossings, statistic, w -> Statistics.of(w, t.statistic))
                    .json();
            out.collect(new AlertCandidate("pattern:flapping", AlertCandidate.PATTERN, "warning", AlertCandidate.FIRING,
                    first.component, first.metric, Statistics.of(last, t.statistic), t.warning, last.windowEnd, first.windowStart, evidence));
        }
    }
}
