package dev.perfwatch.io;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimestampParserTest {

    @Test
    void fastPathAgreesWithJavaTimeOnRandomInstantsAndOffsets() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            long millis = rnd.nextLong(Instant.parse("2000-01-01T00:00:00Z").toEpochMilli(), Instant.parse("2099-12-31T00:00:00Z").toEpochMilli());
            int offsetMinutes = rnd.nextInt(-14 * 60, 14 * 60 + 1);
            OffsetDateTime t = Instant.ofEpochMilli(millis).atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            String text = t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            assertEquals(millis, TimestampParser.parse(text), text);
            assertEquals(millis, TimestampParser.parseCanonicalIso(text), "fast path: " + text);
        }
    }

    @Test
    void fractionsAreTruncatedToMilliseconds() {
        assertEquals(Instant.parse("2026-01-01T00:00:00.1Z").toEpochMilli(), TimestampParser.parse("2026-01-01T00:00:00.1Z"));
        assertEquals(Instant.parse("2026-01-01T00:00:00.999Z").toEpochMilli(), TimestampParser.parse("2026-01-01T00:00:00.999999Z"));
    }

    @Test
    void slowPathForms() {
        assertEquals(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), TimestampParser.parse("2026-01-01 00:00:00"));
        assertEquals(Instant.parse("2026-01-01T00:00:00.5Z").toEpochMilli(), TimestampParser.parse("2026-01-01 00:00:00.500"));
        assertEquals(Instant.parse("2025-12-31T23:00:00Z").toEpochMilli(), TimestampParser.parse("2026-01-01T00:00+01:00"));
        assertEquals(1764151200000L, TimestampParser.parse(" 1764151200000 "));
    }

    @Test
    void refusals() {
        assertThrows(IllegalArgumentException.class, () -> TimestampParser.parse("2026-01-01T00:00:00"));
        assertThrows(IllegalArgumentException.class, () -> TimestampParser.parse("2026-13-01T00:00:00Z"));
        assertThrows(IllegalArgumentException.class, () -> TimestampParser.parse("2026-01-01T24:00:00Z"));
        assertThrows(IllegalArgumentException.class, () -> TimestampParser.parse("01/02/2026"));
        assertThrows(IllegalArgumentException.class, () -> TimestampParser.parse(""));
        assertThrows(IllegalArgumentException.class, () -> TimestampParser.parse("1234567890123456789"));
    }

    @Test
    void offsetsAsDatabasesAndStrftimeWriteThem() {
        long ten = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
        for (String text : new String[] {"2026-11-26T10:00:00+0000", "2026-11-26T11:00:00+01", "2026-11-26T11:30:00+0130", "2026-11-26 10:00:00+00",
                "2026-11-26 10:00:00Z", "2026-11-26 05:00:00-05:00", "2026-11-26 05:00:00-0500", "2026-11-26T10:00Z", "2026-11-26 10:00:00.000+00:00"}) {
            assertEquals(ten, TimestampParser.parse(text), text);
        }
        assertEquals(ten + 250, TimestampParser.parse("2026-11-26 11:00:00.25+01"));
        assertEquals(ten, TimestampParser.parse("2026-11-26 10:00:00"), "no offset with a space: UTC, as CloudWatch/NAB exports");
        for (String text : new String[] {"2026-11-26T10:00:00+2500", "2026-11-26T10:00:00+010", "2026-11-26 25:00:00+00", "2026-02-30 10:00:00+00",
                "2026-11-26T10:00:00 +00:00"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimestampParser.parse(text), text);
            assertTrue(e.getMessage().contains(text), e.getMessage());
        }
    }

    @Test
    void timesWithoutAnOffsetAreReadInTheConfiguredZoneDaylightSavingIncluded() {
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        assertEquals(Instant.parse("2026-11-26T10:00:00Z").toEpochMilli(), TimestampParser.parse("2026-11-26T10:00:00", java.time.ZoneId.of("UTC")));
        assertEquals(Instant.parse("2026-11-26T09:00:00Z").toEpochMilli(), TimestampParser.parse("2026-11-26T10:00:00", berlin), "CET");
        assertEquals(Instant.parse("2026-07-01T08:00:00.250Z").toEpochMilli(), TimestampParser.parse("2026-07-01 10:00:00.250", berlin), "CEST");
        assertEquals(Instant.parse("2026-10-25T00:30:00Z").toEpochMilli(), TimestampParser.parse("2026-10-25 02:30:00", berlin),
                "the repeated hour: its first occurrence (+02:00)");
        assertEquals(Instant.parse("2026-03-29T01:30:00Z").toEpochMilli(), TimestampParser.parse("2026-03-29T02:30:00", berlin),
                "the skipped hour: moved on by it (03:30 +02:00)");
        assertEquals(Instant.parse("2026-11-26T10:00:00Z").toEpochMilli(), TimestampParser.parse("2026-11-26T10:00:00Z", berlin), "an offset wins");
        assertEquals(Instant.parse("2026-11-26T10:00:00Z").toEpochMilli(), TimestampParser.parse("2026-11-26 11:00:00+01", berlin), "an offset wins");
        assertEquals(1764151200000L, TimestampParser.parse("1764151200000", berlin), "epoch milliseconds are UTC");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimestampParser.parse("2026-02-30T10:00:00", berlin));
        assertTrue(e.getMessage().contains("2026-02-30T10:00:00"), e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> TimestampParser.parse("2026-11-26T10:00:00"));
        assertTrue(none.getMessage().contains("ingest.time-zone"), "the refusal says how to read them: " + none.getMessage());
    }

    @Test
    void impossibleDatesAreRefusedInEveryFormNotMovedToAnotherDay() {
        for (String text : new String[] {"2014-02-30 00:00:00", "2014-02-29 12:00:00", "2014-04-31 00:00:00.000", "2014-02-30T00:00:00Z",
                "2014-02-29T00:00:00+01:00", "2014-06-31T10:00:00.5Z"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimestampParser.parse(text), text);
            assertTrue(e.getMessage().contains(text), e.getMessage());
        }
        // a leap day is a day
        assertEquals(Instant.parse("2016-02-29T12:00:00Z").toEpochMilli(), TimestampParser.parse("2016-02-29 12:00:00"));
        assertEquals(Instant.parse("2016-02-29T12:00:00Z").toEpochMilli(), TimestampParser.parse("2016-02-29T12:00:00Z"));
    }
}
