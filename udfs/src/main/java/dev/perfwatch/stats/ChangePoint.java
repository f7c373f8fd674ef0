package dev.perfwatch.stats;

/**
 * The single most likely shift in the mean of a sequence, by CUSUM (Page, 1954): with
 * {@code S_k = sum_{i<k} (x_i - mean)}, the split is the first k maximizing |S_k|. Its significance
 * treats {@code D = max|S_k| / (sigma sqrt(n))} as the supremum of a Brownian bridge under the
 * no-change hypothesis, whose tail is Kolmogorov's distribution (the same as
 * {@code scipy.stats.kstwobign.sf(D)}). sigma is estimated from successive differences,
 * {@code 1.4826 * median|x_{i+1} - x_i| / sqrt(2)}, which a level shift barely moves (a plain
 * standard deviation would be inflated by the very shift being tested); when that is 0 the sample
 * standard deviation is used instead.
 *
 * <p>Assumes independent noise; autocorrelated series give too-small p-values, so detectors pair this
 * with effect-size thresholds.
 */
public final class ChangePoint {

    private ChangePoint() {}

    /**
     * @param index first position of the segment after the change (1..n-1), -1 when undefined
     * @param statistic D as above
     */
    public record Result(int index, double meanBefore, double meanAfter, double statistic, double pValue) {
        static final Result UNDEFINED = new Result(-1, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Needs at least 3 values; a constant sequence has no change (p = 1, index -1). */
    public static Result of(double[] x) {
        int n = x.length;
        if (n < 3) {
            return Result.UNDEFINED;
        }
        Moments all = Moments.of(x);
        double mean = all.mean();
        double s = 0;
        double best = -1;
        int split = -1;
        for (int k = 1; k < n; k++) {
            s += x[k - 1] - mean;
            if (Math.abs(s) > best + 1e-12 * Math.abs(best)) {
                best = Math.abs(s);
                split = k;
            }
        }
        if (!(best > 0)) {
            return new Result(-1, mean, mean, 0.0, 1.0);
        }
        double before = 0;
        for (int i = 0; i < split; i++) {
            before += x[i];
        }
        double after = 0;
        for (int i = split; i < n; i++) {
            after += x[i];
        }
        double sigma = noiseScale(x);
        if (!(sigma > 0)) {
            sigma = Math.sqrt(all.sampleVariance());
        }
        double d = best / (sigma * Math.sqrt(n));
        return new Result(split, before / split, after / (n - split), d, kolmogorovSurvival(d));
    }

    /** 1.4826 * median(|x_{i+1} - x_i|) / sqrt(2): the noise scale, robust to level shifts and outliers. */
    static double noiseScale(double[] x) {
        double[] diffs = new double[x.length - 1];
        for (int i = 0; i + 1 < x.length; i++) {
            diffs[i] = Math.abs(x[i + 1] - x[i]);
        }
        return 1.4826 * Robust.median(diffs) / Math.sqrt(2);
    }

    /**
     * P(K > d) for Kolmogorov's distribution K = sup|Brownian bridge|: the alternating series
     * {@code 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 d^2)} for d >= 1 (fast, and precise in the tail), and
     * 1 minus the theta-function form {@code sqrt(2 pi)/d sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 d^2))}
     * for smaller d.
     */
    public static double kolmogorovSurvival(double d) {
        if (Double.isNaN(d)) {
            return Double.NaN;
        }
        if (d <= 0) {
            return 1.0;
        }
        if (d >= 1.0) {
            double sum = 0;
            for (int k = 1; k <= 100; k++) {
                double term = Math.exp(-2.0 * k * k * d * d);
                sum += (k % 2 == 1 ? term : -term);
                if (term < 1e-300 || term < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return Math.max(0, Math.min(1, 2 * sum));
        }
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-(2.0 * k - 1) * (2.0 * k - 1) * Math.PI * Math.PI / (8 * d * d));
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return Math.max(0, Math.min(1, 1 - Math.sqrt(2 * Math.PI) / d * sum));
    }
}
