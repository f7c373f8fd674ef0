package dev.perfwatch.detect;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.config.PerfwatchConfig.Direction;
import dev.perfwatch.config.PerfwatchConfig.MetricThresholds;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Threshold rules per series, with the semantics of a Prometheus alerting rule evaluated at each
 * window end: when the window statistic is at or beyond a level the alert is pending; it fires once
 * the condition has held for {@code for} (at once when {@code for} is 0); a firing alert that no
 * longer holds keeps firing until {@code keep-firing-for} has passed since the first evaluation that
 * did not hold, then clears; a pending alert that stops holding is dropped silently. A missing window
 * (no samples) counts as one evaluation that does not hold. Warning and critical are two rules.
 *
 * <p>State is one small object per series, removed by an event-time timer when the series has been
 * silent for {@code alerts.retention} (a firing alert is cleared then, with reason "no data").
 */
public class ThresholdRules extends KeyedProcessFunction<String, WindowSummary, AlertCandidate> {

    private static final long serialVersionUID = 1L;
    static final long NONE = Long.MIN_VALUE;

    private final PerfwatchConfig config;
    private transient ValueState<SeriesState> state;

    public ThresholdRules(PerfwatchConfig config) {
        this.config = config;
    }

    /** The rules' state for one series. */
    public static class SeriesState {
        public RuleState warning = new RuleState();
        public RuleState critical = new RuleState();
        /** End of the last window evaluated. */
        public long lastEvaluation = NONE;
        public long windowMillis;
        public String component;
        public String metric;
    }

    /** One rule's state: inactive (activeAt NONE), pending, or firing. */
    public static class RuleState {
        public long activeAt = NONE;
        public boolean firing;
        public long keepFiringSince = NONE;
        public double firstValue;
        public double worstValue;
        public long breaches;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("threshold-rules", SeriesState.class));
    }

    @Override
    public void processElement(WindowSummary w, Context ctx, Collector<AlertCandidate> out) throws Exception {
        MetricThresholds levels = config.levelsFor(w.component, w.metric);
        if (levels == null || (levels.warning == null && levels.critical == null)) {
            return;
        }
        SeriesState s = state.value();
        if (s == null) {
            s = new SeriesState();
            s.component = w.component;
            s.metric = w.metric;
        } else {
            ctx.timerService().deleteEventTimeTimer(s.lastEvaluation + retention());
        }
        s.windowMillis = w.windowEnd - w.windowStart;
        double value = Statistics.of(w, levels.statistic);
        if (s.lastEvaluation != NONE && w.windowStart > s.lastEvaluation) {
            long missing = s.lastEvaluation + s.windowMillis;
            evaluate(s.warning, "warning", levels.warning, levels, false, Double.NaN, missing, s, out);
            evaluate(s.critical, "critical", levels.critical, levels, false, Double.NaN, missing, s, out);
        }
        long t = w.windowEnd;
        Direction direction = levels.direction;
        evaluate(s.warning, "warning", levels.warning, levels,
                levels.warning != null && direction.breaches(value, levels.warning), value, t, s, out);
        evaluate(s.critical, "critical", levels.critical, levels,
                levels.critical != null && direction.breaches(value, levels.critical), value, t, s, out);
        s.lastEvaluation = t;
        state.update(s);
        ctx.timerService().registerEventTimeTimer(t + retention());
    }

    private void evaluate(RuleState r, String severity, Double level, MetricThresholds levels, boolean holds,
            double value, long t, SeriesState s, Collector<AlertCandidate> out) {
        if (level == null) {
            return;
        }
        long forMillis = levels.forDuration == null ? 0 : levels.forDuration.toMillis();
        long keepMillis = levels.keepFiringFor == null ? 0 : levels.keepFiringFor.toMillis();
        if (holds) {
            r.keepFiringSince = NONE;
            if (r.activeAt == NONE) {
                r.activeAt = t;
                r.firstValue = value;
                r.worstValue = value;
                r.breaches = 0;
            }
            r.breaches++;
            if (levels.direction.breaches(value, r.worstValue)) {
                r.worstValue = value;
            }
            if (!r.firing && t - r.activeAt >= forMillis) {
                r.firing = true;
                out.collect(candidate(r, severity, level, levels, AlertCandidate.FIRING, value, t, s, null));
            }
            return;
        }
        if (r.firing) {
            if (keepMillis > 0) {
                if (r.keepFiringSince == NONE) {
                    r.keepFiringSince = t;
                }
                if (t - r.keepFiringSince < keepMillis) {
                    return;
                }
            }
            out.collect(candidate(r, severity, level, levels, AlertCandidate.CLEARED, value, t, s,
                    Double.isNaN(value) ? "no samples in the window" : null));
        }
        reset(r);
    }

    private static void reset(RuleState r) {
        r.activeAt = NONE;
        r.firing = false;
        r.keepFiringSince = NONE;
        r.breaches = 0;
    }

    private AlertCandidate candidate(RuleState r, String severity, double level, MetricThresholds levels, String status,
            double value, long t, SeriesState s, String note) {
        Evidence e = new Evidence()
                .put("statistic", levels.statistic == null ? "mean" : levels.statistic.yaml())
                .put("level", level)
                .put("direction", levels.direction.yaml())
                .put("for_ms", levels.forDuration == null ? 0 : levels.forDuration.toMillis())
                .put("keep_firing_for_ms", levels.keepFiringFor == null ? 0 : levels.keepFiringFor.toMillis())
                .time("active_since", r.activeAt)
                .put("first_value", r.firstValue)
                .put("worst_value", r.worstValue)
                .put("breaching_windows", r.breaches);
        if (note != null) {
            e.put("note", note);
        }
        return new AlertCandidate("threshold:" + s.metric + ":" + severity, AlertCandidate.THRESHOLD, severity, status,
                s.component, s.metric, Double.isNaN(value) ? null : value, level, t, r.activeAt, e.json());
    }

    private long retention() {
        return config.alerts.retention.toMillis();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertCandidate> out) throws Exception {
        SeriesState s = state.value();
        if (s == null || timestamp != s.lastEvaluation + retention()) {
            return;
        }
        MetricThresholds levels = config.levelsFor(s.component, s.metric);
        for (String severity : new String[] {"warning", "critical"}) {
            RuleState r = severity.equals("warning") ? s.warning : s.critical;
            Double level = severity.equals("warning") ? levels.warning : levels.critical;
            if (r.firing && level != null) {
                out.collect(candidate(r, severity, level, levels, AlertCandidate.CLEARED, Double.NaN, timestamp, s,
                        "no data for " + config.alerts.retention));
            }
        }
        state.clear();
    }
}
