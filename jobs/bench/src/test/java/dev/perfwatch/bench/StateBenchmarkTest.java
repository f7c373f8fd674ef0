package dev.perfwatch.bench;

import dev.perfwatch.config.ConfigLoader;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state a series costs at 1-minute sampling, measured as {@code bench --state} measures it: sizes,
 * not times, so the bound is asserted itself.
 */
class StateBenchmarkTest {

    @Test
    void aOneMinuteSeriesKeepsAtMost20KibOfRegressionAndAnomalyStateInACheckpoint() throws Exception {
        StateBenchmark.Figures f = StateBenchmark.measure(ConfigLoader.defaults(), 60_000);
        double checkpointKib = (f.regression() + f.anomaly()) / 1024.0;
        assertTrue(f.regression() > 10 * 1024, "the regression detector holds a day and more of buckets: " + f.regression());
        assertTrue(checkpointKib <= 20, "checkpointed state per series at 1-minute sampling: " + checkpointKib + " KiB");
        // On the heap the same state is objects: more than its serialized form, and counted.
        assertTrue(f.heap() > f.regression() + f.anomaly() && f.heap() < 100 * 1024, "heap per series: " + f.heap());
    }

    @Test
    void aSummaryWindowKeepsAtMostItsValuesAndThenOnlyItsSketch() throws Exception {
        var config = ConfigLoader.defaults();
        for (String shape : StateBenchmark.SHAPES) {
            StateBenchmark.WindowBytes small = StateBenchmark.windowBytes(config, shape, 60);
            // 60 doubles, their count, the exact sums, names, and an empty sketch: more than the sketch of them.
            assertTrue(small.accumulator() >= 60 * 8 && small.accumulator() < 60 * 8 + 200, shape + ": " + small);
            StateBenchmark.WindowBytes large = StateBenchmark.windowBytes(config, shape, 1_000);
            // Beyond EXACT_UP_TO only the sketch holds the values: no 8 bytes a value.
            assertTrue(large.accumulator() < large.sketch() + 200, shape + ": " + large);
        }
    }
}
