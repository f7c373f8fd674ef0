package dev.perfwatch.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** regression-bench --calibrate: the sequential test's false alarms on unchanged series with a daily cycle. */
class SequentialCalibrationTest {

    @Test
    void falseAlarmsOnUnchangedCyclingSeriesStayBelowTheStatedRate() {
        // A high stated rate (4 a day) so that 30 series x 3 days count enough alarms; the noise is taken
        // one standard error high, so the rate is below the stated one, and not far below.
        double alpha = 4;
        SequentialCalibration.Result r = SequentialCalibration.run(30, 5, 60_000, 3, 300_000, alpha);
        assertEquals(30 * (2 - 6.0 / 24), r.seriesDays(), 1e-9);
        assertTrue(r.perSeriesDay() > alpha / 5 && r.perSeriesDay() < 1.2 * alpha,
                "false alarms per series-day " + r.perSeriesDay() + " against the stated " + alpha);
    }

    @Test
    void falseAlarmsOnAutocorrelatedNoiseStayNearTheStatedRate() {
        // AR(1) noise of 0.8 from one value a minute to the next (about 0.3 between 5-minute means): the
        // residuals' sums vary more than their noise says, and the CUSUM divides by their long-run scale.
        // These 60 series raised 0.54 alarms per series-day with the long-run scale from neighbouring
        // hourly blocks and the first day's trend scale one standard error low (at c1d58cf: more than twice
        // this bound); 0.20 with blocks two apart and the first day's scale as the floor of a young estimate.
        double alpha = 0.25;
        SequentialCalibration.Result r = SequentialCalibration.run(60, 5, 60_000, 3, 300_000, alpha, 0.8);
        assertTrue(r.perSeriesDay() < 1.5 * alpha, "false alarms per series-day " + r.perSeriesDay() + " against the stated " + alpha);
    }

    @Test
    void theFirstDaysScaleAllowsForCorrelationLongerThanAnHour() {
        // AR(1) noise of 0.95 from one value a minute to the next: hourly means vary less than the sums of several
        // hours the CUSUM makes. The first day's scale (an hour's) scaled to the long run of AR(1) residuals:
        // 0.26 alarms per series-day here without it (4767f89), 0.17 with it.
        double alpha = 0.25;
        SequentialCalibration.Result r = SequentialCalibration.run(60, 5, 60_000, 3, 300_000, alpha, 0.95);
        assertTrue(r.perSeriesDay() < 0.21, "false alarms per series-day " + r.perSeriesDay() + " against the stated " + alpha);
    }

    @Test
    void aNoiseCorrelationOfOneIsRefusedWithItsValue() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SequentialCalibration.run(1, 1, 60_000, 2, 300_000, 0.01, 1.0));
        assertTrue(e.getMessage().contains("1.0"), e.getMessage());
    }
}
