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
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * A window's running statistics: moments (count, mean, M2, min, max, from exact sums, so they do not
 * depend on the order values and parts arrive in) and a quantile sketch (bin counts: order-free too).
 * Raw values are never kept. Its own serializer writes the sketch in DDSketch's compact encoding, so
 * state never falls back to Kryo.
 */
@TypeInfo(SummaryAccumulator.Factory.class)
public final class SummaryAccumulator {

    final ExactMoments moments;
    final QuantileSketch sketch;
    /** The series (set by the first sample): the window's key is a hash of it. */
    String component;
    String metric;

    public SummaryAccumulator(double relativeAccuracy) {
        this(new ExactMoments(), new QuantileSketch(relativeAccuracy));
    }

    SummaryAccumulator(ExactMoments moments, QuantileSketch sketch) {
        this.moments = moments;
        this.sketch = sketch;
    }

    public void add(double value) {
        moments.add(value);
        sketch.add(value);
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
        sketch.merge(other.sketch);
    }

    public ExactMoments moments() {
        return moments;
    }

    public QuantileSketch sketch() {
        return sketch;
    }

    SummaryAccumulator copy() {
        SummaryAccumulator copy = new SummaryAccumulator(moments.copy(), sketch.copy());
        copy.component = component;
        copy.metric = metric;
        return copy;
    }

    /**
     * Serializer: the series, the moments' count, min, max and exact sums ({@link ExactMomentsFormat}), the
     * sketch's accuracy and its encoded bins.
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
            out.writeDouble(acc.sketch.relativeAccuracy());
            byte[] bins = acc.sketch.toBytes();
            out.writeInt(bins.length);
            out.write(bins);
        }

        ExactMoments readMoments(DataInputView in) throws IOException {
            return ExactMomentsFormat.read(in);
        }

        @Override
        public SummaryAccumulator deserialize(DataInputView in) throws IOException {
            String component = StringValue.readString(in);
            String metric = StringValue.readString(in);
            ExactMoments m = readMoments(in);
            double accuracy = in.readDouble();
            byte[] bins = new byte[in.readInt()];
            in.readFully(bins);
            SummaryAccumulator acc = new SummaryAccumulator(m, QuantileSketch.fromBytes(accuracy, bins));
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
        public void serialize(SummaryAccumulator acc, DataOutputView out) {
            throw new UnsupportedOperationException("the format before exact sums is read on restore, never written");
        }

        @Override
        public TypeSerializerSnapshot<SummaryAccumulator> snapshotConfiguration() {
            throw new UnsupportedOperationException("the format before exact sums is read on restore, never written");
        }
    }

    /** Versions: 3, moments as five doubles; 4, exact sums. */
    public static final class Snapshot extends VersionedSnapshot<SummaryAccumulator> {
        @Override
        public int getCurrentVersion() {
            return 4;
        }

        @Override
        protected TypeSerializer<SummaryAccumulator> serializer(int version) {
            return version == FIRST ? LegacySerializer.INSTANCE : Serializer.INSTANCE;
        }
    }

    public static final class Factory extends TypeInfoFactory<SummaryAccumulator> {
        @Override
        public TypeInformation<SummaryAccumulator> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new SerializerTypeInfo<>(SummaryAccumulator.class, Serializer.INSTANCE);
        }
    }
}
