package dev.perfwatch.analyze;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A window's quantiles: exact up to EXACT_UP_TO values (whole or merged from parts), the sketch's beyond. */
class SummaryAccumulatorTest {

    private static final double[] QS = {0.0, 0.5, 0.95, 0.99, 1.0};

    private static double[] exact(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double[] out = new double[QS.length];
        for (int i = 0; i < QS.length; i++) {
            out[i] = sorted[(int) Math.floor(QS[i] * (sorted.length - 1))];
        }
        return out;
    }

    private static double[] values(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 8e9 + 1e6 * rnd.nextGaussian(); // memory in bytes: a large offset, a small spread
        }
        return v;
    }

    private static SummaryAccumulator of(double[] v, int from, int to) {
        SummaryAccumulator acc = new SummaryAccumulator(0.005);
        for (int i = from; i < to; i++) {
            acc.add("host", "memory_usage", v[i]);
        }
        return acc;
    }

    private static SummaryAccumulator roundTrip(SummaryAccumulator acc) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SummaryAccumulator.Serializer.INSTANCE.serialize(acc, out);
        return SummaryAccumulator.Serializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void upToTheLimitQuantilesAreExactWholeMergedAndReadBack() throws Exception {
        for (int n : new int[] {1, 2, 6, 60, SummaryAccumulator.EXACT_UP_TO}) {
            double[] v = values(n, n);
            assertArrayEquals(exact(v), of(v, 0, n).quantiles(QS), "n " + n);
            SummaryAccumulator left = of(v, 0, n / 3);
            left.merge(of(v, n / 3, n));
            assertArrayEquals(exact(v), left.quantiles(QS), "n " + n + " in two parts");
            assertArrayEquals(exact(v), roundTrip(left).quantiles(QS), "n " + n + " read back");
            // More values can still come to a window read back: it keeps them.
            SummaryAccumulator back = roundTrip(of(v, 0, n / 2));
            for (int i = n / 2; i < n; i++) {
                back.add(v[i]);
            }
            assertArrayEquals(exact(v), back.quantiles(QS), "n " + n + " read back half way");
        }
    }

    @Test
    void beyondTheLimitTheSketchAnswersWithinItsAccuracy() throws Exception {
        int n = SummaryAccumulator.EXACT_UP_TO + 1;
        double[] v = values(n, 3);
        double[] expected = exact(v);
        for (SummaryAccumulator acc : new SummaryAccumulator[] {of(v, 0, n), merged(v, 64), roundTrip(of(v, 0, n))}) {
            double[] q = acc.quantiles(QS);
            for (int i = 0; i < QS.length; i++) {
                assertTrue(Math.abs(q[i] - expected[i]) <= 0.005 * Math.abs(expected[i]) + 1e-9, QS[i] + ": " + q[i] + " vs " + expected[i]);
            }
            assertTrue(Arrays.equals(expected, q) == false, "the sketch, not the values: 0.5% of 8e9 is 40 times the spread");
        }
    }

    private static SummaryAccumulator merged(double[] v, int split) {
        SummaryAccumulator a = of(v, 0, split);
        a.merge(of(v, split, v.length));
        return a;
    }

    @Test
    void aWindowOfNoValuesHasNone() {
        SummaryAccumulator empty = new SummaryAccumulator(0.005);
        assertTrue(Double.isNaN(empty.quantiles(0.5)[0]));
        assertEquals(0, empty.moments().count());
    }
}
