package dev.perfwatch.analyze;

import dev.perfwatch.io.RecordSerializer;
import dev.perfwatch.io.SerializerTypeInfo;
import dev.perfwatch.stats.Moments;
import dev.perfwatch.stats.QuantileSketch;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * A window's running statistics: moments (count, mean, M2, min, max) and a quantile sketch. Raw
 * values are never kept. Its own serializer writes the sketch in DDSketch's compact encoding, so
 * state never falls back to Kryo.
 */
@TypeInfo(SummaryAccumulator.Factory.class)
public final class SummaryAccumulator {

    final Moments moments;
    final QuantileSketch sketch;
    /** The series (set by the first sample): the window's key is a hash of it. */
    String component;
    String metric;

    public SummaryAccumulator(double relativeAccuracy) {
        this(new Moments(), new QuantileSketch(relativeAccuracy));
    }

    SummaryAccumulator(Moments moments, QuantileSketch sketch) {
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

    public Moments moments() {
        return moments;
    }

    public QuantileSketch sketch() {
        return sketch;
    }

    SummaryAccumulator copy() {
        Moments m = new Moments();
        m.merge(moments);
        SummaryAccumulator copy = new SummaryAccumulator(m, sketch.copy());
        copy.component = component;
        copy.metric = metric;
        return copy;
    }

    /** Serializer: the series, five numbers, the sketch's accuracy and its encoded bins. */
    public static final class Serializer extends RecordSerializer<SummaryAccumulator> {
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
            Moments m = acc.moments;
            StringValue.writeString(acc.component, out);
            StringValue.writeString(acc.metric, out);
            out.writeLong(m.count());
            out.writeDouble(m.count() == 0 ? 0 : m.mean());
            out.writeDouble(m.m2());
            out.writeDouble(m.count() == 0 ? Double.POSITIVE_INFINITY : m.min());
            out.writeDouble(m.count() == 0 ? Double.NEGATIVE_INFINITY : m.max());
            out.writeDouble(acc.sketch.relativeAccuracy());
            byte[] bins = acc.sketch.toBytes();
            out.writeInt(bins.length);
            out.write(bins);
        }

        @Override
        public SummaryAccumulator deserialize(DataInputView in) throws IOException {
            String component = StringValue.readString(in);
            String metric = StringValue.readString(in);
            Moments m = new Moments(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
            double accuracy = in.readDouble();
            byte[] bins = new byte[in.readInt()];
            in.readFully(bins);
            SummaryAccumulator acc = new SummaryAccumulator(m, QuantileSketch.fromBytes(accuracy, bins));
            acc.component = component;
            acc.metric = metric;
            return acc;
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            StringValue.copyString(in, out);
            StringValue.copyString(in, out);
            byte[] fixed = new byte[8 * 6];
            in.readFully(fixed);
            out.write(fixed);
            byte[] bins = new byte[in.readInt()];
            in.readFully(bins);
            out.writeInt(bins.length);
            out.write(bins);
        }

        @Override
        public TypeSerializerSnapshot<SummaryAccumulator> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SummaryAccumulator> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }

    public static final class Factory extends TypeInfoFactory<SummaryAccumulator> {
        @Override
        public TypeInformation<SummaryAccumulator> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new SerializerTypeInfo<>(SummaryAccumulator.class, Serializer.INSTANCE);
        }
    }
}
