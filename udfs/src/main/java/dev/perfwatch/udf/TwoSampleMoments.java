package dev.perfwatch.udf;

import dev.perfwatch.stats.Moments;

/**
 * Accumulator of the moment-based two-sample functions: count, mean and M2 of the baseline rows
 * ({@code in_comparison = FALSE}) and of the comparison rows ({@code TRUE}). Rows with a NULL value
 * or flag are skipped.
 */
public class TwoSampleMoments {
    public long nBaseline;
    public double meanBaseline;
    public double m2Baseline;
    public long nComparison;
    public double meanComparison;
    public double m2Comparison;

    void add(Double value, Boolean inComparison) {
        if (value == null || inComparison == null || Double.isNaN(value)) {
            return;
        }
        if (inComparison) {
            nComparison++;
            double d = value - meanComparison;
            meanComparison += d / nComparison;
            m2Comparison += d * (value - meanComparison);
        } else {
            nBaseline++;
            double d = value - meanBaseline;
            meanBaseline += d / nBaseline;
            m2Baseline += d * (value - meanBaseline);
        }
    }

    void merge(TwoSampleMoments o) {
        Moments b = baseline();
        b.merge(o.baseline());
        Moments c = comparison();
        c.merge(o.comparison());
        nBaseline = b.count();
        meanBaseline = b.count() == 0 ? 0 : b.mean();
        m2Baseline = b.m2();
        nComparison = c.count();
        meanComparison = c.count() == 0 ? 0 : c.mean();
        m2Comparison = c.m2();
    }

    Moments baseline() {
        return new Moments(nBaseline, meanBaseline, m2Baseline, Double.NaN, Double.NaN);
    }

    Moments comparison() {
        return new Moments(nComparison, meanComparison, m2Comparison, Double.NaN, Double.NaN);
    }
}
