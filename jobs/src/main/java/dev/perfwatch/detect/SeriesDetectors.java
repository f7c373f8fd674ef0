package dev.perfwatch.detect;

import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-series detectors over window summaries, run together: {@link ThresholdRules},
 * {@link AnomalyScores}, when a sequence pattern is on the {@link SequencePreFilters} (on their side
 * output), and when it is on the memory leak's ring of windows ({@link MemoryLeakPattern}). The job runs them inside the window operator that makes the summaries ({@link SeriesWindows}),
 * so a summary is handed to them where it is made, not shuffled and (in BATCH mode) sorted again.
 *
 * <p>Each detector keeps its own state under its own names and runs as it would alone. Their cleanup
 * timers agree: each registers, at every window it sees, the window's end plus the retention and deletes
 * the one before, and each sees every window of a series it handles, so a timer is the same for all of
 * them; each detector's {@code onTimer} acts only on a timer that is its own. The anomaly scores also
 * register, when that timer fires, the time they forget the series ({@code forget-after}), and in BATCH mode
 * (where {@link SeriesWindows} keeps the cleanup timer and drops such registrations) forget it when its next
 * window comes later than that.
 */
public final class SeriesDetectors extends KeyedProcessFunction<Long, WindowSummary, AlertCandidate> {

    private static final long serialVersionUID = 1L;

    private final ThresholdRules thresholds;
    private final AnomalyScores anomalies;
    private final SequencePreFilters preFilters;
    private final MemoryLeakPattern.Rising leak;
    private final String leakMetric;

    SeriesDetectors(ThresholdRules thresholds, AnomalyScores anomalies, SequencePreFilters preFilters) {
        this(thresholds, anomalies, preFilters, null, null);
    }

    /** With the memory leak's ring over the windows of {@code leakMetric} (none when {@code leak} is null). */
    SeriesDetectors(ThresholdRules thresholds, AnomalyScores anomalies, SequencePreFilters preFilters, MemoryLeakPattern.Rising leak,
            String leakMetric) {
        this.thresholds = thresholds;
        this.anomalies = anomalies;
        this.preFilters = preFilters;
        this.leak = leak;
        this.leakMetric = leakMetric;
    }

    @Override
    public void setRuntimeContext(RuntimeContext context) {
        super.setRuntimeContext(context);
        thresholds.setRuntimeContext(context);
        anomalies.setRuntimeContext(context);
        if (preFilters != null) {
            preFilters.setRuntimeContext(context);
        }
        if (leak != null) {
            leak.setRuntimeContext(context);
        }
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        thresholds.open(openContext);
        anomalies.open(openContext);
        if (preFilters != null) {
            preFilters.open(openContext);
        }
        if (leak != null) {
            leak.open(openContext);
        }
    }

    @Override
    public void close() throws Exception {
        thresholds.close();
        anomalies.close();
        if (preFilters != null) {
            preFilters.close();
        }
        if (leak != null) {
            leak.close();
        }
    }

    @Override
    public void processElement(WindowSummary w, Context ctx, Collector<AlertCandidate> out) throws Exception {
        thresholds.processElement(w, ctx, out);
        anomalies.processElement(w, ctx, out);
        if (preFilters != null) {
            preFilters.filter(w, ctx);
        }
        if (leak != null && w.metric.equals(leakMetric)) {
            leak.processElement(w, ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertCandidate> out) throws Exception {
        thresholds.onTimer(timestamp, ctx, out);
        anomalies.onTimer(timestamp, ctx, out);
        if (preFilters != null) {
            preFilters.expire(timestamp);
        }
        if (leak != null) {
            leak.expire(timestamp);
        }
    }
}
