package dev.perfwatch.pipeline;

import dev.perfwatch.model.Timestamps;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Partitions output by the record's own event time, {@code dt=YYYY-MM-DD/hour=HH} (UTC), so a rerun
 * of the same input writes the same partitions (Flink's DateTimeBucketAssigner uses processing time).
 * Records without an event time go to {@value #UNKNOWN}.
 */
public final class EventTimeBuckets implements BucketAssigner<OutputLine, String> {

    private static final long serialVersionUID = 1L;

    public static final String UNKNOWN = "dt=unknown/hour=unknown";

    @Override
    public String getBucketId(OutputLine line, Context context) {
        return line.partition;
    }

    public static String bucketOf(long epochMillis) {
        if (epochMillis == Long.MIN_VALUE) {
            return UNKNOWN;
        }
        String iso = Timestamps.iso(Math.floorDiv(epochMillis, 3_600_000L) * 3_600_000L);
        if (iso.length() == 20 && iso.charAt(4) == '-') {
            // yyyy-MM-ddTHH:00:00Z: every output record passes here (String.format was a quarter of the
            // window summaries' CPU at one sample per window)
            return "dt=" + iso.substring(0, 10) + "/hour=" + iso.substring(11, 13);
        }
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        return String.format("dt=%04d-%02d-%02d/hour=%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
