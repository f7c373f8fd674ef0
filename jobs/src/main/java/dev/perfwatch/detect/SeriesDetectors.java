package dev.perfwatch.detect;

import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.Keys;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * The per-series detectors over window summaries in one keyed operator: {@link ThresholdRules},
 * {@link AnomalyScores} and, when a sequence pattern is on, the {@link SequencePreFilters} (on their side
 * outputs). Each summary is shuffled to one operator and, in BATCH mode, sorted once for all three,
 * instead of once each (at one sample a minute every window is a record to sort).
 *
 * <p>Each detector keeps its own state under its own names and runs as it would alone. Their cleanup
 * timers agree: each registers, at every window it sees, the window's end plus the retention and deletes
 * the one before, and each sees every window of a series it handles, so a timer is the same for all of
 * them; each detector's {@code onTimer} acts only on a timer that is its own.
 */
public final class SeriesDetectors extends KeyedProcessFunction<Long, WindowSummary, AlertCandidate> {

    private static final long serialVersionUID = 1L;

    private final ThresholdRules thresholds;
    private final AnomalyScores anomalies;
    private final SequencePreFilters preFilters;

    SeriesDetectors(ThresholdRules thresholds, AnomalyScores anomalies, SequencePreFilters preFilters) {
        this.thresholds = thresholds;
        this.anomalies = anomalies;
        this.preFilters = preFilters;
    }

    /**
     * The operator over the summaries: threshold and anomaly alert candidates, and the sequence patterns'
     * windows on {@link SequencePreFilters#BREACH_RUNS} and {@link SequencePreFilters#CROSSINGS}.
     */
    public static SingleOutputStreamOperator<AlertCandidate> apply(DataStream<WindowSummary> summaries, AlertsConfig alerts,
            MetricLevels levels) {
        AlertsConfig.Patterns p = alerts.patterns;
        boolean runs = p.consecutiveBreaches.enabled;
        boolean crossings = p.flapping.enabled;
        SequencePreFilters preFilters = runs || crossings ? new SequencePreFilters(levels, alerts.retention, runs, crossings) : null;
        return summaries.keyBy(Keys.SUMMARY_SERIES)
                .process(new SeriesDetectors(new ThresholdRules(levels, alerts.retention),
                        new AnomalyScores(alerts.anomaly, levels, alerts.retention), preFilters))
                .uid("series-detectors").name(preFilters != null ? "threshold rules, anomaly scores, pattern pre-filters"
                        : "threshold rules, anomaly scores");
    }

    @Override
    public void setRuntimeContext(RuntimeContext context) {
        super.setRuntimeContext(context);
        thresholds.setRuntimeContext(context);
        anomalies.setRuntimeContext(context);
        if (preFilters != null) {
            preFilters.setRuntimeContext(context);
        }
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        thresholds.open(openContext);
        anomalies.open(openContext);
        if (preFilters != null) {
            preFilters.open(openContext);
        }
    }

    @Override
    public void close() throws Exception {
        thresholds.close();
        anomalies.close();
        if (preFilters != null) {
            preFilters.close();
        }
    }

    @Override
    public void processElement(WindowSummary w, Context ctx, Collector<AlertCandidate> out) throws Exception {
        thresholds.processElement(w, ctx, out);
        anomalies.processElement(w, ctx, out);
        if (preFilters != null) {
            preFilters.filter(w, ctx);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertCandidate> out) throws Exception {
        thresholds.onTimer(timestamp, ctx, out);
        anomalies.onTimer(timestamp, ctx, out);
        if (preFilters != null) {
            preFilters.expire(timestamp);
        }
    }
}
