package dev.perfwatch.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The week-ago reference's hourly means: weighted by count, by overlap, half the span covered, eight days kept. */
class HourlyMeansTest {

    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;

    @Test
    void spansAreMeansOfTheirHoursWeightedByOverlap() {
        HourlyMeans m = new HourlyMeans();
        // hour 0: two buckets (10 values at 1, 30 at 3: mean 2.5); hour 1: 4; hour 2 empty; hour 3: 8 (filling)
        m.add(0, 10, 1);
        m.add(5 * MIN, 30, 3);
        m.add(HOUR, 5, 4);
        m.add(3 * HOUR + 10 * MIN, 5, 8);
        assertEquals(2.5, m.mean(0, HOUR), 1e-12);
        assertEquals((30 * 2.5 + 60 * 4) / 90.0, m.mean(30 * MIN, 2 * HOUR), 1e-6, "half of hour 0, all of hour 1");
        assertEquals((60 * 4 + 60 * 8) / 120.0, m.mean(HOUR, 4 * HOUR), 1e-6, "hour 2 has no data: 2 of 3 hours covered");
        assertTrue(Double.isNaN(m.mean(HOUR + 30 * MIN, 3 * HOUR)), "30 of 90 minutes covered: less than half");
        assertEquals(8, m.mean(3 * HOUR, 4 * HOUR), 1e-12, "the hour filling");
        assertTrue(Double.isNaN(m.mean(4 * HOUR, 5 * HOUR)), "ahead of the newest");
        // a bucket not newer than the newest added is left out
        m.add(3 * HOUR, 100, 1000);
        m.add(2 * HOUR, 100, 1000);
        assertEquals(8, m.mean(3 * HOUR, 4 * HOUR), 1e-12);
        assertTrue(Double.isNaN(m.mean(2 * HOUR, 3 * HOUR)));
    }

    @Test
    void eightDaysAreKeptAndAGapClearsTheHoursItSkipped() {
        HourlyMeans m = new HourlyMeans();
        for (long h = 0; h < 24 * 8; h++) {
            m.add(h * HOUR, 12, h);
        }
        assertEquals(0, m.mean(0, HOUR), 1e-12, "the oldest of eight days");
        m.add(24 * 8 * HOUR, 12, 1000); // a ninth day begins: hour 0 leaves the ring
        assertTrue(Double.isNaN(m.mean(0, HOUR)));
        assertEquals(7 * 24, m.mean(7 * 24 * HOUR, (7 * 24 + 1) * HOUR), 1e-12, "a week before the newest hour");
        // ten days of silence, then one bucket: nothing older is left
        long later = (24 * 18) * HOUR;
        m.add(later, 12, 5);
        for (long h = 24 * 10; h < 24 * 18; h++) {
            assertTrue(Double.isNaN(m.mean(h * HOUR, (h + 1) * HOUR)), "hour " + h);
        }
        assertEquals(5, m.mean(later, later + HOUR), 1e-12);
    }
}
