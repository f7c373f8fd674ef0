package dev.perfwatch.detect;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.RegressionFinding;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Regression detection per series (see {@link RegressionEvaluator}). Samples fill per-interval
 * buckets; an event-time timer at each interval end evaluates the windows. One finding per episode:
 * an episode opens with the first significant evaluation (the finding is emitted then), later
 * confirmations only extend it, and it ends after {@code close-after} evaluations without one.
 * State is bounded: buckets older than the baseline are dropped, and all state goes once a series has
 * no buckets left.
 */
public class RegressionDetector extends KeyedProcessFunction<String, MetricSample, RegressionFinding> {

    private static final long serialVersionUID = 1L;

    /** Predictive alert candidates: the forecast reaches the critical level within the horizon. */
    public static final org.apache.flink.util.OutputTag<AlertCandidate> PREDICTIONS =
            new org.apache.flink.util.OutputTag<>("forecast-alerts") {};

    private final PerfwatchConfig config;
    private transient RegressionEvaluator evaluator;
    private transient MapState<Long, Bucket> buckets;
    private transient ValueState<Episode> episode;

    public RegressionDetector(PerfwatchConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        evaluator = new RegressionEvaluator(config.regression);
        buckets = getRuntimeContext().getMapState(new MapStateDescriptor<>("regression-buckets", Long.class, Bucket.class));
        episode = getRuntimeContext().getState(new ValueStateDescriptor<>("regression-episode", Episode.class));
    }

    @Override
    public void processElement(MetricSample s, Context ctx, Collector<RegressionFinding> out) throws Exception {
        if (!config.regression.enabled) {
            return; // kept in the graph (stable uids) but idle
        }
        long interval = config.regression.evaluationInterval.toMillis();
        long start = s.timestamp - Math.floorMod(s.timestamp, interval);
        Bucket b = buckets.get(start);
        if (b == null) {
            b = new Bucket(start, evaluator.bucketCapacity());
            ctx.timerService().registerEventTimeTimer(start + interval);
            if (episode.value() == null) {
                Episode e = new Episode();
                e.component = s.component;
                e.metric = s.metric;
                episode.update(e);
            }
        }
        b.add(s.timestamp, s.value, ctx.getCurrentKey().hashCode());
        buckets.put(start, b);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<RegressionFinding> out) throws Exception {
        PerfwatchConfig.Regression r = config.regression;
        long interval = r.evaluationInterval.toMillis();
        long oldest = t - r.comparisonWindow.toMillis() - r.baselineWindow.toMillis();
        List<Bucket> list = new ArrayList<>();
        List<Long> expired = new ArrayList<>();
        for (java.util.Map.Entry<Long, Bucket> e : buckets.entries()) {
            if (e.getKey() < oldest) {
                expired.add(e.getKey());
            } else if (e.getKey() < t) {
                list.add(e.getValue());
            }
        }
        for (Long k : expired) {
            buckets.remove(k);
        }
        Episode e = episode.value();
        if (e == null) {
            return;
        }
        if (list.isEmpty()) {
            if (buckets.isEmpty()) {
                buckets.clear();
                episode.clear();
            }
            return;
        }
        list.sort((a, b) -> Long.compare(a.start, b.start));
        RegressionEvaluator.Evaluation ev = evaluator.evaluate(e.component, e.metric,
                config.directionOf(e.component, e.metric), t, list);
        RegressionFinding emitted = e.next(ev, t, r.closeAfter);
        if (emitted != null) {
            out.collect(emitted);
        }
        AlertCandidate prediction = Predictions.next(e, list, t, config);
        if (prediction != null) {
            ctx.output(PREDICTIONS, prediction);
        }
        episode.update(e);
        // Keep evaluating while the next comparison window still holds data (so an open episode can
        // close); after that, one last timer when every bucket has aged out removes the state.
        long lastStart = list.get(list.size() - 1).start;
        if (lastStart >= t + interval - r.comparisonWindow.toMillis()) {
            ctx.timerService().registerEventTimeTimer(t + interval);
        } else {
            ctx.timerService().registerEventTimeTimer(lastStart + r.comparisonWindow.toMillis() + r.baselineWindow.toMillis() + interval);
        }
    }
}
