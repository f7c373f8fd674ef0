package dev.perfwatch.stats;

/**
 * The dominant period of a regularly spaced series from its autocorrelation (Box and Jenkins):
 * the series is detrended by least squares, its sample autocorrelation
 * {@code r_k = sum_t (x_t - m)(x_{t+k} - m) / sum_t (x_t - m)^2} computed for lags 2..n/2, and the
 * period is the lag of the highest local maximum of r_k, after r has first crossed zero (so the slow
 * decay of a smooth series is not taken for a cycle), that exceeds both {@link #MIN_STRENGTH} and
 * the white-noise band {@code 2 / sqrt(n)}. Its strength is r at that lag. At least two full cycles
 * are needed, so periods above n/2 are not found.
 */
public final class Seasonality {

    public static final double MIN_STRENGTH = 0.3;

    private Seasonality() {}

    /** {@code period} 0 when there is none; strength is then the largest autocorrelation seen. */
    public record Result(int period, double strength) {
        public boolean seasonal() {
            return period > 0;
        }
    }

    public static Result of(double[] x) {
        int n = x.length;
        if (n < 8) {
            return new Result(0, Double.NaN);
        }
        double[] r = autocorrelation(detrend(x), n / 2);
        if (r == null) {
            return new Result(0, Double.NaN);
        }
        double threshold = Math.max(MIN_STRENGTH, 2 / Math.sqrt(n));
        int best = 0;
        double bestR = Double.NEGATIVE_INFINITY;
        double largest = Double.NEGATIVE_INFINITY;
        boolean crossedZero = false;
        for (int k = 2; k < r.length; k++) {
            largest = Math.max(largest, r[k]);
            crossedZero |= r[k] <= 0;
            boolean peak = crossedZero && r[k] > r[k - 1] && (k + 1 >= r.length || r[k] >= r[k + 1]);
            if (peak && r[k] > threshold && r[k] > bestR) {
                best = k;
                bestR = r[k];
            }
        }
        return best > 0 ? new Result(best, bestR) : new Result(0, largest);
    }

    static double[] detrend(double[] x) {
        double[] t = new double[x.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = i;
        }
        LinearTrend.Fit fit = LinearTrend.of(t, x);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - (fit.intercept() + fit.slope() * i);
        }
        return out;
    }

    /** r_0..r_maxLag, or null for a constant series. */
    static double[] autocorrelation(double[] x, int maxLag) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double denominator = 0;
        for (double v : x) {
            denominator += (v - mean) * (v - mean);
        }
        if (!(denominator > 0)) {
            return null;
        }
        double[] r = new double[maxLag + 1];
        for (int k = 0; k <= maxLag; k++) {
            double s = 0;
            for (int t = 0; t + k < x.length; t++) {
                s += (x[t] - mean) * (x[t + k] - mean);
            }
            r[k] = s / denominator;
        }
        return r;
    }
}
