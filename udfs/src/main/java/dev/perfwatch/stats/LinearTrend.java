package dev.perfwatch.stats;

/**
 * Least-squares line through (x, y) points, accumulated one point at a time with centered co-moments
 * (numerically stable; mergeable), as {@code scipy.stats.linregress}: slope, intercept, R^2 and the
 * two-sided p-value of the slope (t-test with n - 2 degrees of freedom).
 */
public final class LinearTrend {

    private long n;
    private double meanX;
    private double meanY;
    private double cxx;
    private double cxy;
    private double cyy;

    public LinearTrend() {}

    /** Restores a trend from its moments (see the accessors), e.g. from an accumulator. */
    public LinearTrend(long n, double meanX, double meanY, double cxx, double cxy, double cyy) {
        this.n = n;
        this.meanX = meanX;
        this.meanY = meanY;
        this.cxx = cxx;
        this.cxy = cxy;
        this.cyy = cyy;
    }

    public double meanX() {
        return meanX;
    }

    public double meanY() {
        return meanY;
    }

    public double cxx() {
        return cxx;
    }

    public double cxy() {
        return cxy;
    }

    public double cyy() {
        return cyy;
    }

    public record Fit(long n, double slope, double intercept, double r2, double pValue, double slopeStdErr) {}

    public void add(double x, double y) {
        n++;
        double dx = x - meanX;
        meanX += dx / n;
        double dy = y - meanY;
        meanY += dy / n;
        cxx += dx * (x - meanX);
        cxy += dx * (y - meanY);
        cyy += dy * (y - meanY);
    }

    public void merge(LinearTrend o) {
        if (o.n == 0) {
            return;
        }
        if (n == 0) {
            n = o.n; meanX = o.meanX; meanY = o.meanY; cxx = o.cxx; cxy = o.cxy; cyy = o.cyy;
            return;
        }
        long total = n + o.n;
        double dx = o.meanX - meanX;
        double dy = o.meanY - meanY;
        double f = (double) n * o.n / total;
        cxx += o.cxx + dx * dx * f;
        cxy += o.cxy + dx * dy * f;
        cyy += o.cyy + dy * dy * f;
        meanX += dx * o.n / total;
        meanY += dy * o.n / total;
        n = total;
    }

    public long count() {
        return n;
    }

    /**
     * The fit; NaN fields where undefined: slope and intercept need two distinct x values, R^2 and p
     * need three points and some variation in y (a perfect line gives p = 0 and R^2 = 1).
     */
    public Fit fit() {
        if (n < 2 || !(cxx > 0)) {
            return new Fit(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double slope = slope();
        double intercept = meanY - slope * meanX;
        if (!(cyy > 0)) {
            return new Fit(n, slope, intercept, Double.NaN, Double.NaN, Double.NaN);
        }
        double r = r();
        double r2 = r * r;
        if (n < 3) {
            return new Fit(n, slope, intercept, r2, Double.NaN, Double.NaN);
        }
        long df = n - 2;
        double stdErr = Math.sqrt((1 - r2) * cyy / cxx / df);
        double p;
        if (r2 >= 1) {
            p = 0.0;
        } else {
            double t = r * Math.sqrt(df / ((1 - r) * (1 + r)));
            p = WelchTest.twoSidedP(t, df);
        }
        return new Fit(n, slope, intercept, r2, p, stdErr);
    }

    /**
     * The standard error of the fitted line's value at {@code x}, given this trend's {@code fit}: the residual
     * variance over n, plus x's distance from the mean x times the slope's standard error, squared (NaN where the
     * fit has no slope standard error).
     */
    public double fittedStdErr(Fit fit, double x) {
        double se = fit.slopeStdErr();
        double dx = x - meanX;
        return Math.sqrt(se * se * cxx / n + dx * dx * se * se);
    }

    /**
     * The moments of the first {@code n} points (none NaN) in two passes: the means, then the centered sums of
     * products, corrected for the means' rounding. The same quantities as {@link #add} one point at a time, without its two divisions a point, each
     * waiting on the last (a few times faster over hundreds of points; equal to the last digits or so).
     */
    public static LinearTrend twoPass(double[] x, double[] y, int n) {
        if (n == 0) {
            return new LinearTrend();
        }
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < n; i++) {
            sx += x[i];
            sy += y[i];
        }
        double mx = sx / n;
        double my = sy / n;
        double cxx = 0;
        double cxy = 0;
        double cyy = 0;
        double ex = 0;
        double ey = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            ex += dx;
            ey += dy;
            cxx += dx * dx;
            cxy += dx * dy;
            cyy += dy * dy;
        }
        // The corrected two-pass algorithm (Chan, Golub and LeVeque): the rounding error of the means, whose
        // deviations should sum to zero, taken out of the sums of products.
        return new LinearTrend(n, mx + ex / n, my + ey / n, cxx - ex * ex / n, cxy - ex * ey / n, cyy - ey * ey / n);
    }

    /** The least-squares slope; NaN without two distinct x values (as {@link #fit}). */
    public double slope() {
        return n < 2 || !(cxx > 0) ? Double.NaN : cxy / cxx;
    }

    /** R^2 of the line; NaN where {@link #fit} gives NaN. */
    public double r2() {
        double r = r();
        return r * r;
    }

    /** The correlation (clamped to [-1, 1]); NaN without two distinct x values or without variation in y. */
    private double r() {
        if (n < 2 || !(cxx > 0) || !(cyy > 0)) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, cxy / Math.sqrt(cxx * cyy)));
    }

    public static Fit of(double[] x, double[] y) {
        LinearTrend t = new LinearTrend();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                t.add(x[i], y[i]);
            }
        }
        return t.fit();
    }
}
