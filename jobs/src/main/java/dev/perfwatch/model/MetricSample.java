package dev.perfwatch.model;

import dev.perfwatch.io.Hash64;
import dev.perfwatch.io.RecordSerializer;
import dev.perfwatch.io.SerializerTypeInfo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
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
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One validated metric sample (the input contract: README, "Input"). Its own serializer
 * ({@link Serializer}) writes the fields in order: every sample is shuffled to the window summaries and
 * to the regression detector, and Flink's POJO serializer reads and writes each field by reflection.
 */
@TypeInfo(MetricSample.Factory.class)
@JsonPropertyOrder({"timestamp", "metric", "value", "component", "host", "unit", "tags"})
public class MetricSample implements JsonRecord {

    /** Event time, epoch milliseconds UTC. */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long timestamp;
    public String metric;
    public String component;
    public double value;
    /** Optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String host;
    /** Optional; for known metrics, agrees with the metric's unit. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String unit;
    /** Optional tags as a canonical JSON object text (keys sorted), or null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonRawValue
    public String tags;
    /** Where the sample was read: file, "generator", or Kafka partition. */
    @JsonIgnore
    public String origin;
    @JsonIgnore
    public long line;

    public MetricSample() {}

    public MetricSample(long timestamp, String metric, String component, double value) {
        this.timestamp = timestamp;
        this.metric = metric;
        this.component = component;
        this.value = value;
    }

    /** The key a series is grouped by: component and metric (neither may contain '|'). */
    public String seriesKey() {
        return seriesKey(component, metric);
    }

    public static String seriesKey(String component, String metric) {
        return component + '|' + metric;
    }

    /**
     * {@code seriesKey(component, metric).hashCode()}, without building the key (String's hash is
     * {@code s[0]*31^(n-1) + ... + s[n-1]}, so it continues over '|' and the metric): a per-sample seed.
     */
    public static int seriesKeyHash(String component, String metric) {
        int h = String.valueOf(component).hashCode() * 31 + '|';
        String m = String.valueOf(metric);
        for (int i = 0; i < m.length(); i++) {
            h = 31 * h + m.charAt(i);
        }
        return h;
    }

    /**
     * The series id as last computed, and the component and metric it was computed from (compared by
     * reference, so a sample whose names are set again computes it again). Each sample's key is taken on
     * both sides of two exchanges; the serializer carries the id, so it is hashed once per sample.
     */
    @JsonIgnore
    private transient long id;
    @JsonIgnore
    private transient String idComponent;
    @JsonIgnore
    private transient String idMetric;

    /** The key the job partitions a series by: {@link #seriesId(String, String)} of this sample's series. */
    public long seriesId() {
        if (idComponent != component || idMetric != metric || component == null) {
            id = seriesId(component, metric);
            idComponent = component;
            idMetric = metric;
        }
        return id;
    }

    /**
     * A series' 64-bit id: the {@link Hash64} of its key's UTF-8 text.
     * The job keys series by it rather than by the text: Flink's BATCH sort compares a fixed-length key
     * in its 8-byte normalized key, where series names sharing their first characters made it compare
     * byte by byte. Two series with one id would share state; for n series the chance that any two do is
     * about n^2 / 2^65 (3 in 10^8 for a million series).
     */
    public static long seriesId(String component, String metric) {
        return Hash64.of(seriesKey(component, metric).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public long partitionTime() {
        return timestamp;
    }

    @Override
    public String toString() {
        return "MetricSample{" + Timestamps.iso(timestamp) + " " + component + "/" + metric + "=" + value + "}";
    }

    /** Writes the fields in declaration order (strings may be null). */
    public static final class Serializer extends RecordSerializer<MetricSample> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public MetricSample createInstance() {
            return new MetricSample();
        }

        @Override
        public MetricSample copy(MetricSample from) {
            MetricSample s = new MetricSample(from.timestamp, from.metric, from.component, from.value);
            s.host = from.host;
            s.unit = from.unit;
            s.tags = from.tags;
            s.origin = from.origin;
            s.line = from.line;
            s.id = from.id;
            s.idComponent = from.idComponent;
            s.idMetric = from.idMetric;
            return s;
        }

        @Override
        public void serialize(MetricSample s, DataOutputView out) throws IOException {
            out.writeLong(s.timestamp);
            StringValue.writeString(s.metric, out);
            StringValue.writeString(s.component, out);
            out.writeLong(s.seriesId());
            out.writeDouble(s.value);
            StringValue.writeString(s.host, out);
            StringValue.writeString(s.unit, out);
            StringValue.writeString(s.tags, out);
            StringValue.writeString(s.origin, out);
            out.writeLong(s.line);
        }

        @Override
        public MetricSample deserialize(DataInputView in) throws IOException {
            MetricSample s = new MetricSample();
            s.timestamp = in.readLong();
            s.metric = StringValue.readString(in);
            s.component = StringValue.readString(in);
            s.id = in.readLong();
            s.idComponent = s.component;
            s.idMetric = s.metric;
            s.value = in.readDouble();
            s.host = StringValue.readString(in);
            s.unit = StringValue.readString(in);
            s.tags = StringValue.readString(in);
            s.origin = StringValue.readString(in);
            s.line = in.readLong();
            return s;
        }

        @Override
        public TypeSerializerSnapshot<MetricSample> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MetricSample> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }

    public static final class Factory extends TypeInfoFactory<MetricSample> {
        @Override
        public TypeInformation<MetricSample> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new SerializerTypeInfo<>(MetricSample.class, Serializer.INSTANCE);
        }
    }
}
