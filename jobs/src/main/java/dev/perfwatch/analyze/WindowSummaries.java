package dev.perfwatch.analyze;

import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.stats.ExactMoments;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Per-series window summaries, aggregated incrementally: the window never holds raw values. */
public final class WindowSummaries {

    private WindowSummaries() {}

    /**
     * Folds the parts of a window ({@link SummaryPartial}, one per source reader that saw the series) into
     * its {@link SummaryAccumulator}: the first part's own accumulator becomes the window's.
     */
    public static final class PartialAggregate implements AggregateFunction<SummaryPartial, SummaryAccumulator, SummaryAccumulator> {
        private static final long serialVersionUID = 1L;
        private final double relativeAccuracy;

        public PartialAggregate(double relativeAccuracy) {
            this.relativeAccuracy = relativeAccuracy;
        }

        @Override
        public SummaryAccumulator createAccumulator() {
            return new SummaryAccumulator(relativeAccuracy);
        }

        @Override
        public SummaryAccumulator add(SummaryPartial part, SummaryAccumulator acc) {
            return part.foldInto(acc);
        }

        @Override
        public SummaryAccumulator getResult(SummaryAccumulator acc) {
            return acc;
        }

        @Override
        public SummaryAccumulator merge(SummaryAccumulator a, SummaryAccumulator b) {
            a.merge(b);
            return a;
        }
    }

    /** Turns the window's accumulator into a {@link WindowSummary} with its series and window. */
    public static final class Emit extends ProcessWindowFunction<SummaryAccumulator, WindowSummary, Long, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(Long seriesId, Context ctx, Iterable<SummaryAccumulator> results, Collector<WindowSummary> out) {
            SummaryAccumulator acc = results.iterator().next();
            out.collect(summarize(acc.component(), acc.metric(), ctx.window().getStart(), ctx.window().getEnd(), acc));
        }
    }

    /** The window summary of one series from its accumulator, as the job emits it. */
    public static WindowSummary summarize(String component, String metric, long start, long end, SummaryAccumulator acc) {
        ExactMoments m = acc.moments();
        WindowSummary s = new WindowSummary();
        s.component = component;
        s.metric = metric;
        s.windowStart = start;
        s.windowEnd = end;
        s.count = m.count();
        s.mean = m.mean();
        s.stddev = m.sampleStddevOrZero();
        s.min = m.min();
        s.max = m.max();
        // Exact for a window of at most EXACT_UP_TO values; else the sketch's, clamped into [min, max] (exact).
        double[] q = acc.quantiles(0.50, 0.95, 0.99);
        s.p50 = clamp(q[0], s.min, s.max);
        s.p95 = clamp(q[1], s.min, s.max);
        s.p99 = clamp(q[2], s.min, s.max);
        return s;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
