package dev.perfwatch.udf;

import dev.perfwatch.stats.Forecast;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.types.Row;

import java.time.Instant;
import java.time.LocalDateTime;

/**
 * {@code forecast_breach(ts, v DOUBLE, threshold DOUBLE, horizon_hours DOUBLE)}: when the series,
 * forecast by Holt's linear method (Holt-Winters when seasonal; see {@link Forecast}), first reaches
 * the threshold within the horizon: {@code breach_ts} and {@code hours_to_breach} by the point forecast,
 * {@code lower_hours} and {@code upper_hours} by the pessimistic and optimistic bounds of the 95%
 * interval. Hours count from the last ts; NULL where no crossing lies within the horizon. The
 * series is treated as regularly spaced at its median spacing. threshold and horizon_hours are read
 * from the first row (constants).
 */
@FunctionHint(output = @DataTypeHint(
        "ROW<breach_ts TIMESTAMP(3), hours_to_breach DOUBLE, lower_hours DOUBLE, upper_hours DOUBLE>"))
public class ForecastBreachFunction extends AggregateFunction<Row, ForecastBreachFunction.Acc> {

    /** Longest forecast, in steps. */
    static final int MAX_STEPS = 100_000;

    /** The series plus the constants. */
    public static class Acc extends Sequence {
        public Double threshold;
        public Double horizonHours;
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, @DataTypeHint("TIMESTAMP(3)") LocalDateTime ts, Double v, Double threshold, Double horizonHours)
            throws Exception {
        if (ts != null) {
            add(acc, SqlValues.millis(ts), v, threshold, horizonHours);
        }
    }

    public void accumulate(Acc acc, @DataTypeHint("TIMESTAMP_LTZ(3)") Instant ts, Double v, Double threshold, Double horizonHours)
            throws Exception {
        if (ts != null) {
            add(acc, SqlValues.millis(ts), v, threshold, horizonHours);
        }
    }

    private static void add(Acc acc, long ts, Double v, Double threshold, Double horizonHours) throws Exception {
        if (acc.threshold == null) {
            acc.threshold = threshold;
        }
        if (acc.horizonHours == null) {
            acc.horizonHours = horizonHours;
        }
        acc.add(ts, v);
    }

    public void merge(Acc acc, Iterable<Acc> others) throws Exception {
        for (Acc o : others) {
            acc.addAll(o);
            if (acc.threshold == null) {
                acc.threshold = o.threshold;
            }
            if (acc.horizonHours == null) {
                acc.horizonHours = o.horizonHours;
            }
        }
    }

    @Override
    public Row getValue(Acc acc) {
        Row none = Row.of(null, null, null, null);
        if (acc.threshold == null || acc.horizonHours == null || !(acc.horizonHours > 0)) {
            return none;
        }
        try {
            Sequence.Sorted s = acc.sorted();
            long step = s.medianStep();
            Forecast f = step > 0 ? Forecast.fit(s.values()) : null;
            if (f == null) {
                return none;
            }
            double stepHours = step / 3_600_000.0;
            int horizon = (int) Math.min(MAX_STEPS, Math.floor(acc.horizonHours / stepHours));
            Forecast.Breach b = f.timeToThreshold(acc.threshold, horizon);
            long last = s.times()[s.size() - 1];
            return Row.of(b.pointSteps() < 0 ? null : SqlValues.timestamp(last + b.pointSteps() * step),
                    hours(b.pointSteps(), stepHours), hours(b.earliestSteps(), stepHours), hours(b.latestSteps(), stepHours));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the accumulated series", e);
        }
    }

    private static Double hours(int steps, double stepHours) {
        return steps < 0 ? null : steps * stepHours;
    }
}
