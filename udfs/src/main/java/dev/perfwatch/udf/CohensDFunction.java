package dev.perfwatch.udf;

import dev.perfwatch.stats.EffectSize;

import org.apache.flink.table.functions.AggregateFunction;

/**
 * {@code cohens_d(v DOUBLE, in_comparison BOOLEAN)}: (mean_comparison - mean_baseline) / pooled
 * standard deviation. NULL below two values on a side or with no variance.
 */
public class CohensDFunction extends AggregateFunction<Double, TwoSampleMoments> {

    @Override
    public TwoSampleMoments createAccumulator() {
        return new TwoSampleMoments();
    }

    public void accumulate(TwoSampleMoments acc, Double v, Boolean inComparison) {
        acc.add(v, inComparison);
    }

    public void merge(TwoSampleMoments acc, Iterable<TwoSampleMoments> others) {
        for (TwoSampleMoments o : others) {
            acc.merge(o);
        }
    }

    @Override
    public Double getValue(TwoSampleMoments acc) {
        return SqlValues.orNull(EffectSize.cohensD(acc.baseline(), acc.comparison()));
    }
}
