package dev.perfwatch.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fast ISO rendering writes exactly what java.time's ISO_INSTANT writes. */
class TimestampsTest {

    private static void same(long millis) {
        assertEquals(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis)), Timestamps.iso(millis), "at " + millis + " ms");
    }

    @Test
    void agreesWithIsoInstantEverywhere() {
        long[] edges = {0, -1, 1, 999, 1000, 86_399_999L, 86_400_000L, -86_400_000L, -86_400_001L,
            951_782_400_000L,            // 2000-02-29
            4_107_456_000_000L,          // 2100-02-28 (2100 is not a leap year)
            -62_167_219_200_000L, -62_167_219_200_001L, // 0000-01-01 and just before (the general path)
            253_402_300_799_999L, 253_402_300_800_000L, // 9999-12-31T23:59:59.999Z and 10000 (the general path)
            Long.MIN_VALUE / 1000, Long.MAX_VALUE / 1000};
        for (long e : edges) {
            same(e);
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            same(r.nextLong(-80_000_000_000_000L, 300_000_000_000_000L));
            same(r.nextLong(0, 4_102_444_800L) * 1000); // whole seconds, 1970 to 2100
        }
    }
}
