package dev.perfwatch.udf;

import dev.perfwatch.stats.LinearTrend;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.types.Row;

import java.time.Instant;
import java.time.LocalDateTime;

/**
 * {@code linear_trend(ts, v DOUBLE)}: least-squares slope per hour, the intercept (the fitted value
 * at the earliest ts), R^2 and the two-sided p of the slope, as {@code scipy.stats.linregress} of v
 * on hours since the earliest ts. {@code ts} is TIMESTAMP(3) (read as UTC) or TIMESTAMP_LTZ(3).
 * Constant memory: centered co-moments, mergeable.
 */
@FunctionHint(output = @DataTypeHint("ROW<slope_per_hour DOUBLE, intercept DOUBLE, r2 DOUBLE, p_value DOUBLE>"))
public class LinearTrendFunction extends AggregateFunction<Row, LinearTrendFunction.Acc> {

    private static final double HOUR = 3_600_000.0;

    /** Co-moments with x in hours since {@code origin} (the first row seen), and the earliest ts. */
    public static class Acc {
        public long n;
        public double meanX;
        public double meanY;
        public double cxx;
        public double cxy;
        public double cyy;
        public long origin;
        public long earliest = Long.MAX_VALUE;

        LinearTrend trend() {
            return new LinearTrend(n, meanX, meanY, cxx, cxy, cyy);
        }

        void set(LinearTrend t) {
            n = t.count();
            meanX = t.meanX();
            meanY = t.meanY();
            cxx = t.cxx();
            cxy = t.cxy();
            cyy = t.cyy();
        }

        void add(long ts, Double v) {
            if (v == null || Double.isNaN(v)) {
                return;
            }
            if (n == 0) {
                origin = ts;
            }
            LinearTrend t = trend();
            t.add((ts - origin) / HOUR, v);
            set(t);
            earliest = Math.min(earliest, ts);
        }
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, @DataTypeHint("TIMESTAMP(3)") LocalDateTime ts, Double v) {
        if (ts != null) {
            acc.add(SqlValues.millis(ts), v);
        }
    }

    public void accumulate(Acc acc, @DataTypeHint("TIMESTAMP_LTZ(3)") Instant ts, Double v) {
        if (ts != null) {
            acc.add(SqlValues.millis(ts), v);
        }
    }

    public void merge(Acc acc, Iterable<Acc> others) {
        for (Acc o : others) {
            if (o.n == 0) {
                continue;
            }
            if (acc.n == 0) {
                acc.origin = o.origin;
            }
            // Re-express the other's x in hours since this accumulator's origin: a shift of its mean.
            LinearTrend shifted = new LinearTrend(o.n, o.meanX + (o.origin - acc.origin) / HOUR, o.meanY, o.cxx, o.cxy, o.cyy);
            LinearTrend t = acc.trend();
            t.merge(shifted);
            acc.set(t);
            acc.earliest = Math.min(acc.earliest, o.earliest);
        }
    }

    @Override
    public Row getValue(Acc acc) {
        LinearTrend.Fit fit = acc.trend().fit();
        double xEarliest = (acc.earliest - acc.origin) / HOUR;
        double intercept = fit.intercept() + fit.slope() * xEarliest;
        return Row.of(SqlValues.orNull(fit.slope()), SqlValues.orNull(intercept), SqlValues.orNull(fit.r2()),
                SqlValues.orNull(fit.pValue()));
    }
}
