package dev.perfwatch.udf;

import dev.perfwatch.stats.MannWhitneyU;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.api.dataview.ListView;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.types.Row;

import java.util.List;

/**
 * {@code mann_whitney_u(v DOUBLE, in_comparison BOOLEAN)}: U of the comparison rows, the signed
 * standardized z and the two-sided p-value, as
 * {@code scipy.stats.mannwhitneyu(comparison, baseline, alternative='two-sided', method='auto')}.
 * Ranks need every value: they are kept in list views (state-backed in streaming).
 */
@FunctionHint(output = @DataTypeHint("ROW<u DOUBLE, z DOUBLE, p_value DOUBLE>"))
public class MannWhitneyUFunction extends AggregateFunction<Row, MannWhitneyUFunction.Values> {

    /** Raw values of both samples. */
    public static class Values {
        public ListView<Double> baseline = new ListView<>();
        public ListView<Double> comparison = new ListView<>();
    }

    @Override
    public Values createAccumulator() {
        return new Values();
    }

    public void accumulate(Values acc, Double v, Boolean inComparison) throws Exception {
        if (v == null || inComparison == null || Double.isNaN(v)) {
            return;
        }
        (inComparison ? acc.comparison : acc.baseline).add(v);
    }

    public void merge(Values acc, Iterable<Values> others) throws Exception {
        for (Values o : others) {
            acc.baseline.addAll(toList(o.baseline));
            acc.comparison.addAll(toList(o.comparison));
        }
    }

    @Override
    public Row getValue(Values acc) {
        try {
            MannWhitneyU.Result r = MannWhitneyU.of(toArray(acc.baseline), toArray(acc.comparison));
            return Row.of(SqlValues.orNull(r.u()), SqlValues.orNull(r.z()), SqlValues.orNull(r.pValue()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the accumulated values", e);
        }
    }

    static List<Double> toList(ListView<Double> view) throws Exception {
        List<Double> out = new java.util.ArrayList<>();
        for (Double d : view.get()) {
            out.add(d);
        }
        return out;
    }

    static double[] toArray(ListView<Double> view) throws Exception {
        List<Double> list = toList(view);
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
