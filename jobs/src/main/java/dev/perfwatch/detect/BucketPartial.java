package dev.perfwatch.detect;

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
 * The part of one series' evaluation interval that one source subtask saw: a {@link Bucket} filled
 * where the samples are read, sent to the {@link RegressionDetector} once the interval is complete
 * there (a bottom-k reservoir and moments merge exactly: {@link Bucket#merge}). The detector gets one
 * record per series and interval instead of every sample.
 */
@TypeInfo(BucketPartial.Factory.class)
public final class BucketPartial {
    public long seriesId;
    public String component;
    public String metric;
    public Bucket bucket;

    public BucketPartial() {}

    public BucketPartial(long seriesId, String component, String metric, Bucket bucket) {
        this.seriesId = seriesId;
        this.component = component;
        this.metric = metric;
        this.bucket = bucket;
    }

    /** Serializer: the series id and names, then the bucket in its own encoding. */
    public static final class Serializer extends NestingSerializer<BucketPartial, Bucket> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer(Bucket.Serializer.INSTANCE);
        /** Reads held parts written before open buckets' moments were exact sums. */
        static final Serializer LEGACY = new Serializer(Bucket.LegacySerializer.INSTANCE);

        private Serializer(Bucket.Serializer buckets) {
            super(buckets);
        }

        @Override
        public BucketPartial createInstance() {
            return new BucketPartial();
        }

        @Override
        public BucketPartial copy(BucketPartial from) {
            return new BucketPartial(from.seriesId, from.component, from.metric, Bucket.Serializer.INSTANCE.copy(from.bucket));
        }

        @Override
        public void serialize(BucketPartial p, DataOutputView out) throws IOException {
            out.writeLong(p.seriesId);
            StringValue.writeString(p.component, out);
            StringValue.writeString(p.metric, out);
            nested.serialize(p.bucket, out);
        }

        @Override
        public BucketPartial deserialize(DataInputView in) throws IOException {
            BucketPartial p = new BucketPartial();
            p.seriesId = in.readLong();
            p.component = StringValue.readString(in);
            p.metric = StringValue.readString(in);
            p.bucket = nested.deserialize(in);
            return p;
        }

        @Override
        public TypeSerializerSnapshot<BucketPartial> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Versions: 3, open buckets' moments as a count and four doubles; 4, exact sums. */
    public static final class Snapshot extends VersionedSnapshot<BucketPartial> {
        public Snapshot() {
            super(4, () -> Serializer.LEGACY, () -> Serializer.INSTANCE);
        }
    }

    public static final class Factory extends TypeInfoFactory<BucketPartial> {
        @Override
        public TypeInformation<BucketPartial> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return new SerializerTypeInfo<>(BucketPartial.class, Serializer.INSTANCE);
        }
    }
}
