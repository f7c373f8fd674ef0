package dev.perfwatch.detect;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The builder makes the bucket that adding the same values one by one makes, to the bit. */
class BucketBuilderTest {

    private static void assertSameBucket(Bucket expected, Bucket actual, String what) {
        assertEquals(expected.start, actual.start, what);
        assertEquals(expected.count, actual.count, what + " count");
        assertEquals(expected.mean(), actual.mean(), 0.0, what + " mean");
        assertEquals(expected.m2(), actual.m2(), 0.0, what + " m2");
        assertEquals(expected.min, actual.min, 0.0, what + " min");
        assertEquals(expected.max, actual.max, 0.0, what + " max");
        assertEquals(expected.size, actual.size, what + " size");
        assertEquals(expected.capacity, actual.capacity, what + " capacity");
        assertArrayEquals(java.util.Arrays.copyOf(expected.hashes, expected.size), java.util.Arrays.copyOf(actual.hashes, actual.size), what + " hashes");
        assertArrayEquals(java.util.Arrays.copyOf(expected.values, expected.size), java.util.Arrays.copyOf(actual.values, actual.size), what + " values");
    }

    @Test
    void sameBucketAsAddingOneByOneBelowAtAndFarBeyondTheCapacity() {
        SplittableRandom rnd = new SplittableRandom(21);
        for (int capacity : new int[] {1, 2, 5, 17, 166}) {
            for (int values : new int[] {0, 1, 3, capacity, capacity + 1, 2 * capacity + 1, 10 * capacity + 7, 1000}) {
                Bucket one = new Bucket(300_000, capacity);
                BucketBuilder built = new BucketBuilder(300_000, capacity);
                for (int i = 0; i < values; i++) {
                    long t = 300_000 + rnd.nextLong(300_000);
                    // Some repeated samples (equal hashes) and a heavy tail.
                    double v = rnd.nextInt(10) == 0 ? 42.0 : Math.exp(rnd.nextGaussian());
                    if (rnd.nextInt(10) == 0) {
                        t = 300_000;
                    }
                    one.add(t, v, 7);
                    built.add(t, v, 7);
                    if (i == values / 2) {
                        assertSameBucket(one, built.build(), "midway, capacity " + capacity + ", " + values + " values");
                    }
                }
                assertSameBucket(one, built.build(), "capacity " + capacity + ", " + values + " values");
            }
        }
    }

    @Test
    void theMergeSortKeepsEqualHashesInArrivalOrder() {
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 500;
        long[] h = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            h[i] = rnd.nextInt(40) - 20L; // negative ones are the largest unsigned
            v[i] = i;
        }
        long[] expectedHashes = h.clone();
        Long[] boxed = java.util.stream.LongStream.range(0, n).boxed().toArray(Long[]::new);
        java.util.Arrays.sort(boxed, (a, b) -> Long.compareUnsigned(expectedHashes[a.intValue()], expectedHashes[b.intValue()])); // stable
        BucketBuilder.sortByHash(h, v, n);
        for (int i = 0; i < n; i++) {
            assertEquals(boxed[i].doubleValue(), v[i], "position " + i);
            assertEquals(expectedHashes[boxed[i].intValue()], h[i]);
        }
    }
}
