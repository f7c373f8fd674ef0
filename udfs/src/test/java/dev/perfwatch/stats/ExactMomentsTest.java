package dev.perfwatch.stats;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactMomentsTest {

    /** The exact sum of doubles (BigDecimal holds every double exactly), rounded once to the nearest double. */
    private static double exactSum(double[] values) {
        BigDecimal s = BigDecimal.ZERO;
        for (double v : values) {
            s = s.add(new BigDecimal(v));
        }
        return Double.parseDouble(s.toString());
    }

    private static double[] sample(SplittableRandom rnd, int n, int shape) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            switch (shape) {
                case 0 -> v[i] = 1e6 + 50 * rnd.nextGaussian(); // large offset
                case 1 -> v[i] = Math.exp(4 * rnd.nextGaussian()) * (rnd.nextBoolean() ? 1 : -1); // magnitudes 1e-7..1e7, both signs
                case 2 -> v[i] = Math.round(rnd.nextDouble() * 100) / 10.0; // quantized, many repeats
                default -> v[i] = rnd.nextDouble() < 0.5 ? 1e16 : 1.0; // cancellation a naive sum gets wrong
            }
        }
        return v;
    }

    @Test
    void sumIsTheExactSumRoundedOnce() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int shape = 0; shape < 4; shape++) {
            for (int n : new int[] {1, 2, 7, 100, 5_000}) {
                double[] v = sample(rnd, n, shape);
                ExactSum s = new ExactSum();
                for (double x : v) {
                    s.add(x);
                }
                assertEquals(exactSum(v), s.round(), 0.0, "shape " + shape + ", n " + n);
            }
        }
        ExactSum tie = new ExactSum(); // 1 + 2^-53 + 2^-106: above the halfway point, rounds up
        tie.add(1.0);
        tie.add(Math.scalb(1.0, -53));
        tie.add(Math.scalb(1.0, -106));
        assertEquals(Math.nextUp(1.0), tie.round(), 0.0);
    }

    /** Python's math.fsum step (a zero added changes nothing): the two numbers ordered by magnitude, then the shorter two-sum. */
    private static int fsumStep(double[] p, int size, double x) {
        if (x == 0.0) {
            return size;
        }
        int i = 0;
        for (int j = 0; j < size; j++) {
            double y = p[j];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) {
                p[i++] = lo;
            }
            x = hi;
        }
        if (x != 0.0) {
            p[i++] = x;
        }
        return i;
    }

    @Test
    void thePartialsAreFsumsToTheBit() {
        // The partials are state (checkpoints, merges): the branch-free two-sum must keep exactly fsum's.
        SplittableRandom rnd = new SplittableRandom(11);
        for (int shape = 0; shape < 4; shape++) {
            double[] v = sample(rnd, 5_000, shape);
            ExactSum s = new ExactSum();
            double[] p = new double[64];
            int size = 0;
            for (double x : v) {
                s.add(x);
                size = fsumStep(p, size, x);
                assertEquals(size, s.size(), "shape " + shape);
                for (int k = 0; k < size; k++) {
                    assertEquals(Double.doubleToRawLongBits(p[k]), Double.doubleToRawLongBits(s.partials()[k]), "shape " + shape);
                }
            }
        }
    }

    @Test
    void meanAndM2AreTheExactOnesWithinAnUlp() {
        SplittableRandom rnd = new SplittableRandom(11);
        MathContext mc = new MathContext(120);
        for (int shape = 0; shape < 4; shape++) {
            double[] v = sample(rnd, 2_000, shape);
            ExactMoments m = new ExactMoments();
            BigDecimal sum = BigDecimal.ZERO;
            for (double x : v) {
                m.add(x);
                sum = sum.add(new BigDecimal(x));
            }
            BigDecimal mean = sum.divide(BigDecimal.valueOf(v.length), mc);
            BigDecimal m2 = BigDecimal.ZERO;
            for (double x : v) {
                BigDecimal d = new BigDecimal(x).subtract(mean);
                m2 = m2.add(d.multiply(d));
            }
            double expectedMean = mean.doubleValue();
            double expectedM2 = m2.doubleValue();
            assertEquals(expectedMean, m.mean(), Math.ulp(expectedMean), "mean, shape " + shape);
            assertEquals(expectedM2, m.m2(), 2 * Math.ulp(expectedM2), "m2, shape " + shape);
        }
    }

    @Test
    void anyOrderAndAnyMergesGiveTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int shape = 0; shape < 4; shape++) {
            double[] v = sample(rnd, 997, shape);
            ExactMoments whole = new ExactMoments();
            for (double x : v) {
                whole.add(x);
            }
            for (int trial = 0; trial < 20; trial++) {
                // Shuffle, deal into 1-5 parts, merge the parts in a random order.
                double[] w = v.clone();
                for (int i = w.length - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    double t = w[i];
                    w[i] = w[j];
                    w[j] = t;
                }
                int parts = 1 + rnd.nextInt(5);
                List<ExactMoments> ps = new ArrayList<>();
                for (int p = 0; p < parts; p++) {
                    ps.add(new ExactMoments());
                }
                for (double x : w) {
                    ps.get(rnd.nextInt(parts)).add(x);
                }
                ExactMoments merged = new ExactMoments();
                while (!ps.isEmpty()) {
                    merged.merge(ps.remove(rnd.nextInt(ps.size())).copy());
                }
                assertEquals(whole.count(), merged.count());
                assertEquals(Double.doubleToLongBits(whole.mean()), Double.doubleToLongBits(merged.mean()), "mean, shape " + shape);
                assertEquals(Double.doubleToLongBits(whole.m2()), Double.doubleToLongBits(merged.m2()), "m2, shape " + shape);
                assertEquals(whole.min(), merged.min());
                assertEquals(whole.max(), merged.max());
            }
        }
    }

    @Test
    void welfordDependsOnOrderWhereExactSumsDoNot() {
        // Why the exact sums: the same values in two orders give Welford moments that differ in the last digits.
        SplittableRandom rnd = new SplittableRandom(1);
        double[] v = sample(rnd, 1_000, 1);
        Moments forward = new Moments();
        Moments backward = new Moments();
        for (int i = 0; i < v.length; i++) {
            forward.add(v[i]);
            backward.add(v[v.length - 1 - i]);
        }
        assertTrue(forward.mean() != backward.mean() || forward.m2() != backward.m2());
    }

    @Test
    void momentsKnownAsDoublesReadBackAsThemselves() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int i = 0; i < 1_000; i++) {
            long n = 1 + rnd.nextInt(100_000);
            double mean = (rnd.nextDouble() - 0.3) * Math.pow(10, rnd.nextInt(-3, 8));
            double m2 = rnd.nextDouble() * Math.pow(10, rnd.nextInt(-3, 12));
            ExactMoments m = ExactMoments.fromMoments(n, mean, m2, mean - 1, mean + 1);
            assertEquals(mean, m.mean(), Math.ulp(mean));
            assertEquals(m2, m.m2(), 2 * Math.ulp(m2));
        }
    }

    @Test
    void edgeCasesAreDefined() {
        ExactMoments empty = new ExactMoments();
        assertTrue(Double.isNaN(empty.mean()));
        assertTrue(Double.isNaN(empty.min()));
        ExactMoments same = new ExactMoments();
        for (int i = 0; i < 10; i++) {
            same.add(0.1);
        }
        assertEquals(0.1, same.mean(), 0.0);
        assertEquals(0.0, same.m2(), 0.0);
        ExactMoments huge = new ExactMoments();
        huge.add(1e200);
        huge.add(-1e200);
        assertEquals(0.0, huge.mean(), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, huge.m2()); // squares beyond the double range
        ExactMoments big = new ExactMoments();
        big.add(Double.MAX_VALUE);
        big.add(Double.MAX_VALUE);
        assertEquals(Double.POSITIVE_INFINITY, big.mean());
        big.add(1.0); // a finite value after the overflow: still beyond the range, not NaN
        big.add(Double.MAX_VALUE);
        assertEquals(Double.POSITIVE_INFINITY, big.mean());
    }
}
