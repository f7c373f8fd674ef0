package dev.perfwatch.stats;

/** How large a difference is, independent of sample size. */
public final class EffectSize {

    private EffectSize() {}

    /**
     * Cohen's d of comparison against baseline with the pooled standard deviation (Cohen, 1988):
     * {@code (mean_c - mean_b) / sqrt(((n_b - 1) s_b^2 + (n_c - 1) s_c^2) / (n_b + n_c - 2))}.
     * NaN when either sample has fewer than two values or the pooled deviation is zero.
     */
    public static double cohensD(Moments baseline, Moments comparison) {
        long nb = baseline.count();
        long nc = comparison.count();
        if (nb < 2 || nc < 2) {
            return Double.NaN;
        }
        double pooled = ((nb - 1) * baseline.sampleVariance() + (nc - 1) * comparison.sampleVariance()) / (nb + nc - 2);
        if (!(pooled > 0)) {
            // Two constant samples: at different levels the difference is infinitely many standard deviations (a
            // queue that was always empty, then always 3), at the same level undefined.
            double diff = comparison.mean() - baseline.mean();
            return pooled == 0 && diff != 0 ? Math.copySign(Double.POSITIVE_INFINITY, diff) : Double.NaN;
        }
        return (comparison.mean() - baseline.mean()) / Math.sqrt(pooled);
    }

    public static double cohensD(double[] baseline, double[] comparison) {
        return cohensD(Moments.of(baseline), Moments.of(comparison));
    }

    /**
     * Common-language effect size (McGraw and Wong, 1992) from Mann-Whitney's U of the comparison:
     * the probability that a random comparison value exceeds a random baseline value, ties counting
     * half. NaN for an empty sample.
     */
    public static double commonLanguage(double uComparison, long nBaseline, long nComparison) {
        if (nBaseline == 0 || nComparison == 0) {
            return Double.NaN;
        }
        return uComparison / ((double) nBaseline * nComparison);
    }
}
