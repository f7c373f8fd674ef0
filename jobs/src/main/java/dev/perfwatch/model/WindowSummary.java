package dev.perfwatch.model;

import dev.perfwatch.io.RecordSerializer;
import dev.perfwatch.io.SerializerTypeInfo;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * Statistics of one series over one tumbling event-time window. Its own serializer ({@link Serializer})
 * writes the fields in order: every summary goes to half a dozen downstream operators, and Flink's POJO
 * serializer reads and writes each field by reflection.
 */
@TypeInfo(WindowSummary.Factory.class)
public class WindowSummary implements JsonRecord {

    public String component;
    public String metric;
    /** Inclusive start and exclusive end, epoch milliseconds. */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long windowStart;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long windowEnd;
    public long count;
    public double mean;
    /** Sample standard deviation (n - 1 denominator); 0 when count is 1. */
    public double stddev;
    public double min;
    public double max;
    /** Quantiles from a DDSketch, within its stated relative accuracy of the exact value. */
    public double p50;
    public double p95;
    public double p99;

    public WindowSummary() {}

    public String seriesKey() {
        return MetricSample.seriesKey(component, metric);
    }

    /** The key the job partitions a series by (see {@link MetricSample#seriesId(String, String)}). */
    public long seriesId() {
        return MetricSample.seriesId(component, metric);
    }

    @Override
    public long partitionTime() {
        return windowStart;
    }

    @Override
    public String toString() {
        return "WindowSummary{" + component + "/" + metric + " " + Timestamps.iso(windowStart)
                + " n=" + count + " mean=" + mean + " sd=" + stddev + " min=" + min + " max=" + max
                + " p50=" + p50 + " p95=" + p95 + " p99=" + p99 + "}";
    }

    /** Writes the fields in declaration order (strings may be null). */
    public static final class Serializer extends RecordSerializer<WindowSummary> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public WindowSummary createInstance() {
            return new WindowSummary();
        }

        @Override
        public WindowSummary copy(WindowSummary from) {
            WindowSummary s = new WindowSummary();
            s.component = from.component;
            s.metric = from.metric;
            s.windowStart = from.windowStart;
            s.windowEnd = from.windowEnd;
            s.count = from.count;
            s.mean = from.mean;
            s.stddev = from.stddev;
            s.min = from.min;
            s.max = from.max;
            s.p50 = from.p50;
            s.p95 = from.p95;
            s.p99 = from.p99;
            return s;
        }

        @Override
        public void serialize(WindowSummary s, DataOutputView out) throws IOException {
            StringValue.writeString(s.component, out);
            StringValue.writeString(s.metric, out);
            out.writeLong(s.windowStart);
            out.writeLong(s.windowEnd);
            out.writeLong(s.count);
            out.writeDouble(s.mean);
            out.writeDouble(s.stddev);
            out.writeDouble(s.min);
            out.writeDouble(s.max);
            out.writeDouble(s.p50);
            out.writeDouble(s.p95);
            out.writeDouble(s.p99);
        }

        @Override
        public WindowSummary deserialize(DataInputView in) throws IOException {
            WindowSummary s = new WindowSummary();
            s.component = StringValue.readString(in);
            s.metric = StringValue.readString(in);
            s.windowStart = in.readLong();
            s.windowEnd = in.readLong();
            s.count = in.readLong();
            s.mean = in.readDouble();
            s.stddev = in.readDouble();
            s.min = in.readDouble();
            s.max = in.readDouble();
            s.p50 = in.readDouble();
            s.p95 = in.readDouble();
            s.p99 = in.readDouble();
            return s;
        }

        @Override
        public TypeSerializerSnapshot<WindowSummary> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<WindowSummary> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }

    public static final class Factory extends TypeInfoFactory<WindowSummary> {
        @Override
        public TypeInformation<WindowSummary> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new SerializerTypeInfo<>(WindowSummary.class, Serializer.INSTANCE);
        }
    }
}
