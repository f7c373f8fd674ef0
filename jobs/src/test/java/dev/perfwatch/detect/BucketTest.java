package dev.perfwatch.detect;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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
        assertEquals(5, b.capacity, "an evaluated bucket's reservoir is closed");
        b.add(30_000L, 200, 9); // a value should one come: the moments only
        assertEquals(6, b.count);
        assertEquals(5, b.size);
        assertArrayEquals(before, b.values);
        assertEquals((100 + 101 + 102 + 103 + 104 + 200) / 6.0, b.mean, 1e-12);
        assertEquals(200.0, b.max);
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

    @Test
    void theSerializerWritesEvaluatedBucketsWithoutTheirMomentsAndReadsBackTheSameBits() throws Exception {
        TypeSerializer<Bucket> serializer = TypeInformation.of(Bucket.class).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl());
        assertTrue(serializer instanceof Bucket.Serializer, "state descriptors naming Bucket.class get its own serializer: " + serializer);
        Random random = new Random(11);
        long start = 1_764_547_200_000L; // 2025-12-01T00:00:00Z, a whole minute
        // An open bucket at 1-minute sampling, the same bucket evaluated, a sampled one (count > size),
        // a start that is not a whole minute, an empty one, a late value after the evaluation.
        Bucket open = new Bucket(start, 25);
        for (int i = 0; i < 5; i++) {
            open.add(start + i * 60_000L, 100 * Math.exp(0.3 * random.nextGaussian()), 9);
        }
        Bucket evaluated = serializer.copy(open);
        evaluated.trim();
        Bucket sampled = new Bucket(start + 7, 4);
        for (int i = 0; i < 40; i++) {
            sampled.add(start + i * 1000L, random.nextGaussian(), 9);
        }
        Bucket sampledEvaluated = serializer.copy(sampled);
        sampledEvaluated.trim();
        Bucket late = serializer.copy(evaluated);
        late.add(start + 30_000L, 250.5, 9);
        Bucket empty = new Bucket(start, 25);
        empty.trim();
        for (Bucket b : List.of(open, evaluated, sampled, sampledEvaluated, late, empty)) {
            byte[] bytes = write(serializer, b);
            Bucket back = serializer.deserialize(new DataInputDeserializer(bytes));
            assertSame(b, back);
            assertArrayEquals(bytes, write(serializer, back), "written again, the same bytes");
            if (b.hashes != null) { // an open bucket read back keeps taking values the same way
                Bucket more = serializer.copy(b);
                for (int i = 0; i < 30; i++) {
                    double v = random.nextGaussian();
                    more.add(start + 5_000L * i + 1, v, 9);
                    back.add(start + 5_000L * i + 1, v, 9);
                }
                assertSame(more, back);
            }
        }
        // Evaluated, the moments are the values' own (the same exact sums as the open bucket's: the same bits) and are not written.
        assertEquals(Double.doubleToLongBits(open.mean()), Double.doubleToLongBits(evaluated.mean));
        assertEquals(Double.doubleToLongBits(open.m2()), Double.doubleToLongBits(evaluated.m2));
        assertEquals(open.min, evaluated.min);
        assertEquals(open.max, evaluated.max);
        assertEquals(1 + 4 + 5 * 8, write(serializer, evaluated).length, "flags and size, start in minutes, five values");
        assertEquals(1 + 8 + 1 + 4 * 8 + 4 * 8, write(serializer, sampledEvaluated).length, "a sampled bucket keeps its moments");
        Bucket many = new Bucket(start, 200); // a size beyond the flag byte's 30
        for (int i = 0; i < 100; i++) {
            many.add(start + i * 100L, random.nextGaussian(), 9);
        }
        Bucket manyBack = serializer.deserialize(new DataInputDeserializer(write(serializer, many)));
        assertSame(many, manyBack);
        many.trim();
        assertSame(many, serializer.deserialize(new DataInputDeserializer(write(serializer, many))));
    }

    private static byte[] write(TypeSerializer<Bucket> serializer, Bucket b) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(b, out);
        return out.getCopyOfBuffer();
    }

    private static void assertSame(Bucket expected, Bucket actual) {
        assertEquals(expected.start, actual.start);
        assertEquals(expected.count, actual.count);
        assertEquals(Double.doubleToLongBits(expected.mean()), Double.doubleToLongBits(actual.mean()), "mean");
        assertEquals(Double.doubleToLongBits(expected.m2()), Double.doubleToLongBits(actual.m2()), "m2");
        assertEquals(expected.min, actual.min);
        assertEquals(expected.max, actual.max);
        assertEquals(expected.size, actual.size);
        assertEquals(expected.capacity, actual.capacity);
        assertArrayEquals(Arrays.copyOf(expected.values, expected.size), Arrays.copyOf(actual.values, actual.size));
        assertEquals(expected.hashes == null, actual.hashes == null);
        if (expected.hashes != null) {
            assertArrayEquals(Arrays.copyOf(expected.hashes, expected.size), Arrays.copyOf(actual.hashes, actual.size));
        }
        assertEquals(Double.doubleToLongBits(expected.trimmedMean()), Double.doubleToLongBits(actual.trimmedMean()), "level");
    }
}
