package dev.perfwatch.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;

/**
 * Welch's unequal-variances t-test of a comparison sample against a baseline (Welch, 1947), with
 * Welch–Satterthwaite degrees of freedom and a two-sided p-value. Same conventions as
 * {@code scipy.stats.ttest_ind(comparison, baseline, equal_var=False)}: t is positive when the
 * comparison mean is higher.
 *
 * <p>Undefined cases give NaN (NULL in SQL): fewer than two values in either sample, or both
 * variances zero.
 */
public final class WelchTest {

    private WelchTest() {}

    /** t statistic, degrees of freedom, two-sided p-value, and the two means. */
    public record Result(double t, double df, double pValue, double meanBaseline, double meanComparison) {
        static Result undefined(double meanBaseline, double meanComparison) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, meanBaseline, meanComparison);
        }
    }

    public static Result of(double[] baseline, double[] comparison) {
        return fromMoments(Moments.of(baseline), Moments.of(comparison));
    }

    public static Result fromMoments(Moments baseline, Moments comparison) {
        return fromMoments(baseline.count(), baseline.mean(), baseline.sampleVariance(),
                comparison.count(), comparison.mean(), comparison.sampleVariance());
    }

    /** From summary moments: counts, means and sample variances (n - 1 denominator). */
    public static Result fromMoments(long nBaseline, double meanBaseline, double varBaseline,
            long nComparison, double meanComparison, double varComparison) {
        if (nBaseline < 2 || nComparison < 2 || Double.isNaN(varBaseline) || Double.isNaN(varComparison)) {
            return Result.undefined(meanBaseline, meanComparison);
        }
        double sb = varBaseline / nBaseline;
        double sc = varComparison / nComparison;
        double se2 = sb + sc;
        if (!(se2 > 0)) {
            // Two constant samples: at different levels t is infinite and p 0 (as scipy's ttest_ind), at the same
            // level undefined.
            double diff = meanComparison - meanBaseline;
            return se2 == 0 && diff != 0 ? new Result(Math.copySign(Double.POSITIVE_INFINITY, diff), Double.NaN, 0.0, meanBaseline, meanComparison)
                    : Result.undefined(meanBaseline, meanComparison);
        }
        double t = (meanComparison - meanBaseline) / Math.sqrt(se2);
        double df = se2 * se2 / (sb * sb / (nBaseline - 1) + sc * sc / (nComparison - 1));
        return new Result(t, df, twoSidedP(t, df), meanBaseline, meanComparison);
    }

    /**
     * The same comparison with each sample's variance of its mean {@code inflation} times larger (values that
     * are not independent: effective sample sizes n / inflation): t divided by sqrt(inflation), the degrees
     * of freedom divided by it (at least 1), p from those. An inflation of 1 or less returns {@code r}.
     */
    public static Result inflated(Result r, double inflation) {
        if (!(inflation > 1) || !Double.isFinite(r.t())) {
            return r;
        }
        double t = r.t() / Math.sqrt(inflation);
        double df = Math.max(1, r.df() / inflation);
        return new Result(t, df, twoSidedP(t, df), r.meanBaseline(), r.meanComparison());
    }

    /** Two-sided p of a t statistic with {@code df} degrees of freedom. */
    static double twoSidedP(double t, double df) {
        if (Double.isNaN(t) || Double.isNaN(df)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return 0.0;
        }
        // The lower tail at -|t| keeps precision in the far tail (1 - cdf would not).
        double x = -Math.abs(t);
        if (!(df > 0)) {
            return Math.min(1.0, 2 * new TDistribution(null, df).cumulativeProbability(x)); // which rejects df
        }
        // TDistribution.cumulativeProbability's own formula for x < 0 (the same bits), without building a
        // distribution per test: its constructor computes two log-gamma values the CDF never reads.
        double lower = x == 0 ? 0.5 : 0.5 * Beta.regularizedBeta(df / (df + x * x), 0.5 * df, 0.5);
        return Math.min(1.0, 2 * lower);
    }
}
