package dev.perfwatch.detect;

import dev.perfwatch.io.ExactMomentsFormat;
import dev.perfwatch.io.RecordSerializer;
import dev.perfwatch.io.SerializerTypeInfo;
import dev.perfwatch.io.VersionedSnapshot;
import dev.perfwatch.stats.ExactMoments;
import dev.perfwatch.stats.Moments;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * One evaluation interval of one series: moments of every value, and a reservoir of raw values for
 * rank tests. The reservoir keeps the values with the smallest hashes (a bottom-k sample), so its
 * contents do not depend on the order values arrived in, and the first k' of it is itself a bottom-k'
 * sample: a bucket gives its full reservoir to the comparison window and a prefix to the baseline.
 * While open, its moments are exact sums ({@link ExactMoments}), so they do not depend on the order its
 * values and parts arrived in either; {@link #trim} fixes them as doubles.
 *
 * <p>Its own serializer ({@link Serializer}) writes an evaluated bucket that kept every value it saw (one
 * to thirty values a bucket at 1-minute to 10-second sampling) as its start, sizes and values only: its
 * moments are the values' moments, recomputed in the reservoir's order when the bucket is evaluated
 * ({@link #trim}) and again, the same way to the bit, when it is read back.
 */
@TypeInfo(Bucket.Factory.class)
public class Bucket {
    public long start;
    public long count;
    /** The mean and M2 (of an open bucket, as of the last {@link #settle}: read {@link #mean()} and {@link #m2()}). */
    public double mean;
    public double m2;
    public double min = Double.POSITIVE_INFINITY;
    public double max = Double.NEGATIVE_INFINITY;
    /** Reservoir values, ascending by {@link #hashes}; the arrays grow as values come, up to {@link #capacity}. */
    public double[] values;
    /** The values' hashes, ascending; null once the interval is evaluated ({@link #trim}). */
    public long[] hashes;
    public int size;
    /** The most values the reservoir keeps. */
    public int capacity;
    /** The exact sums of the values while the bucket is open (null once evaluated, {@link #trim}). */
    ExactMoments sums;
    /** The robust level ({@link #trimmedMean}) as of {@link #levelCount} values; not state, recomputed after a restore. */
    private transient double level;
    private transient long levelCount = -1;

    public Bucket() {}

    public Bucket(long start, int capacity) {
        this.start = start;
        this.capacity = capacity;
        int initial = Math.min(capacity, INITIAL_SLOTS);
        this.values = new double[initial];
        this.hashes = new long[initial];
        this.sums = new ExactMoments();
    }

    /** Brings {@link #mean} and {@link #m2} up to date with the exact sums of an open bucket. */
    void settle() {
        if (sums != null) {
            mean = sums.mean();
            m2 = sums.m2();
        }
    }

    public double mean() {
        settle();
        return mean;
    }

    public double m2() {
        settle();
        return m2;
    }

    /** Slots a new bucket starts with: most series send a few values an interval, not the capacity. */
    private static final int INITIAL_SLOTS = 8;

    /**
     * Once its interval is evaluated: drops the reservoir's unused slots (5 values a bucket at 1-minute
     * sampling keep 5 slots, not 8) and the hashes, and closes the reservoir. The values keep their order
     * by hash, so a prefix is still a bottom-k sample; the hashes only placed new values, and an evaluated
     * interval gets none in the job (the ingest gate turns away samples behind the watermark that closed
     * it). Should a value come all the same, it joins the moments only. A bucket that kept every value
     * takes its moments from them (the same exact sums), so that its state needs only the values.
     */
    public void trim() {
        if (values != null && values.length > size) {
            values = java.util.Arrays.copyOf(values, size);
        }
        settle();
        sums = null;
        hashes = null;
        capacity = size;
        if (count == size) {
            recomputeMoments();
        }
    }

    /**
     * The moments of the reservoir's values, from their exact sums (what the open bucket's sums gave):
     * a bucket that kept every value needs no moments of its own in state.
     */
    private void recomputeMoments() {
        ExactMoments m = new ExactMoments();
        for (int i = 0; i < size; i++) {
            m.add(values[i]);
        }
        count = m.count();
        mean = m.mean();
        m2 = m.m2();
        min = size == 0 ? Double.POSITIVE_INFINITY : m.min();
        max = size == 0 ? Double.NEGATIVE_INFINITY : m.max();
        levelCount = -1; // the level of fewer than 5 values is the mean: recomputed from these moments
    }

    /** The moments with one more value: into the exact sums while open, else by Welford's step. */
    void addToMoments(double value) {
        count++;
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (sums != null) {
            sums.add(value);
            return;
        }
        double d = value - mean;
        mean += d / count;
        m2 += d * (value - mean);
    }

    public void add(long timestamp, double value, long seriesHash) {
        addToMoments(value);
        if (hashes == null) { // evaluated (trimmed): the moments only, see trim()
            return;
        }
        long h = hash(timestamp, value, seriesHash);
        if (size == capacity && Long.compareUnsigned(h, hashes[size - 1]) >= 0) {
            return;
        }
        if (size == values.length && size < capacity) {
            int grown = Math.min(capacity, Math.max(1, 2 * values.length));
            values = java.util.Arrays.copyOf(values, grown);
            hashes = java.util.Arrays.copyOf(hashes, grown);
        }
        int i = size < capacity ? size : size - 1;
        while (i > 0 && Long.compareUnsigned(hashes[i - 1], h) > 0) {
            hashes[i] = hashes[i - 1];
            values[i] = values[i - 1];
            i--;
        }
        hashes[i] = h;
        values[i] = value;
        if (size < capacity) {
            size++;
        }
    }

    /**
     * Folds in another bucket of the same interval (a part of it filled elsewhere): the exact sums add up
     * (an evaluated part's moments join as {@link ExactMoments#fromMoments}), and the reservoirs merge into
     * the values with the smallest hashes of both, which is what adding every value here would have kept.
     * An evaluated bucket takes the moments only (Chan et al.), as {@link #add} does.
     */
    public void merge(Bucket other) {
        if (other.count == 0) {
            return;
        }
        if (sums != null) {
            if (other.sums != null) {
                sums.merge(other.sums);
            } else {
                sums.merge(ExactMoments.fromMoments(other.count, other.mean, other.m2, other.min, other.max));
            }
            count = sums.count();
            min = sums.min();
            max = sums.max();
        } else {
            Moments m = moments();
            m.merge(other.moments());
            count = m.count();
            mean = m.mean();
            m2 = m.m2();
            min = m.min();
            max = m.max();
        }
        levelCount = -1;
        if (hashes == null || other.hashes == null) {
            return;
        }
        int n = Math.min(capacity, size + other.size);
        double[] v = new double[Math.max(n, Math.min(capacity, INITIAL_SLOTS))];
        long[] h = new long[v.length];
        int i = 0;
        int j = 0;
        for (int k = 0; k < n; k++) {
            if (j >= other.size || (i < size && Long.compareUnsigned(hashes[i], other.hashes[j]) <= 0)) {
                h[k] = hashes[i];
                v[k] = values[i++];
            } else {
                h[k] = other.hashes[j];
                v[k] = other.values[j++];
            }
        }
        values = v;
        hashes = h;
        size = n;
    }

    /**
     * One bucket for several consecutive intervals' buckets (parts, sorted by start, all within one longer
     * interval starting at {@code start}): a series sampled less often than the evaluation interval is
     * evaluated over longer intervals ({@link RegressionDetector}). The moments merge exactly as far as
     * doubles do (Chan et al.); the reservoirs are put side by side (each part's values in its own order), so
     * every value of a part that kept all of its values is in it, which a sparse series' parts do (a few
     * values each, far below the reservoir's size). A view for one evaluation, never state: closed, without
     * hashes, as {@link #trim} leaves a bucket.
     */
    static Bucket union(long start, java.util.List<Bucket> parts) {
        Bucket u = new Bucket();
        u.start = start;
        Moments m = new Moments();
        int size = 0;
        for (Bucket b : parts) {
            if (b.count > 0) {
                m.merge(b.moments());
            }
            size += b.size;
        }
        u.count = m.count();
        u.mean = m.count() == 0 ? 0 : m.mean();
        u.m2 = m.count() == 0 ? 0 : m.m2();
        u.min = m.count() == 0 ? Double.POSITIVE_INFINITY : m.min();
        u.max = m.count() == 0 ? Double.NEGATIVE_INFINITY : m.max();
        u.values = new double[size];
        for (Bucket b : parts) {
            System.arraycopy(b.values, 0, u.values, u.size, b.size);
            u.size += b.size;
        }
        u.capacity = u.size;
        return u;
    }

    /** Share of the reservoir trimmed at either end for {@link #trimmedMean}. */
    static final double TRIM = 0.1;

    /**
     * The bucket's robust level: the mean of its reservoir without the lowest and highest {@link #TRIM}
     * share, at least one value each (the plain mean for fewer than 5 values), cached until the bucket
     * changes.
     */
    double trimmedMean() {
        if (levelCount == count) {
            return level;
        }
        if (size < 5) {
            level = mean();
        } else {
            double[] v = java.util.Arrays.copyOf(values, size);
            java.util.Arrays.sort(v);
            int cut = Math.max(1, (int) Math.floor(TRIM * v.length)); // at least the extremes: a 3x outlier in 5 values
            double sum = 0;
            for (int i = cut; i < v.length - cut; i++) {
                sum += v[i];
            }
            level = sum / (v.length - 2 * cut);
        }
        levelCount = count;
        return level;
    }

    Moments moments() {
        settle();
        return new Moments(count, mean, m2, min, max);
    }

    /** A value's place in the reservoir: the bottom-k sample keeps the values with the smallest of these. */
    static long hash(long timestamp, double value, long seriesHash) {
        return mix(seriesHash ^ (timestamp * 0x9E3779B97F4A7C15L) ^ Double.doubleToLongBits(value));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Serializer: a byte of flags and the size (up to 30; 31 means a variable-length size follows), the
     * start (in minutes when whole minutes, as every interval's start is), the moments unless they are the
     * values' own (an evaluated bucket that kept every value; an open bucket's are its exact sums,
     * {@link ExactMomentsFormat}), the values, and while the bucket is open its capacity and hashes. At 1-minute sampling an evaluated 5-minute bucket takes 45 bytes, 40 of them
     * its five values (Flink's POJO serializer took about 115).
     */
    public static class Serializer extends RecordSerializer<Bucket> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        private static final int HASHES = 1;
        private static final int MOMENTS = 2;
        private static final int START_MINUTES = 4;
        private static final long MINUTE = 60_000;
        private static final int SIZE_SHIFT = 3;
        private static final int SIZE_ESCAPE = 31;

        @Override
        public Bucket createInstance() {
            return new Bucket();
        }

        @Override
        public Bucket copy(Bucket from) {
            Bucket b = new Bucket();
            b.start = from.start;
            b.count = from.count;
            b.mean = from.mean;
            b.m2 = from.m2;
            b.min = from.min;
            b.max = from.max;
            b.values = from.values == null ? null : from.values.clone();
            b.hashes = from.hashes == null ? null : from.hashes.clone();
            b.size = from.size;
            b.capacity = from.capacity;
            b.sums = from.sums == null ? null : from.sums.copy();
            return b;
        }

        @Override
        public void serialize(Bucket b, DataOutputView out) throws IOException {
            boolean minutes = b.start >= 0 && b.start % MINUTE == 0;
            boolean hashes = b.hashes != null;
            boolean moments = hashes || b.count != b.size;
            out.writeByte((hashes ? HASHES : 0) | (moments ? MOMENTS : 0) | (minutes ? START_MINUTES : 0)
                    | Math.min(b.size, SIZE_ESCAPE) << SIZE_SHIFT);
            if (b.size >= SIZE_ESCAPE) {
                writeVarLong(out, b.size);
            }
            if (minutes) {
                writeVarLong(out, b.start / MINUTE);
            } else {
                out.writeLong(b.start);
            }
            if (hashes) {
                writeVarLong(out, b.capacity);
            }
            if (hashes) {
                ExactMomentsFormat.write(b.sums != null ? b.sums : ExactMoments.fromMoments(b.count, b.mean, b.m2, b.min, b.max), out);
            } else if (moments) {
                writeVarLong(out, b.count);
                out.writeDouble(b.mean);
                out.writeDouble(b.m2);
                out.writeDouble(b.min);
                out.writeDouble(b.max);
            }
            for (int i = 0; i < b.size; i++) {
                out.writeDouble(b.values[i]);
            }
            if (hashes) {
                for (int i = 0; i < b.size; i++) {
                    out.writeLong(b.hashes[i]);
                }
            }
        }

        @Override
        public Bucket deserialize(DataInputView in) throws IOException {
            int flags = in.readUnsignedByte();
            Bucket b = new Bucket();
            b.size = flags >>> SIZE_SHIFT;
            if (b.size == SIZE_ESCAPE) {
                b.size = (int) readVarLong(in);
            }
            b.start = (flags & START_MINUTES) != 0 ? readVarLong(in) * MINUTE : in.readLong();
            boolean open = (flags & HASHES) != 0;
            b.capacity = open ? (int) readVarLong(in) : b.size;
            if (open) {
                b.sums = readOpenMoments(in);
                b.count = b.sums.count();
                b.min = b.sums.min();
                b.max = b.sums.max();
            } else if ((flags & MOMENTS) != 0) {
                b.count = readVarLong(in);
                b.mean = in.readDouble();
                b.m2 = in.readDouble();
                b.min = in.readDouble();
                b.max = in.readDouble();
            }
            // An open bucket keeps room to grow (as a new one does); an evaluated one exactly its values.
            b.values = new double[open ? Math.max(b.size, Math.min(b.capacity, INITIAL_SLOTS)) : b.size];
            for (int i = 0; i < b.size; i++) {
                b.values[i] = in.readDouble();
            }
            if (open) {
                b.hashes = new long[b.values.length];
                for (int i = 0; i < b.size; i++) {
                    b.hashes[i] = in.readLong();
                }
            }
            if ((flags & MOMENTS) == 0) {
                b.recomputeMoments();
            }
            return b;
        }

        /** An open bucket's moments: its exact sums. */
        ExactMoments readOpenMoments(DataInputView in) throws IOException {
            return ExactMomentsFormat.read(in);
        }

        @Override
        public TypeSerializerSnapshot<Bucket> snapshotConfiguration() {
            return new Snapshot();
        }

        private static void writeVarLong(DataOutputView out, long v) throws IOException {
            while ((v & ~0x7FL) != 0) {
                out.writeByte((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.writeByte((int) v);
        }

        static long readVarLong(DataInputView in) throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.readUnsignedByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("corrupt bucket state: a variable-length integer longer than 10 bytes");
        }
    }

    /**
     * Reads state written before open buckets' moments were exact sums (their count, mean, M2, min and max
     * as an evaluated bucket's are still written; {@link ExactMoments#fromMoments}); a restore writes it
     * again in the current format.
     */
    static final class LegacySerializer extends Serializer {
        private static final long serialVersionUID = 1L;
        static final LegacySerializer INSTANCE = new LegacySerializer();

        @Override
        ExactMoments readOpenMoments(DataInputView in) throws IOException {
            long count = readVarLong(in);
            return ExactMoments.fromMoments(count, in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        }

        @Override
        public void serialize(Bucket b, DataOutputView out) {
            throw new UnsupportedOperationException("the format before exact sums is read on restore, never written");
        }

        @Override
        public TypeSerializerSnapshot<Bucket> snapshotConfiguration() {
            throw new UnsupportedOperationException("the format before exact sums is read on restore, never written");
        }
    }

    /** Versions: 3, open buckets' moments as a count and four doubles; 4, exact sums. */
    public static final class Snapshot extends VersionedSnapshot<Bucket> {
        public Snapshot() {
            super(4, () -> LegacySerializer.INSTANCE, () -> Serializer.INSTANCE);
        }
    }

    public static final class Factory extends TypeInfoFactory<Bucket> {
        @Override
        public TypeInformation<Bucket> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new SerializerTypeInfo<>(Bucket.class, Serializer.INSTANCE);
        }
    }
}
