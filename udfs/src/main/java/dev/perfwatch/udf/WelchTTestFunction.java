package dev.perfwatch.udf;

import dev.perfwatch.stats.WelchTest;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.types.Row;

/**
 * {@code welch_t_test(v DOUBLE, in_comparison BOOLEAN)}: Welch's t-test of the comparison rows against
 * the baseline rows, as {@code scipy.stats.ttest_ind(comparison, baseline, equal_var=False)}. NULL
 * fields where undefined (fewer than two values on a side, or no variance at all).
 */
@FunctionHint(output = @DataTypeHint(
        "ROW<t DOUBLE, df DOUBLE, p_value DOUBLE, mean_baseline DOUBLE, mean_comparison DOUBLE>"))
public class WelchTTestFunction extends TwoSampleAggregate<Row> {

    @Override
    public Row getValue(TwoSampleMoments acc) {
        WelchTest.Result r = WelchTest.fromMoments(acc.baseline(), acc.comparison());
        return Row.of(SqlValues.orNull(r.t()), SqlValues.orNull(r.df()), SqlValues.orNull(r.pValue()),
                acc.nBaseline == 0 ? null : acc.meanBaseline, acc.nComparison == 0 ? null : acc.meanComparison);
    }
}
