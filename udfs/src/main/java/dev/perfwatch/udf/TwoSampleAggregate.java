package dev.perfwatch.udf;

import org.apache.flink.table.functions.AggregateFunction;

/** The accumulation shared by the moment-based two-sample functions: (v, in_comparison) rows into moments. */
abstract class TwoSampleAggregate<T> extends AggregateFunction<T, TwoSampleMoments> {

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
}
