package dev.perfwatch.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MomentsAndSketchTest {

    @Test
    void mergedMomentsEqualTwoPassStatistics() {
        SplittableRandom rnd = new SplittableRandom(9);
        double[] values = new double[10_001];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e6 + 50 * rnd.nextGaussian(); // large offset: naive sum of squares would lose digits
        }
        Moments left = new Moments();
        Moments right = new Moments();
        for (int i = 0; i < values.length; i++) {
            (i % 3 == 0 ? left : right).add(values[i]);
        }
        left.merge(right);
        double mean = Arrays.stream(values).sum() / values.length;
        double ss = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        assertEquals(values.length, left.count());
        assertEquals(mean, left.mean(), 1e-9 * mean);
        assertEquals(ss / (values.length - 1), left.sampleVariance(), 1e-8 * ss / values.length);
        assertEquals(Arrays.stream(values).min().getAsDouble(), left.min());
        assertEquals(Arrays.stream(values).max().getAsDouble(), left.max());
    }

    @Test
    void edgeCasesAreDefined() {
        Moments empty = new Moments();
        assertTrue(Double.isNaN(empty.mean()));
        assertTrue(Double.isNaN(empty.sampleVariance()));
        Moments one = new Moments();
        one.add(4);
        assertEquals(0.0, one.sampleStddevOrZero());
        assertTrue(Double.isNaN(one.sampleVariance()));
        one.merge(new Moments());
        assertEquals(1, one.count());
    }

    @Test
    void sketchQuantilesAreWithinTheirRelativeAccuracy() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (double accuracy : new double[] {0.001, 0.005, 0.02}) {
            QuantileSketch sketch = new QuantileSketch(accuracy);
            double[] values = new double[20_000];
            for (int i = 0; i < values.length; i++) {
                values[i] = rnd.nextDouble() < 0.2 ? -Math.exp(2 * rnd.nextGaussian()) : Math.exp(3 * rnd.nextGaussian());
                sketch.add(values[i]);
            }
            Arrays.sort(values);
            QuantileSketch roundTripped = QuantileSketch.fromBytes(accuracy, sketch.toBytes());
            for (double q = 0; q <= 1.0; q += 0.01) {
                double exact = values[(int) Math.floor(q * (values.length - 1))];
                double approx = roundTripped.quantile(q);
                assertTrue(Math.abs(approx - exact) <= accuracy * Math.abs(exact) + 1e-12,
                        "accuracy " + accuracy + " q " + q + ": exact " + exact + " sketch " + approx);
            }
            assertEquals(values.length, roundTripped.count());
        }
    }
}
