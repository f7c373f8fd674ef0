package dev.perfwatch.udf;

import dev.perfwatch.stats.WelchTest;

import org.apache.flink.table.functions.ScalarFunction;

/** Scalar helpers for analysts working from the window summaries. */
public final class ScalarFunctions {

    private ScalarFunctions() {}

    /** {@code relative_change(baseline, comparison)}: (comparison - baseline) / |baseline|; NULL when baseline is 0 or NULL. */
    public static class RelativeChange extends ScalarFunction {
        public Double eval(Double baseline, Double comparison) {
            if (baseline == null || comparison == null || baseline == 0) {
                return null;
            }
            return (comparison - baseline) / Math.abs(baseline);
        }
    }

    /**
     * {@code welch_p_value(n_b, mean_b, stddev_b, n_c, mean_c, stddev_c)}: Welch's two-sided p from
     * summary statistics (e.g. two rows of {@code summaries}); NULL where undefined.
     */
    public static class WelchPValue extends ScalarFunction {
        public Double eval(Long nb, Double meanB, Double sdB, Long nc, Double meanC, Double sdC) {
            if (nb == null || meanB == null || sdB == null || nc == null || meanC == null || sdC == null) {
                return null;
            }
            return SqlValues.orNull(WelchTest.fromMoments(nb, meanB, sdB * sdB, nc, meanC, sdC * sdC).pValue());
        }
    }

    /** {@code z_score(x, mean, stddev)}: (x - mean) / stddev; NULL when stddev is 0 or NULL. */
    public static class ZScore extends ScalarFunction {
        public Double eval(Double x, Double mean, Double stddev) {
            if (x == null || mean == null || stddev == null || stddev == 0) {
                return null;
            }
            return (x - mean) / stddev;
        }
    }
}
