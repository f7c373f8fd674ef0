package dev.perfwatch.analyze;

import dev.perfwatch.io.NestingSerializer;
import dev.perfwatch.io.SerializerTypeInfo;
import dev.perfwatch.io.VersionedSnapshot;

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
 * The part of one series' window summary that one source subtask saw: the samples are folded where they
 * are read and only these cross the network to the window (at 1-second sampling, one record a minute
 * per series instead of sixty). A partial of one value is that value alone; of more, their
 * {@link SummaryAccumulator}. Its moments are exact sums, so a window has the same figures whichever
 * partials it gets in whichever order.
 */
@TypeInfo(SummaryPartial.Factory.class)
public final class SummaryPartial {
    public long seriesId;
    public String component;
    public String metric;
    public long windowStart;
    public long windowEnd;
    /** The values folded in. */
    public long count;
    /** The value, while {@link #count} is 1. */
    public double value;
    /** The values' accumulator once {@link #count} is 2 or more; null before. */
    public SummaryAccumulator acc;

    public SummaryPartial() {}

    public SummaryPartial(long seriesId, String component, String metric, long windowStart, long windowEnd) {
        this.seriesId = seriesId;
        this.component = component;
        this.metric = metric;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    /** One more value; the second creates the accumulator (with the sketch's accuracy) and adds both in order. */
    public void add(double v, double relativeAccuracy) {
        if (count == 0) {
            value = v;
        } else {
            accumulator(relativeAccuracy).add(v);
        }
        count++;
    }

    /** The accumulator, made from the one value held when there is none yet (count is at least 1). */
    private SummaryAccumulator accumulator(double relativeAccuracy) {
        if (acc == null) {
            acc = new SummaryAccumulator(relativeAccuracy);
            acc.add(component, metric, value);
        }
        return acc;
    }

    /** Another partial of the same series and window (two source subtasks, a sample later than its series' bound, a restore). */
    public void merge(SummaryPartial other, double relativeAccuracy) {
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            count = other.count;
            value = other.value;
            acc = other.acc;
            return;
        }
        if (other.acc == null) {
            add(other.value, relativeAccuracy);
            return;
        }
        accumulator(relativeAccuracy).merge(other.acc);
        count += other.count;
    }

    /**
     * The window's accumulator with this partial folded in: the partial's own accumulator when the window
     * has none yet (no copy, no merge: the same numbers the samples would have given), else {@code into}.
     */
    public SummaryAccumulator foldInto(SummaryAccumulator into) {
        if (acc == null) {
            if (count > 0) {
                into.add(component, metric, value);
            }
            return into;
        }
        if (into.moments().count() == 0) {
            return acc;
        }
        into.merge(acc);
        return into;
    }

    /** Serializer: the series, the window, and the value or the accumulator. */
    public static final class Serializer extends NestingSerializer<SummaryPartial, SummaryAccumulator> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer(SummaryAccumulator.Serializer.INSTANCE);
        /** Reads held parts written before the accumulator's moments were exact sums. */
        static final Serializer LEGACY = new Serializer(SummaryAccumulator.LegacySerializer.INSTANCE);

        private Serializer(SummaryAccumulator.Serializer accumulators) {
            super(accumulators);
        }

        @Override
        public SummaryPartial createInstance() {
            return new SummaryPartial();
        }

        @Override
        public SummaryPartial copy(SummaryPartial from) {
            SummaryPartial p = new SummaryPartial(from.seriesId, from.component, from.metric, from.windowStart, from.windowEnd);
            p.count = from.count;
            p.value = from.value;
            p.acc = from.acc == null ? null : from.acc.copy();
            return p;
        }

        @Override
        public void serialize(SummaryPartial p, DataOutputView out) throws IOException {
            out.writeLong(p.seriesId);
            out.writeLong(p.windowStart);
            out.writeLong(p.windowEnd);
            if (p.acc == null) {
                out.writeLong(p.count);
                out.writeDouble(p.value);
                StringValue.writeString(p.component, out);
                StringValue.writeString(p.metric, out);
            } else {
                out.writeLong(-p.count); // negative: the accumulator follows (it names the series)
                nested.serialize(p.acc, out);
            }
        }

        @Override
        public SummaryPartial deserialize(DataInputView in) throws IOException {
            SummaryPartial p = new SummaryPartial();
            p.seriesId = in.readLong();
            p.windowStart = in.readLong();
            p.windowEnd = in.readLong();
            long count = in.readLong();
            if (count >= 0) {
                p.count = count;
                p.value = in.readDouble();
                p.component = StringValue.readString(in);
                p.metric = StringValue.readString(in);
            } else {
                p.count = -count;
                p.acc = nested.deserialize(in);
                p.component = p.acc.component();
                p.metric = p.acc.metric();
            }
            return p;
        }

        @Override
        public TypeSerializerSnapshot<SummaryPartial> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Versions: 3, accumulators' moments as five doubles; 4, exact sums. */
    public static final class Snapshot extends VersionedSnapshot<SummaryPartial> {
        public Snapshot() {
            super(4, () -> Serializer.LEGACY, () -> Serializer.INSTANCE);
        }
    }

    public static final class Factory extends TypeInfoFactory<SummaryPartial> {
        @Override
        public TypeInformation<SummaryPartial> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new SerializerTypeInfo<>(SummaryPartial.class, Serializer.INSTANCE);
        }
    }
}
