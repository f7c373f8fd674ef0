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

    /**
     * The statistic the levels are set on: a p95 (or p99) over sparse windows is the profile's sample-weighted
     * one; a mean, or a p95 over dense windows, the worst window's. Merged halves give the same.
     */
    @Test
    void theWorstStatisticOnlyWhereAWindowHoldsIt() {
        double[] values = {20, 22, 200, 21, 19};
        MetricWindow sparseP95 = new MetricWindow();
        MetricWindow sparseMean = new MetricWindow();
        MetricWindow denseP99 = new MetricWindow();
        MetricWindow sparseP99 = new MetricWindow();
        MetricWindow first = new MetricWindow();
        MetricWindow second = new MetricWindow();
        for (int i = 0; i < values.length; i++) {
            sparseP95.add(minute(1, values[i]), Statistic.P95);
            sparseMean.add(minute(1, values[i]), Statistic.MEAN);
            denseP99.add(minute(120, values[i]), Statistic.P99);
            sparseP99.add(minute(30, values[i]), Statistic.P99);
            (i < 2 ? first : second).add(minute(1, values[i]), Statistic.P95);
        }
        assertEquals(56.4, sparseP95.worstStat(Direction.HIGHER_IS_WORSE, Statistic.P95), 1e-12);
        assertEquals(56.4, sparseP95.worstStat(Direction.LOWER_IS_WORSE, Statistic.P95), 1e-12);
        assertEquals(100.0, sparseMean.worstStat(Direction.HIGHER_IS_WORSE, Statistic.MEAN)); // the means are half the p95s
        assertEquals(9.5, sparseMean.worstStat(Direction.LOWER_IS_WORSE, Statistic.MEAN));
        assertEquals(200.0, denseP99.worstStat(Direction.HIGHER_IS_WORSE, Statistic.P99));
        assertEquals(56.4, sparseP99.worstStat(Direction.HIGHER_IS_WORSE, Statistic.P99), 1e-12); // 30 values do not make a p99
        first.merge(second);
        assertEquals(56.4, first.worstStat(Direction.HIGHER_IS_WORSE, Statistic.P95), 1e-12);
    }
}
