package dev.perfwatch.detect;

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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Threshold rules per series: the configured window statistic against the warning and critical
 * levels, each an {@link AlertState} evaluated at every window end (Prometheus' {@code for} and
 * {@code keep_firing_for}), both measured in event time over the windows that have samples: a window
 * without a sample is "no data", not "the condition cleared", so a series sampled every 5 minutes in
 * 1-minute windows fires once its breaches have lasted {@code for} (a Prometheus rule over a sparse
 * scrape does the same: it evaluates the latest sample). A series silent for {@code alerts.retention}
 * ends its alerts ("no data for ...").
 *
 * <p>State is one small object per series, removed by an event-time timer when the series has been
 * silent for {@code alerts.retention} (a firing alert is cleared then, with reason "no data").
 */
public class ThresholdRules extends KeyedProcessFunction<Long, WindowSummary, AlertCandidate> {

    private static final long serialVersionUID = 1L;

    private final MetricLevels levels;
    private final Duration retention;
    private transient ValueState<SeriesState> state;

    public ThresholdRules(MetricLevels levels, Duration retention) {
        this.levels = levels;
        this.retention = retention;
    }

    /** The rules' state for one series. */
    public static class SeriesState {
        public AlertState warning = new AlertState();
        public AlertState critical = new AlertState();
        /** End of the last window evaluated. */
        public long lastEvaluation = AlertState.NONE;
        public String component;
        public String metric;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("threshold-rules", SeriesState.class));
    }

    @Override
    public void processElement(WindowSummary w, Context ctx, Collector<AlertCandidate> out) throws Exception {
        MetricThresholds t = levels.of(w.component, w.metric);
        if (t == null || (t.warning == null && t.critical == null)) {
            return;
        }
        SeriesState s = state.value();
        if (s == null) {
            s = new SeriesState();
            s.component = w.component;
            s.metric = w.metric;
        } else {
            ctx.timerService().deleteEventTimeTimer(s.lastEvaluation + retention.toMillis());
        }
        double value = Statistics.of(w, t.statisticOrMean());
        evaluate(s, Severity.WARNING, t, t.warning != null && t.direction.breaches(value, t.warning), value, w.windowEnd, null, out);
        evaluate(s, Severity.CRITICAL, t, t.critical != null && t.direction.breaches(value, t.critical), value, w.windowEnd, null, out);
        s.lastEvaluation = w.windowEnd;
        state.update(s);
        ctx.timerService().registerEventTimeTimer(w.windowEnd + retention.toMillis());
    }

    private static void evaluate(SeriesState s, Severity severity, MetricThresholds t, boolean holds, double value, long at,
            String note, Collector<AlertCandidate> out) {
        Double level = severity == Severity.CRITICAL ? t.critical : t.warning;
        if (level == null) {
            return;
        }
        AlertState rule = severity == Severity.CRITICAL ? s.critical : s.warning;
        rule.evaluate(holds, value, at, t.forMillis(), t.keepFiringForMillis(), t.direction, new AlertState.Listener() {
            @Override
            public void fired(AlertState r) {
                out.collect(candidate(r, s, severity, level, t, AlertStatus.FIRING, value, at, null));
            }

            @Override
            public void cleared(AlertState r) {
                out.collect(candidate(r, s, severity, level, t, AlertStatus.CLEARED, value, at,
                        Double.isNaN(value) ? "no samples in the window" : note));
            }
        });
    }

    private static AlertCandidate candidate(AlertState r, SeriesState s, Severity severity, double level, MetricThresholds t,
            AlertStatus status, double value, long at, String note) {
        Evidence e = new Evidence()
                .put("statistic", t.statisticOrMean().yaml())
                .put("level", level)
                .put("direction", t.direction.yaml())
                .put("for_ms", t.forMillis())
                .put("keep_firing_for_ms", t.keepFiringForMillis())
                .time("active_since", r.activeAt)
                .put("first_value", r.firstValue)
                .put("worst_value", r.worstValue)
                .put("breaching_windows", r.holding);
        if (note != null) {
            e.put("note", note);
        }
        return new AlertCandidate("threshold:" + s.metric + ":" + severity.code(), AlertKind.THRESHOLD, severity, status,
                s.component, s.metric, Double.isNaN(value) ? null : value, level, at, r.activeAt, e);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertCandidate> out) throws Exception {
        SeriesState s = state.value();
        if (s == null || timestamp != s.lastEvaluation + retention.toMillis()) {
            return;
        }
        MetricThresholds t = levels.of(s.component, s.metric);
        String note = "no data for " + retention;
        for (Severity severity : new Severity[] {Severity.WARNING, Severity.CRITICAL}) {
            Double level = severity == Severity.CRITICAL ? t.critical : t.warning;
            AlertState rule = severity == Severity.CRITICAL ? s.critical : s.warning;
            if (level != null) {
                rule.end(new AlertState.Listener() {
                    @Override
                    public void fired(AlertState r) {}

                    @Override
                    public void cleared(AlertState r) {
                        out.collect(candidate(r, s, severity, level, t, AlertStatus.CLEARED, Double.NaN, timestamp, note));
                    }
                });
            }
        }
        state.clear();
    }
}
