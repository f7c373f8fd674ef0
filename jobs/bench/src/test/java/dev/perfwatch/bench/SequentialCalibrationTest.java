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
}
