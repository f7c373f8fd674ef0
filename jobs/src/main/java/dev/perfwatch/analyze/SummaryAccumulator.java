package dev.perfwatch.analyze;

import dev.perfwatch.io.ExactMomentsFormat;
import dev.perfwatch.io.RecordSerializer;
import dev.perfwatch.io.SerializerTypeInfo;
import dev.perfwatch.io.VersionedSnapshot;
import dev.perfwatch.stats.ExactMoments;
import dev.perfwatch.stats.QuantileSketch;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * A window's running statistics: moments (count, mean, M2, min, max, from exact sums, so they do not
 * depend on the order values and parts arrive in), the window's values themselves while there are at most
 * {@link #EXACT_UP_TO} (so the quantiles of such a window are exact), and beyond that a quantile sketch
 * (bin counts: order-free too) that answers within its relative accuracy; it is filled only once a window
 * outgrows its values (before, it stays empty). Its own serializer writes
 * the sketch in DDSketch's compact encoding, so state never falls back to Kryo.
 */
@TypeInfo(SummaryAccumulator.Factory.class)
public final class SummaryAccumulator {

    final ExactMoments moments;
    final QuantileSketch sketch;
    /** The values while there are at most {@link #EXACT_UP_TO} (in arrival order; only their sorted order is read); null beyond. */
    double[] values;
    int size;
    /** The series (set by the first sample): the window's key is a hash of it. */
    String component;
    String metric;

    public SummaryAccumulator(double relativeAccuracy) {
        this(new ExactMoments(), new QuantileSketch(relativeAccuracy));
    }

    SummaryAccumulator(ExactMoments moments, QuantileSketch sketch) {
        this(moments, sketch, new double[4], 0);
    }

    SummaryAccumulator(ExactMoments moments, QuantileSketch sketch, double[] values, int size) {
        this.moments = moments;
        this.sketch = sketch;
        this.values = values;
        this.size = size;
    }

    /**
     * Windows of at most this many values keep them, and their quantiles are exact: a sample a second in a
     * 1-minute window is 60. A relative-accuracy sketch alone gets a series with a large offset and a small
     * spread wrong (memory in bytes: 0.5% of 8e9 is more than its minute's spread), and for a few values
     * the values are as small as the sketch.
     */
    public static final int EXACT_UP_TO = 128;

    public void add(double value) {
        moments.add(value);
        if (values == null) {
            sketch.add(value);
        } else if (size == EXACT_UP_TO) {
            toSketch();
            sketch.add(value);
        } else {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, Math.min(EXACT_UP_TO, 2 * size));
            }
            values[size++] = value;
        }
    }

    /** The window outgrew its values: they go into the sketch, which answers from now on. */
    private void toSketch() {
        for (int i = 0; i < size; i++) {
            sketch.add(values[i]);
        }
        values = null;
        size = 0;
    }

    /** A value of the named series (the name is kept from the first). */
    public void add(String component, String metric, double value) {
        if (this.component == null) {
            this.component = component;
            this.metric = metric;
        }
        add(value);
    }

    public String component() {
        return component;
    }

    public String metric() {
        return metric;
    }

    public void merge(SummaryAccumulator other) {
        if (component == null) {
            component = other.component;
            metric = other.metric;
        }
        moments.merge(other.moments);
        if (values != null && other.values != null && size + other.size <= EXACT_UP_TO) {
            if (size + other.size > values.length) {
                values = java.util.Arrays.copyOf(values, size + other.size);
            }
            System.arraycopy(other.values, 0, values, size, other.size);
            size += other.size;
            return;
        }
        if (values != null) {
            toSketch();
        }
        if (other.values != null) {
            for (int i = 0; i < other.size; i++) {
                sketch.add(other.values[i]);
            }
        } else {
            sketch.merge(other.sketch);
        }
    }

    /**
     * The q-quantiles, each element floor(q (n - 1)) of the sorted values (the rank DDSketch answers for):
     * exact while the window kept its values, else the sketch's answers, within its relative accuracy (not
     * clamped into [min, max]).
     */
    public double[] quantiles(double... qs) {
        double[] out = new double[qs.length];
        double[] sorted = values == null ? null : java.util.Arrays.copyOf(values, size);
        if (sorted != null) {
            java.util.Arrays.sort(sorted);
        }
        for (int i = 0; i < qs.length; i++) {
            if (sorted == null) {
                out[i] = sketch.quantile(qs[i]);
            } else if (!(qs[i] >= 0 && qs[i] <= 1)) {
                throw new IllegalArgumentException("quantile must be in [0, 1], got " + qs[i]);
            } else {
                out[i] = size == 0 ? Double.NaN : sorted[(int) Math.floor(qs[i] * (size - 1))];
            }
        }
        return out;
    }

    public ExactMoments moments() {
        return moments;
    }

    /** The sketch: empty while the window keeps its values ({@link #quantiles} answers either way). */
    public QuantileSketch sketch() {
        return sketch;
    }

    SummaryAccumulator copy() {
        SummaryAccumulator copy = new SummaryAccumulator(moments.copy(), sketch.copy(), values == null ? null : values.clone(), size);
        copy.component = component;
        copy.metric = metric;
        return copy;
    }

    /**
     * Serializer: the series, the moments' count, min, max and exact sums ({@link ExactMomentsFormat}), the
     * kept values (their number, -1 for none kept, and the values), the sketch's accuracy and its encoded bins.
     */
    public static class Serializer extends RecordSerializer<SummaryAccumulator> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public SummaryAccumulator createInstance() {
            return new SummaryAccumulator(0.01);
        }

        @Override
        public SummaryAccumulator copy(SummaryAccumulator from) {
            return from.copy();
        }

        @Override
        public void serialize(SummaryAccumulator acc, DataOutputView out) throws IOException {
            StringValue.writeString(acc.component, out);
            StringValue.writeString(acc.metric, out);
            ExactMomentsFormat.write(acc.moments, out);
            out.writeInt(acc.values == null ? -1 : acc.size);
            for (int i = 0; acc.values != null && i < acc.size; i++) {
                out.writeDouble(acc.values[i]);
            }
            out.writeDouble(acc.sketch.relativeAccuracy());
            byte[] bins = acc.sketch.toBytes();
            out.writeInt(bins.length);
            out.write(bins);
        }

        ExactMoments readMoments(DataInputView in) throws IOException {
            return ExactMomentsFormat.read(in);
        }

        /** Whether this format writes the kept values (the format before exact sums did not). */
        boolean writesValues() {
            return true;
        }

        @Override
        public SummaryAccumulator deserialize(DataInputView in) throws IOException {
            String component = StringValue.readString(in);
            String metric = StringValue.readString(in);
            ExactMoments m = readMoments(in);
            int size = writesValues() ? in.readInt() : -1;
            double[] values = size < 0 ? null : new double[Math.max(size, 4)];
            for (int i = 0; i < size; i++) {
                values[i] = in.readDouble();
            }
            double accuracy = in.readDouble();
            byte[] bins = new byte[in.readInt()];
            in.readFully(bins);
            SummaryAccumulator acc = new SummaryAccumulator(m, QuantileSketch.fromBytes(accuracy, bins), values, Math.max(size, 0));
            acc.component = component;
            acc.metric = metric;
            return acc;
        }

        @Override
        public TypeSerializerSnapshot<SummaryAccumulator> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /**
     * Reads state written before the moments were exact sums (count, mean, M2, min and max as doubles;
     * {@link ExactMoments#fromMoments}); a restore writes it again in the current format.
     */
    static final class LegacySerializer extends Serializer {
        private static final long serialVersionUID = 1L;
        static final LegacySerializer INSTANCE = new LegacySerializer();

        @Override
        ExactMoments readMoments(DataInputView in) throws IOException {
            return ExactMomentsFormat.readLegacy(in);
        }

        @Override
        boolean writesValues() {
            return false; // its quantiles stay the sketch's
        }

        @Override
        public void serialize(SummaryAccumulator acc, DataOutputView out) {
            throw new UnsupportedOperationException("the format before exact sums is read on restore, never written");
        }

        @Override
        public TypeSerializerSnapshot<SummaryAccumulator> snapshotConfiguration() {
            throw new UnsupportedOperationException("the format before exact sums is read on restore, never written");
        }
    }

    /** Versions: 3, moments as five doubles; 4, exact sums and the values of a small window. */
    public static final class Snapshot extends VersionedSnapshot<SummaryAccumulator> {
        public Snapshot() {
            super(4, () -> LegacySerializer.INSTANCE, () -> Serializer.INSTANCE);
        }
    }

    public static final class Factory extends TypeInfoFactory<SummaryAccumulator> {
        @Override
        public TypeInformation<SummaryAccumulator> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new SerializerTypeInfo<>(SummaryAccumulator.class, Serializer.INSTANCE);
        }
    }
}
