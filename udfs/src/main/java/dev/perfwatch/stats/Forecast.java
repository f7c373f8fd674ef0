package dev.perfwatch.stats;

/**
 * Exponential-smoothing forecasts with prediction intervals, for regularly spaced series:
 * Holt's linear method, or additive Holt-Winters when {@link Seasonality} finds a period and the
 * series holds at least two full cycles (Hyndman and Athanasopoulos, "Forecasting: Principles and
 * Practice", ch. 8).
 *
 * <p>Smoothing parameters minimize the sum of squared one-step errors over a fixed grid (Holt:
 * alpha, beta in 0.05..0.95 by 0.05, then refined by 0.005 around the best; Holt-Winters: alpha,
 * beta, gamma in 0.1..0.9 by 0.1), so a fit is deterministic. sigma^2 is the mean squared one-step
 * error. The h-step variance is {@code sigma^2 (1 + sum_{j=1}^{h-1} c_j^2)} with
 * {@code c_j = alpha (1 + j beta) + gamma [j mod m == 0]}, the ETS(A,A,N) / ETS(A,A,A) formula
 * (Hyndman et al. 2008, table 6.1) with beta the Holt trend weight.
 */
public final class Forecast {

    /** z of a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    private final String method;
    private final double alpha;
    private final double beta;
    private final double gamma;
    private final int period;
    private final double level;
    private final double trend;
    private final double[] lastSeason;
    private final double sigma;
    private final double sse;

    private Forecast(String method, double alpha, double beta, double gamma, int period, double level,
            double trend, double[] lastSeason, double sigma, double sse) {
        this.method = method;
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
        this.period = period;
        this.level = level;
        this.trend = trend;
        this.lastSeason = lastSeason;
        this.sigma = sigma;
        this.sse = sse;
    }

    /** Fits Holt-Winters when the series is seasonal with two full cycles, else Holt; null below 4 values. */
    public static Forecast fit(double[] y) {
        if (y.length < 4) {
            return null;
        }
        Seasonality.Result season = Seasonality.of(y);
        if (season.seasonal() && y.length >= 2 * season.period() + 2) {
            return fitHoltWinters(y, season.period());
        }
        return fitHolt(y);
    }

    /**
     * The grid search: alpha and beta by 0.05, then by 0.005 around the best; the least sum of squared
     * one-step errors wins (the first of equal ones). A candidate is dropped as soon as its running sum
     * reaches the best so far (the sum only grows), so most of the grid costs a few steps; the winner is
     * the one a full pass over every candidate finds.
     */
    public static Forecast fitHolt(double[] y) {
        double[] as = new double[19 * 19];
        double[] bs = new double[19 * 19];
        int n = 0;
        for (int i = 1; i <= 19; i++) {
            for (int j = 1; j <= 19; j++) {
                as[n] = i * 0.05;
                bs[n++] = j * 0.05;
            }
        }
        // best: {sum, index}; the grid's first candidate is taken whatever its sum, as the one to beat.
        double[] best = {Double.NaN, -1};
        leastSse(y, as, bs, n, best, true);
        double a0 = as[(int) best[1]];
        double b0 = bs[(int) best[1]];
        n = 0;
        for (int i = -9; i <= 9; i++) {
            for (int j = -9; j <= 9; j++) {
                double a = a0 + i * 0.005;
                double b = b0 + j * 0.005;
                if (a > 0.001 && a < 0.999 && b > 0.001 && b < 0.999) {
                    as[n] = a;
                    bs[n++] = b;
                }
            }
        }
        best[1] = -1;
        leastSse(y, as, bs, n, best, false);
        return best[1] < 0 ? holt(y, a0, b0) : holt(y, as[(int) best[1]], bs[(int) best[1]]);
    }

    /**
     * The first of the least sums of squared one-step errors over the candidates (as[k], bs[k]), k < n, in order,
     * below best[0] (or, with takeFirst, from the first candidate on whatever its sum): best[0] the sum, best[1] the
     * index (left as it was when none is below). Candidates are run two at a time in one pass over y ({@link
     * #holtSse2}: each one's recursion waits on its own last step, so two side by side take little longer than
     * one), both bounded by the best before the pair and then taken in order: the winner is the one the candidates
     * one at a time find, since a candidate the looser bound lets finish has a sum at least the tighter bound.
     */
    private static void leastSse(double[] y, double[] as, double[] bs, int n, double[] best, boolean takeFirst) {
        double[] pair = new double[2];
        for (int k = 0; k < n; k += 2) {
            boolean first = takeFirst && k == 0;
            double bound = first ? Double.POSITIVE_INFINITY : best[0];
            if (k + 1 < n) {
                holtSse2(y, as[k], bs[k], as[k + 1], bs[k + 1], bound, pair);
            } else {
                pair[0] = holtSse(y, as[k], bs[k], bound, null);
            }
            if (first || pair[0] < best[0]) {
                best[0] = pair[0];
                best[1] = k;
            }
            if (k + 1 < n && pair[1] < best[0]) {
                best[0] = pair[1];
                best[1] = k + 1;
            }
        }
    }

    /** As {@link #fitHolt}: alpha, beta and gamma by 0.1, the least sum of squared one-step errors (the first of equal ones). */
    public static Forecast fitHoltWinters(double[] y, int period) {
        double bestSse = Double.NaN;
        double[] best = null;
        double[] s = new double[y.length];
        for (int i = 1; i <= 9; i++) {
            for (int j = 1; j <= 9; j++) {
                for (int k = 1; k <= 9; k++) {
                    double sse = holtWintersSse(y, period, i * 0.1, j * 0.1, k * 0.1, best == null ? Double.POSITIVE_INFINITY : bestSse, s, null);
                    if (best == null || sse < bestSse) {
                        bestSse = sse;
                        best = new double[] {i * 0.1, j * 0.1, k * 0.1};
                    }
                }
            }
        }
        return holtWinters(y, period, best[0], best[1], best[2]);
    }

    /**
     * Holt's sum of squared one-step errors, or +infinity once it reaches {@code bound} (NaN: never); the final level
     * and trend go to {@code levelTrend} when given.
     */
    static double holtSse(double[] y, double alpha, double beta, double bound, double[] levelTrend) {
        double l = y[0];
        double b = y[1] - y[0];
        double sse = 0;
        for (int t = 1; t < y.length; t++) {
            double e = y[t] - (l + b);
            sse += e * e;
            if (sse >= bound) {
                return Double.POSITIVE_INFINITY;
            }
            double previous = l;
            l = alpha * y[t] + (1 - alpha) * (l + b);
            b = beta * (l - previous) + (1 - beta) * b;
        }
        if (levelTrend != null) {
            levelTrend[0] = l;
            levelTrend[1] = b;
        }
        return sse;
    }

    /**
     * {@link #holtSse} of two candidates in one pass, each exactly as on its own (the same operations in the same
     * order: keep the two in step; ForecastGridTest compares them bit for bit), each +infinity once its sum reaches
     * {@code bound}; into out[0] and out[1].
     */
    static void holtSse2(double[] y, double alpha1, double beta1, double alpha2, double beta2, double bound, double[] out) {
        double l1 = y[0];
        double b1 = y[1] - y[0];
        double l2 = l1;
        double b2 = b1;
        double sse1 = 0;
        double sse2 = 0;
        boolean live1 = true;
        boolean live2 = true;
        for (int t = 1; t < y.length; t++) {
            double yt = y[t];
            if (live1) {
                double e = yt - (l1 + b1);
                sse1 += e * e;
                if (sse1 >= bound) {
                    live1 = false;
                    sse1 = Double.POSITIVE_INFINITY;
                } else {
                    double previous = l1;
                    l1 = alpha1 * yt + (1 - alpha1) * (l1 + b1);
                    b1 = beta1 * (l1 - previous) + (1 - beta1) * b1;
                }
            }
            if (live2) {
                double e = yt - (l2 + b2);
                sse2 += e * e;
                if (sse2 >= bound) {
                    live2 = false;
                    sse2 = Double.POSITIVE_INFINITY;
                } else {
                    double previous = l2;
                    l2 = alpha2 * yt + (1 - alpha2) * (l2 + b2);
                    b2 = beta2 * (l2 - previous) + (1 - beta2) * b2;
                }
            }
            if (!live1 && !live2) {
                break;
            }
        }
        out[0] = sse1;
        out[1] = sse2;
    }

    /**
     * Additive Holt-Winters' sum of squared one-step errors, or +infinity once it reaches {@code bound} (NaN:
     * never): level
     * starts at the first cycle's mean, trend at the difference of the first two cycles' means over m,
     * seasonal terms at the first cycle's deviations; s (y's length) gets the seasonal terms, levelTrend
     * (when given) the final level and trend.
     */
    static double holtWintersSse(double[] y, int m, double alpha, double beta, double gamma, double bound, double[] s, double[] levelTrend) {
        double first = 0;
        double second = 0;
        for (int i = 0; i < m; i++) {
            first += y[i];
            second += y[m + i];
        }
        first /= m;
        second /= m;
        double l = first;
        double b = (second - first) / m;
        for (int i = 0; i < m; i++) {
            s[i] = y[i] - first;
        }
        double sse = 0;
        for (int t = m; t < y.length; t++) {
            double e = y[t] - (l + b + s[t - m]);
            sse += e * e;
            if (sse >= bound) {
                return Double.POSITIVE_INFINITY;
            }
            double previous = l;
            l = alpha * (y[t] - s[t - m]) + (1 - alpha) * (l + b);
            b = beta * (l - previous) + (1 - beta) * b;
            s[t] = gamma * (y[t] - l) + (1 - gamma) * s[t - m];
        }
        if (levelTrend != null) {
            levelTrend[0] = l;
            levelTrend[1] = b;
        }
        return sse;
    }

    /** Holt's linear method with given weights; level starts at y0, trend at y1 - y0. */
    public static Forecast holt(double[] y, double alpha, double beta) {
        double[] levelTrend = new double[2];
        double sse = holtSse(y, alpha, beta, Double.NaN, levelTrend); // NaN: no bound
        return new Forecast("holt", alpha, beta, 0, 0, levelTrend[0], levelTrend[1], new double[0], Math.sqrt(sse / (y.length - 1)), sse);
    }

    /**
     * Additive Holt-Winters with period m: level starts at the first cycle's mean, trend at the
     * difference of the first two cycles' means over m, seasonal terms at the first cycle's deviations.
     */
    public static Forecast holtWinters(double[] y, int m, double alpha, double beta, double gamma) {
        double[] s = new double[y.length];
        double[] levelTrend = new double[2];
        double sse = holtWintersSse(y, m, alpha, beta, gamma, Double.NaN, s, levelTrend); // NaN: no bound
        double[] last = new double[m];
        System.arraycopy(s, y.length - m, last, 0, m);
        return new Forecast("holt-winters", alpha, beta, gamma, m, levelTrend[0], levelTrend[1], last, Math.sqrt(sse / (y.length - m)), sse);
    }

    /** Point forecast h steps after the last value (h >= 1). */
    public double point(int h) {
        double seasonal = period > 0 ? lastSeason[(h - 1) % period] : 0;
        return level + h * trend + seasonal;
    }

    /** Half-width of the prediction interval h steps ahead for the given z. */
    public double halfWidth(int h, double z) {
        double sum = 1;
        for (int j = 1; j < h; j++) {
            double c = errorWeight(j);
            sum += c * c;
        }
        return z * sigma * Math.sqrt(sum);
    }

    /** c_j: the weight of the one-step error j steps back in the h-step forecast error (Hyndman et al. 2008, table 6.1). */
    private double errorWeight(int j) {
        return alpha * (1 + j * beta) + (period > 0 && j % period == 0 ? gamma : 0);
    }

    /**
     * When the forecast first reaches {@code threshold} within {@code horizonSteps}: by the point
     * forecast, by the pessimistic bound of the 95% interval (earliest) and by the optimistic bound
     * (latest). The direction is towards the threshold from the current level. Steps are -1 where the
     * crossing is not within the horizon.
     */
    public Breach timeToThreshold(double threshold, int horizonSteps) {
        boolean upward = threshold >= level;
        int pointStep = -1;
        int earliest = -1;
        int latest = -1;
        // halfWidth(h) sums h - 1 terms; the sum is carried from one step to the next (the same additions in
        // the same order, so the same bits) instead of restarted: O(horizon), not O(horizon^2).
        double sum = 1;
        for (int h = 1; h <= horizonSteps && latest < 0; h++) {
            if (h > 1) {
                double c = errorWeight(h - 1);
                sum += c * c;
            }
            double p = point(h);
            double w = Z95 * sigma * Math.sqrt(sum);
            double pessimistic = upward ? p + w : p - w;
            double optimistic = upward ? p - w : p + w;
            if (earliest < 0 && reaches(pessimistic, threshold, upward)) {
                earliest = h;
            }
            if (pointStep < 0 && reaches(p, threshold, upward)) {
                pointStep = h;
            }
            if (reaches(optimistic, threshold, upward)) {
                latest = h;
            }
        }
        return new Breach(pointStep, earliest, latest);
    }

    private static boolean reaches(double value, double threshold, boolean upward) {
        return upward ? value >= threshold : value <= threshold;
    }

    /** Steps (1-based) to a threshold crossing; -1 when not within the horizon. */
    public record Breach(int pointSteps, int earliestSteps, int latestSteps) {}

    public String method() {
        return method;
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    public double gamma() {
        return gamma;
    }

    public int period() {
        return period;
    }

    public double sigma() {
        return sigma;
    }

    public double sse() {
        return sse;
    }

    public double level() {
        return level;
    }

    public double trend() {
        return trend;
    }
}
