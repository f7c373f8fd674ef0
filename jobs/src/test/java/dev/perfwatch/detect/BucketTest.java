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
}
