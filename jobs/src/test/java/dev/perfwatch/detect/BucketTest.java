package dev.perfwatch.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketTest {

    @Test
    void reservoirIsTheBottomKByHashWhateverTheOrderAndGrowsOnlyAsNeeded() {
        List<long[]> samples = new ArrayList<>(); // {timestamp, value bits}
        Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            samples.add(new long[] {i * 1000L, Double.doubleToLongBits(random.nextGaussian())});
        }
        Bucket few = new Bucket(0, 167);
        for (int i = 0; i < 20; i++) {
            few.add(samples.get(i)[0], Double.longBitsToDouble(samples.get(i)[1]), 9);
        }
        assertEquals(20, few.size);
        assertTrue(few.values.length < 167, "20 values do not take the full capacity: " + few.values.length);

        Bucket inOrder = new Bucket(0, 167);
        samples.forEach(s -> inOrder.add(s[0], Double.longBitsToDouble(s[1]), 9));
        Collections.shuffle(samples, new Random(6));
        Bucket shuffled = new Bucket(0, 167);
        samples.forEach(s -> shuffled.add(s[0], Double.longBitsToDouble(s[1]), 9));
        assertEquals(167, inOrder.size);
        assertEquals(167, inOrder.values.length);
        assertArrayEquals(Arrays.copyOf(inOrder.hashes, inOrder.size), Arrays.copyOf(shuffled.hashes, shuffled.size));
        assertArrayEquals(Arrays.copyOf(inOrder.values, inOrder.size), Arrays.copyOf(shuffled.values, shuffled.size));
        // The kept hashes are the 167 smallest (unsigned) of all 500.
        long[] all = samples.stream().mapToLong(s -> Bucket.mix(9 ^ (s[0] * 0x9E3779B97F4A7C15L) ^ s[1])).toArray();
        Long[] boxed = Arrays.stream(all).boxed().sorted(Long::compareUnsigned).toArray(Long[]::new);
        for (int i = 0; i < 167; i++) {
            assertEquals(boxed[i].longValue(), inOrder.hashes[i]);
        }
        assertEquals(500, inOrder.count);
    }

    @Test
    void anEvaluatedBucketKeepsItsValuesInOrderWithoutHashes() {
        Bucket b = new Bucket(0, 25);
        for (int i = 0; i < 5; i++) {
            b.add(i * 60_000L, 100 + i, 9);
        }
        double[] before = Arrays.copyOf(b.values, b.size);
        b.trim();
        assertEquals(null, b.hashes, "an evaluated bucket keeps no hashes");
        assertArrayEquals(before, b.values, "the values keep their order (by hash): prefixes stay bottom-k samples");
        b.add(30_000L, 200, 9); // a value should one come: the moments and, with room, the reservoir's end
        assertEquals(6, b.count);
        assertEquals(6, b.size);
        assertEquals(200.0, b.values[5]);
        assertEquals((100 + 101 + 102 + 103 + 104 + 200) / 6.0, b.mean, 1e-12);
        Bucket full = new Bucket(0, 3);
        for (int i = 0; i < 10; i++) {
            full.add(i * 1000L, i, 9);
        }
        full.trim();
        double[] kept = full.values.clone();
        full.add(500L, 99, 9);
        assertArrayEquals(kept, full.values, "a full reservoir takes no more values");
        assertEquals(11, full.count);
    }
}
