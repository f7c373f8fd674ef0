package dev.perfwatch.udf;

import dev.perfwatch.stats.ChangePoint;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.types.Row;

import java.time.Instant;
import java.time.LocalDateTime;

/**
 * {@code change_point(ts, v DOUBLE)}: the most likely shift in the mean of the series ordered by ts
 * (CUSUM, see {@link ChangePoint}): the first ts after the change, the means before and after, and
 * the p-value of the split. NULLs below three rows; change_ts NULL (p 1) for a constant series.
 */
@FunctionHint(output = @DataTypeHint("ROW<change_ts TIMESTAMP(3), mean_before DOUBLE, mean_after DOUBLE, p_value DOUBLE>"))
public class ChangePointFunction extends AggregateFunction<Row, Sequence> {

    @Override
    public Sequence createAccumulator() {
        return new Sequence();
    }

    public void accumulate(Sequence acc, @DataTypeHint("TIMESTAMP(3)") LocalDateTime ts, Double v) throws Exception {
        if (ts != null) {
            acc.add(SqlValues.millis(ts), v);
        }
    }

    public void accumulate(Sequence acc, @DataTypeHint("TIMESTAMP_LTZ(3)") Instant ts, Double v) throws Exception {
        if (ts != null) {
            acc.add(SqlValues.millis(ts), v);
        }
    }

    public void merge(Sequence acc, Iterable<Sequence> others) throws Exception {
        for (Sequence o : others) {
            acc.addAll(o);
        }
    }

    @Override
    public Row getValue(Sequence acc) {
        try {
            Sequence.Sorted s = acc.sorted();
            ChangePoint.Result r = ChangePoint.of(s.values());
            return Row.of(r.index() < 0 ? null : SqlValues.timestamp(s.times()[r.index()]),
                    SqlValues.orNull(r.meanBefore()), SqlValues.orNull(r.meanAfter()), SqlValues.orNull(r.pValue()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the accumulated series", e);
        }
    }
}
