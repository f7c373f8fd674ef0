package dev.perfwatch.io;

import dev.perfwatch.analyze.SummaryAccumulator;
import dev.perfwatch.analyze.SummaryPartial;
import dev.perfwatch.detect.Bucket;
import dev.perfwatch.detect.BucketPartial;
import dev.perfwatch.stats.Moments;
import dev.perfwatch.stats.QuantileSketch;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State written before the moments were exact sums restores: a savepoint's snapshot of version 3 (what
 * Flink's SimpleTypeSerializerSnapshot wrote) asks for migration and its serializer reads the old bytes,
 * written here by hand in the old format.
 */
class VersionedSnapshotTest {

    private static final ClassLoader CL = VersionedSnapshotTest.class.getClassLoader();

    /** A snapshot as a savepoint holds it: class name, version, nothing else (as the old snapshots wrote). */
    private static <T> TypeSerializerSnapshot<T> restored(Class<?> snapshotClass, int version) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(snapshotClass.getName());
        out.writeInt(version);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()), CL);
    }

    private static <T> void assertMigrates(TypeSerializer<T> current, Class<?> snapshotClass) throws IOException {
        TypeSerializerSnapshot<T> old = restored(snapshotClass, VersionedSnapshot.FIRST);
        TypeSerializerSchemaCompatibility<T> c = current.snapshotConfiguration().resolveSchemaCompatibility(old);
        assertTrue(c.isCompatibleAfterMigration(), snapshotClass + ": " + c);
        TypeSerializerSnapshot<T> same = restored(snapshotClass, current.snapshotConfiguration().getCurrentVersion());
        assertTrue(current.snapshotConfiguration().resolveSchemaCompatibility(same).isCompatibleAsIs());
        assertEquals(current, same.restoreSerializer());
        IOException newer = assertThrows(IOException.class, () -> restored(snapshotClass, 99));
        assertTrue(newer.getMessage().contains("newer perfwatch"), newer.getMessage());
    }

    private static double[] values(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 200 + 30 * rnd.nextGaussian();
        }
        return v;
    }

    private static void writeLegacyAccumulator(DataOutputSerializer out, double[] v, SummaryAccumulator acc) throws IOException {
        Moments m = Moments.of(v);
        StringValue.writeString("api", out);
        StringValue.writeString("response_time", out);
        out.writeLong(m.count());
        out.writeDouble(m.mean());
        out.writeDouble(m.m2());
        out.writeDouble(m.min());
        out.writeDouble(m.max());
        QuantileSketch sketch = new QuantileSketch(acc.sketch().relativeAccuracy()); // the old format: every value in the sketch
        for (double x : v) {
            sketch.add(x);
        }
        out.writeDouble(sketch.relativeAccuracy());
        byte[] bins = sketch.toBytes();
        out.writeInt(bins.length);
        out.write(bins);
    }

    private static void assertAccumulator(double[] v, SummaryAccumulator expected, SummaryAccumulator back) {
        Moments m = Moments.of(v);
        assertEquals("api", back.component());
        assertEquals("response_time", back.metric());
        assertEquals(v.length, back.moments().count());
        assertEquals(m.mean(), back.moments().mean(), Math.ulp(m.mean()));
        assertEquals(m.m2(), back.moments().m2(), 1e-12 * m.m2());
        assertEquals(m.min(), back.moments().min());
        assertEquals(m.max(), back.moments().max());
        // Its quantiles are the old sketch's (the values were not kept): within its accuracy of the exact ones.
        double[] exact = expected.quantiles(0.5, 0.99);
        double[] got = back.quantiles(0.5, 0.99);
        for (int i = 0; i < exact.length; i++) {
            assertTrue(Math.abs(got[i] - exact[i]) <= 0.01 * Math.abs(exact[i]), got[i] + " vs " + exact[i]);
        }
    }

    @Test
    void summaryAccumulatorsAndPartsOfTheOldFormatRestore() throws IOException {
        assertMigrates(SummaryAccumulator.Serializer.INSTANCE, SummaryAccumulator.Snapshot.class);
        assertMigrates(SummaryPartial.Serializer.INSTANCE, SummaryPartial.Snapshot.class);
        double[] v = values(37, 1);
        SummaryAccumulator acc = new SummaryAccumulator(0.01);
        for (double x : v) {
            acc.add("api", "response_time", x);
        }
        DataOutputSerializer out = new DataOutputSerializer(256);
        writeLegacyAccumulator(out, v, acc);
        TypeSerializer<SummaryAccumulator> legacy = VersionedSnapshotTest.<SummaryAccumulator>restored(SummaryAccumulator.Snapshot.class, 3).restoreSerializer();
        SummaryAccumulator back = legacy.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertAccumulator(v, acc, back);
        // Written again in the current format, it reads back the same.
        DataOutputSerializer again = new DataOutputSerializer(256);
        SummaryAccumulator.Serializer.INSTANCE.serialize(back, again);
        SummaryAccumulator current = SummaryAccumulator.Serializer.INSTANCE.deserialize(new DataInputDeserializer(again.getCopyOfBuffer()));
        assertEquals(back.moments().mean(), current.moments().mean(), 0.0);
        assertEquals(back.moments().m2(), current.moments().m2(), 0.0);

        // A held part: the window, a negative count, then the accumulator.
        DataOutputSerializer part = new DataOutputSerializer(256);
        part.writeLong(42);
        part.writeLong(60_000);
        part.writeLong(120_000);
        part.writeLong(-v.length);
        writeLegacyAccumulator(part, v, acc);
        TypeSerializer<SummaryPartial> legacyParts = VersionedSnapshotTest.<SummaryPartial>restored(SummaryPartial.Snapshot.class, 3).restoreSerializer();
        SummaryPartial p = legacyParts.deserialize(new DataInputDeserializer(part.getCopyOfBuffer()));
        assertEquals(42, p.seriesId);
        assertEquals(60_000, p.windowStart);
        assertEquals(v.length, p.count);
        assertAccumulator(v, acc, p.acc);
    }

    private static void writeVarLong(DataOutputSerializer out, long x) throws IOException {
        while ((x & ~0x7FL) != 0) {
            out.writeByte((int) ((x & 0x7F) | 0x80));
            x >>>= 7;
        }
        out.writeByte((int) x);
    }

    /** An open bucket as the old format wrote it: flags and size, start in minutes, capacity, count and four doubles, values, hashes. */
    private static void writeLegacyOpenBucket(DataOutputSerializer out, Bucket b, double[] v) throws IOException {
        Moments m = Moments.of(v);
        out.writeByte(1 | 2 | 4 | b.size << 3);
        writeVarLong(out, b.start / 60_000);
        writeVarLong(out, b.capacity);
        writeVarLong(out, m.count());
        out.writeDouble(m.mean());
        out.writeDouble(m.m2());
        out.writeDouble(m.min());
        out.writeDouble(m.max());
        for (int i = 0; i < b.size; i++) {
            out.writeDouble(b.values[i]);
        }
        for (int i = 0; i < b.size; i++) {
            out.writeLong(b.hashes[i]);
        }
    }

    private static void assertBucket(double[] v, Bucket expected, Bucket back) {
        Moments m = Moments.of(v);
        assertEquals(expected.start, back.start);
        assertEquals(v.length, back.count);
        assertEquals(m.mean(), back.mean(), Math.ulp(m.mean()));
        assertEquals(m.m2(), back.m2(), 1e-12 * m.m2());
        assertEquals(m.min(), back.min);
        assertEquals(m.max(), back.max);
        assertEquals(expected.capacity, back.capacity);
        assertArrayEquals(Arrays.copyOf(expected.values, expected.size), Arrays.copyOf(back.values, back.size));
        assertArrayEquals(Arrays.copyOf(expected.hashes, expected.size), Arrays.copyOf(back.hashes, back.size));
    }

    @Test
    void openBucketsAndPartsOfTheOldFormatRestore() throws IOException {
        assertMigrates(Bucket.Serializer.INSTANCE, Bucket.Snapshot.class);
        assertMigrates(BucketPartial.Serializer.INSTANCE, BucketPartial.Snapshot.class);
        double[] v = values(12, 2);
        Bucket open = new Bucket(5 * 60_000L, 8);
        for (int i = 0; i < v.length; i++) {
            open.add(5 * 60_000L + i * 10_000L, v[i], 7);
        }
        DataOutputSerializer out = new DataOutputSerializer(256);
        writeLegacyOpenBucket(out, open, v);
        TypeSerializer<Bucket> legacy = VersionedSnapshotTest.<Bucket>restored(Bucket.Snapshot.class, 3).restoreSerializer();
        Bucket back = legacy.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertBucket(v, open, back);
        // It goes on taking values and parts as exact sums.
        back.merge(open);
        assertEquals(2L * v.length, back.count);

        DataOutputSerializer part = new DataOutputSerializer(256);
        part.writeLong(9);
        StringValue.writeString("db", part);
        StringValue.writeString("query_time", part);
        writeLegacyOpenBucket(part, open, v);
        TypeSerializer<BucketPartial> legacyParts = VersionedSnapshotTest.<BucketPartial>restored(BucketPartial.Snapshot.class, 3).restoreSerializer();
        BucketPartial p = legacyParts.deserialize(new DataInputDeserializer(part.getCopyOfBuffer()));
        assertEquals(9, p.seriesId);
        assertEquals("query_time", p.metric);
        assertBucket(v, open, p.bucket);
    }
}
