package dev.perfwatch.analyze;

import dev.perfwatch.config.Direction;
import dev.perfwatch.config.Statistic;
import dev.perfwatch.model.WindowSummary;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricWindowTest {

    private static WindowSummary minute(long count, double p95) {
        WindowSummary w = new WindowSummary();
        w.count = count;
        w.mean = w.p50 = p95 / 2;
        w.p95 = w.p99 = w.max = p95;
        return w;
    }

    /**
     * Five one-minute windows of one sample each (a series scraped every minute, one at 10x its level): their
     * "p95"s are the samples, so the worst is the largest sample; the profile's p95 is their mean. With 30
     * samples a window, the worst window's p95 stands.
     */
    @Test
    void theWorstWindowsP95OnlyWhereAWindowHoldsAP95() {
        MetricWindow sparse = new MetricWindow();
        for (double v : new double[] {20, 22, 200, 21, 19}) {
            sparse.add(minute(1, v), Statistic.P50);
        }
        assertEquals((20 + 22 + 200 + 21 + 19) / 5.0, sparse.worstP95(Direction.HIGHER_IS_WORSE), 1e-12);

        MetricWindow dense = new MetricWindow();
        for (double v : new double[] {20, 22, 200, 21, 19}) {
            dense.add(minute(30, v), Statistic.P50);
        }
        assertEquals(200.0, dense.worstP95(Direction.HIGHER_IS_WORSE));
        assertEquals(19.0, dense.worstP95(Direction.LOWER_IS_WORSE));
    }
}
