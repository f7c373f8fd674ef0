package dev.perfwatch.udf;

import dev.perfwatch.stats.EffectSize;

/**
 * {@code cohens_d(v DOUBLE, in_comparison BOOLEAN)}: (mean_comparison - mean_baseline) / pooled
 * standard deviation. NULL below two values on a side or with no variance.
 */
public class CohensDFunction extends TwoSampleAggregate<Double> {

    @Override
    public Double getValue(TwoSampleMoments acc) {
        return SqlValues.orNull(EffectSize.cohensD(acc.baseline(), acc.comparison()));
    }
}
