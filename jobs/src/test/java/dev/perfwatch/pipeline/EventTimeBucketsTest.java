package dev.perfwatch.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventTimeBucketsTest {

    private static String reference(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        return String.format("dt=%04d-%02d-%02d/hour=%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
    }

    @Test
    void partitionsAreTheUtcDayAndHourOfTheEventTime() {
        assertEquals("dt=2026-11-30/hour=23", EventTimeBuckets.bucketOf(Instant.parse("2026-11-30T23:59:59.999Z").toEpochMilli()));
        assertEquals("dt=2026-12-01/hour=00", EventTimeBuckets.bucketOf(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli()));
        assertEquals("dt=1969-12-31/hour=23", EventTimeBuckets.bucketOf(-1L));
        assertEquals(EventTimeBuckets.UNKNOWN, EventTimeBuckets.bucketOf(Long.MIN_VALUE));
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 200_000; i++) {
            // years 0000 to 9999 and beyond, on both sides of every hour
            long t = random.nextLong(-62_200_000_000_000L, 253_500_000_000_000L);
            assertEquals(reference(t), EventTimeBuckets.bucketOf(t), "at " + t);
        }
        long y10000 = Instant.parse("+10000-01-01T05:00:00Z").toEpochMilli();
        assertEquals(reference(y10000), EventTimeBuckets.bucketOf(y10000));
    }
}
