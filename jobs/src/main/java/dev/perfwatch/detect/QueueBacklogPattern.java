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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** On one component, over K windows, the queue grows and a processing metric rises, both significantly. */
public final class QueueBacklogPattern {

    private QueueBacklogPattern() {}

    public static DataStream<AlertCandidate> apply(DataStream<WindowSummary> summaries, AlertsConfig.QueueBacklog c) {
        Set<String> relevant = new HashSet<>(c.processingMetrics);
        relevant.add(c.queueMetric);
        // The windows of the queue and of the processing metrics of one component, interleaved: 2K in a row.
        Pattern<WindowSummary, WindowSummary> pattern = Pattern
                .<WindowSummary>begin("windows", AfterMatchSkipStrategy.skipPastLastEvent())
                .times(2 * c.windows - 1).consecutive()
                .next("last")
                .where(new BacklogGrowing(c));
        KeyedStream<WindowSummary, String> filtered = Keys.filtered(summaries, Keys.SUMMARY_COMPONENT,
                w -> relevant.contains(w.metric), "pattern-queue-backlog-filter", "pattern: queue and processing metrics");
        return CEP.pattern(filtered, pattern, AlertPatterns.BY_METRIC).inEventTime()
                .process(new Match(c))
                .uid("pattern-queue-backlog").name("pattern: queue backlog");
    }

    /** Queue means and some processing metric's means both rise significantly over the windows. */
    static final class BacklogGrowing extends IterativeCondition<WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final AlertsConfig.QueueBacklog c;

        BacklogGrowing(AlertsConfig.QueueBacklog c) {
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
    static String backlog(List<WindowSummary> windows, AlertsConfig.QueueBacklog c) {
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
        LinearTrend.Fit fit = AlertPatterns.trendOf(windows);
        return fit.slope() > 0 && fit.pValue() < alpha;
    }

    static final class Match extends PatternProcessFunction<WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final AlertsConfig.QueueBacklog c;

        Match(AlertsConfig.QueueBacklog c) {
            this.c = c;
        }

        @Override
        public void processMatch(Map<String, List<WindowSummary>> match, Context ctx, Collector<AlertCandidate> out) {
            List<WindowSummary> windows = new ArrayList<>(match.get("windows"));
            windows.addAll(match.get("last"));
            String processing = backlog(windows, c);
            List<WindowSummary> queue = ofMetric(windows, c.queueMetric);
            List<WindowSummary> slower = ofMetric(windows, processing);
            LinearTrend.Fit q = AlertPatterns.trendOf(queue);
            LinearTrend.Fit p = AlertPatterns.trendOf(slower);
            WindowSummary first = queue.get(0);
            WindowSummary last = queue.get(queue.size() - 1);
            Evidence evidence = new Evidence()
                    .put("pattern", c.queueMetric + " growing while " + processing + " rises")
                    .put("queue_slope_per_hour", q.slope())
                    .put("queue_p_value", q.pValue())
                    .put("processing_metric", processing)
                    .put("processing_slope_per_hour", p.slope())
                    .put("processing_p_value", p.pValue())
                    .windows("queue_windows", queue, "mean", w -> w.mean)
                    .windows("processing_windows", slower, "mean", w -> w.mean);
            out.collect(new AlertCandidate("pattern:queue-backlog", AlertKind.PATTERN, Severity.WARNING, AlertStatus.FIRING,
                    first.component, c.queueMetric, last.mean, null, Math.max(last.windowEnd, slower.get(slower.size() - 1).windowEnd),
                    Math.min(first.windowStart, slower.get(0).windowStart), evidence));
        }
    }
}
