package dev.perfwatch.detect;

import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.Keys;
import dev.perfwatch.stats.LinearTrend;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * On one component, over the last K windows of each, the queue grows and a processing metric rises, both
 * significantly; the next match needs K new windows of both. Per component, a ring of the last K windows
 * of the queue metric and of each processing metric, evaluated once per window end after every window
 * of that time has arrived, in metric order (the same in streaming and in batch). (A CEP pattern over the
 * 2K interleaved windows never matched a component that reports more than one processing metric, and
 * held 2K partial matches.)
 */
public final class QueueBacklogPattern {

    private QueueBacklogPattern() {}

    public static DataStream<AlertCandidate> apply(DataStream<WindowSummary> summaries, AlertsConfig.QueueBacklog c) {
        return apply(Keys.byComponent(summaries), c);
    }

    /** Over the summaries of each component, from a keyed exchange shared with other consumers. */
    public static DataStream<AlertCandidate> apply(Keys.ComponentSummaries summaries, AlertsConfig.QueueBacklog c) {
        Set<String> relevant = new HashSet<>(c.processingMetrics);
        relevant.add(c.queueMetric);
        KeyedStream<WindowSummary, String> filtered = summaries.filtered(
                w -> relevant.contains(w.metric), "pattern-queue-backlog-filter", "pattern: queue and processing metrics");
        return filtered.process(new Backlog(c)).uid("pattern-queue-backlog").name("pattern: queue backlog");
    }

    static final class Backlog extends KeyedProcessFunction<String, WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final AlertsConfig.QueueBacklog c;
        /** Windows waiting for the watermark, by timestamp. */
        private transient MapState<Long, List<WindowSummary>> pending;
        /** The last K windows of each relevant metric. */
        private transient MapState<String, WindowRing> rings;

        Backlog(AlertsConfig.QueueBacklog c) {
            this.c = c;
        }

        @Override
        public void open(OpenContext context) {
            pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("queue-backlog-pending", Types.LONG,
                    Types.LIST(TypeInformation.of(WindowSummary.class))));
            rings = getRuntimeContext().getMapState(new MapStateDescriptor<>("queue-backlog-windows", Types.STRING,
                    Types.POJO(WindowRing.class)));
        }

        @Override
        public void processElement(WindowSummary w, Context ctx, Collector<AlertCandidate> out) throws Exception {
            long t = ctx.timestamp();
            List<WindowSummary> at = pending.get(t);
            if (at == null) {
                at = new ArrayList<>(2);
                ctx.timerService().registerEventTimeTimer(t);
            }
            at.add(w);
            pending.put(t, at);
        }

        @Override
        public void onTimer(long t, OnTimerContext ctx, Collector<AlertCandidate> out) throws Exception {
            List<WindowSummary> at = pending.get(t);
            pending.remove(t);
            if (at == null) {
                return;
            }
            at.sort(Comparator.comparing((WindowSummary w) -> w.metric));
            for (WindowSummary w : at) {
                WindowRing r = rings.get(w.metric);
                if (r == null) {
                    r = new WindowRing(c.windows);
                }
                r.add(w);
                rings.put(w.metric, r);
            }
            WindowRing queue = rings.get(c.queueMetric);
            if (queue == null || !risingSignificantly(queue)) {
                return;
            }
            for (String metric : c.processingMetrics) {
                WindowRing processing = rings.get(metric);
                if (processing != null && risingSignificantly(processing)) {
                    out.collect(alert(ctx.getCurrentKey(), queue, metric, processing));
                    List<Map.Entry<String, WindowRing>> all = new ArrayList<>();
                    rings.entries().forEach(all::add);
                    for (Map.Entry<String, WindowRing> e : all) {
                        e.getValue().fresh = 0; // skip past the match: the next needs K new windows of each
                        rings.put(e.getKey(), e.getValue());
                    }
                    return;
                }
            }
        }

        private boolean risingSignificantly(WindowRing r) {
            if (!r.ready()) {
                return false;
            }
            LinearTrend trend = r.trendMoments();
            // The slope first: the p-value (an incomplete beta function) only for a ring that rises.
            return trend.slope() > 0 && trend.fit().pValue() < c.alpha;
        }

        private AlertCandidate alert(String component, WindowRing queueRing, String processing, WindowRing processingRing) {
            List<WindowSummary> queue = queueRing.windows(component, c.queueMetric);
            List<WindowSummary> slower = processingRing.windows(component, processing);
            LinearTrend.Fit q = queueRing.trend();
            LinearTrend.Fit p = processingRing.trend();
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
            return new AlertCandidate("pattern:queue-backlog", AlertKind.PATTERN, Severity.WARNING, AlertStatus.FIRING,
                    component, c.queueMetric, last.mean, null, Math.max(last.windowEnd, slower.get(slower.size() - 1).windowEnd),
                    Math.min(first.windowStart, slower.get(0).windowStart), evidence);
        }
    }
}
