package dev.perfwatch.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The highest and lowest values of the whole hours in the day before a time, against a scan of every value added. */
class HourlyExtremesTest {

    private static final long HOUR = 3_600_000L;

    @Test
    void matchesAScanOfTheValuesOfTheWholeHoursInTheDayBefore() {
        SplittableRandom rnd = new SplittableRandom(3);
        HourlyExtremes e = HourlyExtremes.create();
        int n = 4000;
        long[] times = new long[n];
        double[] values = new double[n];
        long t = 5 * HOUR + 17_000;
        for (int i = 0; i < n; i++) {
            t += rnd.nextLong(1, 40 * 60_000L); // up to 40 minutes apart: some hours hold no value
            if (i % 500 == 499) {
                t += 30 * HOUR;                   // a silence longer than the day held
            }
            times[i] = t;
            values[i] = rnd.nextGaussian();
            e.add(t, values[i]);
            for (long at : new long[] {t, t - rnd.nextLong(0, 30 * HOUR), t + rnd.nextLong(0, 3 * HOUR)}) {
                double high = Double.NaN;
                double low = Double.NaN;
                for (int j = 0; j <= i; j++) {
                    long h = Math.floorDiv(times[j], HOUR);
                    // held: within the day before the newest value; asked: ended by 'at', within the day before it
                    boolean held = h > Math.floorDiv(t, HOUR) - HourlyExtremes.SLOTS;
                    boolean asked = (h + 1) * HOUR <= at && h >= Math.floorDiv(at, HOUR) - HourlyExtremes.HOURS;
                    if (held && asked) {
                        high = Double.isNaN(high) ? values[j] : Math.max(high, values[j]);
                        low = Double.isNaN(low) ? values[j] : Math.min(low, values[j]);
                    }
                }
                assertEquals(high, e.highBefore(at), "high before " + at + " after value " + i);
                assertEquals(low, e.lowBefore(at), "low before " + at + " after value " + i);
            }
        }
    }

    @Test
    void aValueOfAnHourNoLongerHeldIsIgnoredAndNothingIsHeldAtFirst() {
        HourlyExtremes e = HourlyExtremes.create();
        assertTrue(Double.isNaN(e.highBefore(10 * HOUR)));
        e.add(30 * HOUR, 5);
        e.add(3 * HOUR, 100);   // 27 hours before the newest hour: no longer held
        e.add(7 * HOUR, Double.NaN);
        assertTrue(Double.isNaN(e.highBefore(30 * HOUR)), "the newest hour has not ended");
        assertEquals(5, e.highBefore(31 * HOUR));
        e.add(4 * HOUR + 1, -2); // 26 hours before: held, and in the day before 28:00 but not before 29:00
        assertEquals(5, e.highBefore(31 * HOUR));
        assertEquals(-2, e.lowBefore(28 * HOUR));
        assertEquals(5, e.lowBefore(31 * HOUR));
        assertEquals(-2, e.lowBefore(8 * HOUR));
    }

    @Test
    void aLevelIsWithinTheHeldRangeUntilItPassesItByOneWindowsMoveEitherWay() {
        // higher is worse: held 60, warning 85; the trend rises 12 an hour over 5-minute windows (1 a window)
        assertTrue(HourlyExtremes.withinHeld(60, 60.9, 61, 0.05, 12, 5 / 60.0, 1, 85), "within one window's rise");
        assertTrue(!HourlyExtremes.withinHeld(60, 61.2, 61.3, 0.05, 12, 5 / 60.0, 1, 85), "past it");
        assertTrue(HourlyExtremes.withinHeld(60, 61.2, 61.05, 0.05, 12, 5 / 60.0, 1, 85), "the fit less two errors is not past it");
        assertTrue(!HourlyExtremes.withinHeld(90, 80, 80, 0.05, 12, 5 / 60.0, 1, 85), "the held high was past the warning level");
        assertTrue(!HourlyExtremes.withinHeld(Double.NaN, 50, 50, 0.05, 12, 5 / 60.0, 1, 85), "nothing held");
        assertTrue(HourlyExtremes.withinHeld(90, 80, 80, 0.05, 12, 5 / 60.0, 1, Double.NaN), "no warning level");
        // lower is worse (a hit rate): held 0.80, warning 0.70; falling 0.12 an hour
        assertTrue(HourlyExtremes.withinHeld(0.80, 0.795, 0.79, 0.001, -0.12, 5 / 60.0, -1, 0.70), "within one window's fall");
        assertTrue(!HourlyExtremes.withinHeld(0.80, 0.78, 0.78, 0.001, -0.12, 5 / 60.0, -1, 0.70), "past it");
        assertTrue(!HourlyExtremes.withinHeld(0.65, 0.75, 0.75, 0.001, -0.12, 5 / 60.0, -1, 0.70), "the held low was past the warning level");
    }
}
