package dev.perfwatch.detect;

import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.Keys;
import dev.perfwatch.stats.HourlyExtremes;
import dev.perfwatch.stats.LinearTrend;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;

/**
 * K consecutive windows of the leak metric whose means rise with a significant, large enough slope, to a
 * level the series has not held in the day before them; the next match needs K new windows. A rise to a
 * level the series held within the last day and came back from on its own, below the metric's warning level,
 * is its own cycle (a heap filling between collections, a daily load), not a leak: each tooth of a GC
 * sawtooth rises as steeply as a leak does for an hour. A leak makes new highs (on a sawtooth too: its
 * peaks rise), and a series that came back from its warning level or beyond (a process restarted as it
 * ran out) is not excused by having been there. A trend over the last K windows is a sliding computation, not a
 * sequence to match: a ring of the last K windows per series evaluates it once a window (as a CEP
 * pattern of K unconditioned events did it for K partial matches at once, reading each back from its
 * shared buffer: the most expensive stage at one sample a window).
 */
public final class MemoryLeakPattern {

    private MemoryLeakPattern() {}

    public static DataStream<AlertCandidate> apply(DataStream<WindowSummary> summaries, AlertsConfig.MemoryLeak c, MetricLevels levels) {
        String metric = c.metric;
        KeyedStream<WindowSummary, Long> filtered = Keys.filtered(summaries, Keys.SUMMARY_SERIES,
                w -> w.metric.equals(metric), "pattern-memory-leak-filter", "pattern: leak metric");
        // (no cleanup timer here, so 0: only the series detectors expire the ring; the job runs it there)
        return filtered.process(new Rising(c, levels, 0)).uid("pattern-memory-leak").name("pattern: memory leak");
    }

    /** Per series: the last K windows; a match when they are all new since the last one and rise. */
    static final class Rising extends KeyedProcessFunction<Long, WindowSummary, AlertCandidate> {
        private static final long serialVersionUID = 1L;
        private final AlertsConfig.MemoryLeak c;
        private final MetricLevels levels;
        private final long retentionMillis;
        private transient ValueState<WindowRing> ring;

        /** retentionMillis: alerts.retention, after which a silent series' windows are forgotten ({@link #expire}; 0: never). */
        Rising(AlertsConfig.MemoryLeak c, MetricLevels levels, long retentionMillis) {
            this.c = c;
            this.levels = levels;
            this.retentionMillis = retentionMillis;
        }

        @Override
        public void open(OpenContext context) {
            ring = getRuntimeContext().getState(new ValueStateDescriptor<>("memory-leak-windows", WindowRing.class));
        }

        /**
         * Forgets the series' windows when {@code timestamp} is its newest window's end plus the retention:
         * the series has been silent that long (windows across such a silence are not consecutive, and a series
         * that is gone must not keep its ring). Called by {@link SeriesDetectors} on its cleanup timer.
         */
        void expire(long timestamp) throws Exception {
            WindowRing r = ring.value();
            if (retentionMillis > 0 && r != null && r.size > 0 && r.newestEnd() + retentionMillis == timestamp) {
                ring.clear();
            }
        }

        @Override
        public void processElement(WindowSummary w, Context ctx, Collector<AlertCandidate> out) throws Exception {
            WindowRing r = ring.value();
            if (r == null) {
                r = new WindowRing(c.windows);
                r.extremes = HourlyExtremes.create();
            }
            r.add(w);
            if (r.ready()) {
                LinearTrend trend = r.trendMoments();
                // The slope first: the fit's p-value only where the means rise fast enough for it to matter.
                LinearTrend.Fit fit = trend.slope() >= c.minSlopePerHour ? trend.fit() : null;
                if (fit != null && fit.slope() >= c.minSlopePerHour && fit.pValue() < c.alpha && !withinItsOwnRange(r, w, trend, fit)) {
                    r.fresh = 0;
                    out.collect(alert(r.windows(w.component, w.metric), fit, r.heldHigh()));
                }
            }
            ring.update(r);
        }

        /**
         * Whether the rise is within the range the series held in the day before the ring's windows
         * ({@link WindowRing#heldHigh}), not somewhere new ({@link HourlyExtremes#withinHeld}).
         */
        private boolean withinItsOwnRange(WindowRing r, WindowSummary w, LinearTrend trend, LinearTrend.Fit fit) {
            double x = (w.windowStart - r.oldestStart()) / 3_600_000.0;
            MetricThresholds t = levels == null ? null : levels.of(w.component, w.metric);
            return HourlyExtremes.withinHeld(r.heldHigh(), w.mean, fit.intercept() + fit.slope() * x, trend.fittedStdErr(fit, x),
                    fit.slope(), (w.windowEnd - w.windowStart) / 3_600_000.0, 1, t == null || t.warning == null ? Double.NaN : t.warning);
        }

        private AlertCandidate alert(List<WindowSummary> windows, LinearTrend.Fit fit, double held) {
            WindowSummary first = windows.get(0);
            WindowSummary last = windows.get(windows.size() - 1);
            Evidence evidence = new Evidence()
                    .put("pattern", windows.size() + " consecutive windows with means rising significantly")
                    .put("slope_per_hour", fit.slope())
                    .put("r2", fit.r2())
                    .put("p_value", fit.pValue())
                    .put("min_slope_per_hour", c.minSlopePerHour)
                    .put("alpha", c.alpha);
            if (Double.isNaN(held)) {
                evidence.put("highest_in_day_before", "none: the series has no window before these, so a rise cannot be told from its own cycle");
            } else {
                evidence.put("highest_in_day_before", held);
            }
            evidence.windows("windows", windows, "mean", x -> x.mean);
            return new AlertCandidate("pattern:memory-leak", AlertKind.PATTERN, Severity.WARNING, AlertStatus.FIRING,
                    first.component, first.metric, last.mean, null, last.windowEnd, first.windowStart, evidence);
        }
    }
}
