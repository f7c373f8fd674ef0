package dev.perfwatch.stats;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The grid searches drop a candidate once its running sum of squared errors reaches the best so far; they
 * must find exactly what a full pass over every candidate finds (the first of equal sums), to the bit.
 */
class ForecastGridTest {

    @Test
    void prunedHoltSearchFindsWhatTheFullGridFinds() {
        Random r = new Random(11);
        for (int trial = 0; trial < 60; trial++) {
            double[] y = series(r, 40 + r.nextInt(300), trial);
            Forecast full = fullHolt(y);
            Forecast pruned = Forecast.fitHolt(y);
            assertEquals(full.alpha(), pruned.alpha(), "alpha, trial " + trial);
            assertEquals(full.beta(), pruned.beta(), "beta, trial " + trial);
            assertEquals(full.sse(), pruned.sse(), "sse, trial " + trial);
            assertEquals(full.point(7), pruned.point(7), "forecast, trial " + trial);
        }
    }

    @Test
    void twoCandidatesInOnePassGiveEachOnesSumToTheBit() {
        Random r = new Random(13);
        double[] out = new double[2];
        for (int trial = 0; trial < 200; trial++) {
            double[] y = series(r, 4 + r.nextInt(300), trial);
            double a1 = 0.01 + 0.98 * r.nextDouble();
            double b1 = 0.01 + 0.98 * r.nextDouble();
            double a2 = 0.01 + 0.98 * r.nextDouble();
            double b2 = 0.01 + 0.98 * r.nextDouble();
            double full1 = Forecast.holtSse(y, a1, b1, Double.POSITIVE_INFINITY, null);
            double full2 = Forecast.holtSse(y, a2, b2, Double.POSITIVE_INFINITY, null);
            // A bound between the two, below both, above both: each pruned as it would be on its own.
            double bound = switch (trial % 3) {
                case 0 -> (full1 + full2) / 2;
                case 1 -> Math.min(full1, full2) / 2;
                default -> Double.POSITIVE_INFINITY;
            };
            Forecast.holtSse2(y, a1, b1, a2, b2, bound, out);
            assertEquals(Forecast.holtSse(y, a1, b1, bound, null), out[0], "first, trial " + trial);
            assertEquals(Forecast.holtSse(y, a2, b2, bound, null), out[1], "second, trial " + trial);
        }
    }

    @Test
    void prunedHoltWintersSearchFindsWhatTheFullGridFinds() {
        Random r = new Random(12);
        for (int trial = 0; trial < 20; trial++) {
            int period = 6 + r.nextInt(20);
            double[] y = series(r, 2 * period + 2 + r.nextInt(200), trial);
            Forecast full = null;
            for (int i = 1; i <= 9; i++) {
                for (int j = 1; j <= 9; j++) {
                    for (int k = 1; k <= 9; k++) {
                        Forecast c = Forecast.holtWinters(y, period, i * 0.1, j * 0.1, k * 0.1);
                        full = full == null || c.sse() < full.sse() ? c : full;
                    }
                }
            }
            Forecast pruned = Forecast.fitHoltWinters(y, period);
            assertEquals(full.alpha(), pruned.alpha(), "alpha, trial " + trial);
            assertEquals(full.beta(), pruned.beta(), "beta, trial " + trial);
            assertEquals(full.gamma(), pruned.gamma(), "gamma, trial " + trial);
            assertEquals(full.sse(), pruned.sse(), "sse, trial " + trial);
            assertEquals(full.point(3), pruned.point(3), "forecast, trial " + trial);
        }
    }

    /** Trend, a daily-like cycle, noise, now and then a step; a constant series every few trials (equal sums everywhere). */
    private static double[] series(Random r, int n, int trial) {
        double[] y = new double[n];
        double slope = r.nextGaussian() * 0.05;
        double level = 100 + 20 * r.nextGaussian();
        for (int t = 0; t < n; t++) {
            y[t] = trial % 7 == 3 ? 5 : level + slope * t + 8 * Math.sin(2 * Math.PI * t / 24) + r.nextGaussian() * (1 + trial % 3)
                    + (trial % 4 == 1 && t > n / 2 ? 15 : 0);
        }
        return y;
    }

    /** The search as a full pass: every candidate's whole sum, the first least one kept. */
    private static Forecast fullHolt(double[] y) {
        Forecast best = null;
        for (int i = 1; i <= 19; i++) {
            for (int j = 1; j <= 19; j++) {
                Forecast c = Forecast.holt(y, i * 0.05, j * 0.05);
                best = best == null || c.sse() < best.sse() ? c : best;
            }
        }
        double a0 = best.alpha();
        double b0 = best.beta();
        for (int i = -9; i <= 9; i++) {
            for (int j = -9; j <= 9; j++) {
                double a = a0 + i * 0.005;
                double b = b0 + j * 0.005;
                if (a > 0.001 && a < 0.999 && b > 0.001 && b < 0.999) {
                    Forecast c = Forecast.holt(y, a, b);
                    best = c.sse() < best.sse() ? c : best;
                }
            }
        }
        return best;
    }
}
