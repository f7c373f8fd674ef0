package dev.perfwatch.stats;

/**
 * The least-squares fit of "one level, a straight ramp, another level" to a sequence: level a up to
 * index c, a straight line from there to level b at index c + len, level b after it (c + len may lie
 * past the end: a ramp still under way), over every c and len. len = 1 is a step. Prefix sums of x,
 * i*x and x^2 make each (c, len) fit O(1), so the search is O(n^2).
 *
 * <p>For fixed (c, len) the model is x_i = a + (b - a) g_i with g_i = 0 up to c, (i - c) / len on the
 * ramp and 1 after it: a simple regression of x on g, whose residual sum of squares is
 * Sxx - Sgx^2 / Sgg (centred sums).
 */
public final class LevelRampLevel {

    private LevelRampLevel() {}

    /**
     * The best fit: ramp start {@code start} (the last index at the first level), its length in
     * indexes, its residual sum of squares, and the residual sum of squares of the best step.
     */
    public record Fit(int start, int length, double sse, double stepSse) {}

    /** The best fit over every start and length; x needs at least two values. */
    public static Fit fit(double[] x) {
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("need at least two values, got " + n);
        }
        double[] px = new double[n + 1];
        double[] pix = new double[n + 1];
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            px[i + 1] = px[i] + x[i];
            pix[i + 1] = pix[i] + i * x[i];
            sxx += x[i] * x[i];
        }
        double sx = px[n];
        double vx = sxx - sx * sx / n;
        double best = Double.POSITIVE_INFINITY;
        double bestStep = Double.POSITIVE_INFINITY;
        int bestStart = 0;
        int bestLength = 1;
        for (int c = 0; c < n - 1; c++) {
            for (int len = 1; c + len <= 2 * n; len++) {
                int rampFrom = c + 1;
                int rampTo = Math.min(c + len, n); // exclusive
                int k = Math.max(0, rampTo - rampFrom);
                double sumD = 0;
                double sumD2 = 0;
                double sumDx = 0;
                if (k > 0) {
                    // d = i - c runs 1..k on the ramp
                    sumD = k * (k + 1) / 2.0;
                    sumD2 = k * (k + 1) * (2.0 * k + 1) / 6.0;
                    sumDx = (pix[rampTo] - pix[rampFrom]) - c * (px[rampTo] - px[rampFrom]);
                }
                int ones = Math.max(0, n - (c + len));
                double onesX = ones > 0 ? sx - px[c + len] : 0;
                double sg = sumD / len + ones;
                double sgg = sumD2 / ((double) len * len) + ones;
                double sgx = sumDx / len + onesX;
                double vg = sgg - sg * sg / n;
                double cov = sgx - sg * sx / n;
                double sse = vg <= 1e-12 ? vx : Math.max(0, vx - cov * cov / vg);
                if (sse < best) {
                    best = sse;
                    bestStart = c;
                    bestLength = len;
                }
                if (len == 1 && sse < bestStep) {
                    bestStep = sse;
                }
            }
        }
        return new Fit(bestStart, bestLength, best, bestStep);
    }
}
