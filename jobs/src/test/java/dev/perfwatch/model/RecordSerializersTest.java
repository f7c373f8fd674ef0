package dev.perfwatch.model;

import dev.perfwatch.io.SerializerTypeInfo;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The records shuffled between operators have their own serializers: every field back as written. */
class RecordSerializersTest {

    private static <T> T roundTrip(Class<T> type, T value, int count) throws Exception {
        TypeInformation<T> info = TypeInformation.of(type);
        assertInstanceOf(SerializerTypeInfo.class, info, type.getSimpleName() + " is not left to the POJO serializer");
        TypeSerializer<T> serializer = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (int i = 0; i < count; i++) {
            serializer.serialize(value, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T last = null;
        for (int i = 0; i < count; i++) {
            last = serializer.deserialize(in);
        }
        assertEquals(0, in.available(), "bytes left after reading back what was written");
        assertNotSame(value, serializer.copy(value));
        return last;
    }

    @Test
    void aWindowSummaryReadsBackFieldForField() throws Exception {
        WindowSummary s = new WindowSummary();
        s.component = "api";
        s.metric = "response_time";
        s.windowStart = 1_764_000_000_000L;
        s.windowEnd = 1_764_000_060_000L;
        s.count = 60;
        s.mean = 123.25;
        s.stddev = 0.0;
        s.min = -0.0;
        s.max = Double.NaN;
        s.p50 = 1e-300;
        s.p95 = Double.POSITIVE_INFINITY;
        s.p99 = 400.5;
        WindowSummary r = roundTrip(WindowSummary.class, s, 3);
        assertEquals(s.toString(), r.toString());
        assertEquals(Double.doubleToRawLongBits(s.min), Double.doubleToRawLongBits(r.min));
        assertEquals(s.windowEnd, r.windowEnd);
        WindowSummary empty = roundTrip(WindowSummary.class, new WindowSummary(), 1);
        assertNull(empty.component);
        assertNull(empty.metric);
    }

    @Test
    void aMetricSampleReadsBackFieldForField() throws Exception {
        MetricSample s = new MetricSample(1_764_000_000_123L, "cpu_usage", "web", 92.5);
        s.host = "web-1";
        s.unit = "percent";
        s.tags = "{\"region\":\"eu\",\"ü\":\"✓\"}";
        s.origin = "metrics/part-0.jsonl";
        s.line = 42;
        MetricSample r = roundTrip(MetricSample.class, s, 2);
        assertEquals(s.timestamp, r.timestamp);
        assertEquals(s.metric, r.metric);
        assertEquals(s.component, r.component);
        assertEquals(s.value, r.value);
        assertEquals(s.host, r.host);
        assertEquals(s.unit, r.unit);
        assertEquals(s.tags, r.tags);
        assertEquals(s.origin, r.origin);
        assertEquals(s.line, r.line);
        MetricSample bare = roundTrip(MetricSample.class, new MetricSample(5, "m", "c", -1), 1);
        assertNull(bare.host);
        assertNull(bare.unit);
        assertNull(bare.tags);
        assertNull(bare.origin);
        assertEquals(-1, bare.value);
    }

    @Test
    void namesBeyondAsciiReadBackAndTheSeriesIdTravelsWithTheSample() throws Exception {
        MetricSample s = new MetricSample(7, "latence_ms", "paiement-é", 1.5);
        s.origin = "/données/☃/metrics.jsonl";
        s.host = "";
        long id = MetricSample.seriesId("paiement-é", "latence_ms");
        assertEquals(id, s.seriesId());
        MetricSample r = roundTrip(MetricSample.class, s, 3);
        assertEquals("paiement-é", r.component);
        assertEquals("/données/☃/metrics.jsonl", r.origin);
        assertEquals("", r.host);
        assertEquals(id, r.seriesId());
        // A sample whose names are set again is another series: its id follows the names, not the cache.
        r.component = "api";
        assertEquals(MetricSample.seriesId("api", "latence_ms"), r.seriesId());
        MetricSample copied = TypeInformation.of(MetricSample.class).createSerializer(new SerializerConfigImpl()).copy(s);
        assertEquals(id, copied.seriesId());
        copied.metric = "cpu_usage";
        assertEquals(MetricSample.seriesId("paiement-é", "cpu_usage"), copied.seriesId());
    }

    @Test
    void theSeriesKeyHashIsTheKeyTextsHashWithoutBuildingIt() {
        String[][] names = {{"api", "response_time"}, {"", ""}, {"paiement-é", "latence_☃"}, {null, "m"}, {"c", null},
                {"a-very-long-component-name-with-many-characters", "x"}};
        for (String[] n : names) {
            assertEquals(MetricSample.seriesKey(n[0], n[1]).hashCode(), MetricSample.seriesKeyHash(n[0], n[1]), n[0] + "|" + n[1]);
        }
    }

    @Test
    void everyFieldIsWrittenAndCopiedSoANewOneCannotBeForgotten() throws Exception {
        // Each public field set to a value of its own (by reflection, so a field added later is covered
        // without touching this test), then read back and copied: every field must come through.
        for (Class<?> type : new Class<?>[] {MetricSample.class, WindowSummary.class}) {
            everyField(type);
        }
    }

    private static <T> void everyField(Class<T> type) throws Exception {
        T value = type.getConstructor().newInstance();
        int i = 1;
        for (java.lang.reflect.Field f : type.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            i++;
            if (f.getType() == String.class) {
                f.set(value, f.getName() + "-" + i);
            } else if (f.getType() == long.class) {
                f.setLong(value, 1_000_000_007L * i);
            } else if (f.getType() == double.class) {
                f.setDouble(value, i + 0.25);
            } else {
                throw new AssertionError(type.getSimpleName() + "." + f.getName() + ": a field type this test does not fill, " + f.getType());
            }
        }
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        T read = roundTrip(type, value, 1);
        T copied = serializer.copy(value);
        for (java.lang.reflect.Field f : type.getFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                assertEquals(f.get(value), f.get(read), type.getSimpleName() + "." + f.getName() + " read back");
                assertEquals(f.get(value), f.get(copied), type.getSimpleName() + "." + f.getName() + " copied");
            }
        }
    }
}
