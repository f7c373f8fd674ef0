package dev.perfwatch.detect;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.RegressionConfig;
import dev.perfwatch.model.FindingType;
import dev.perfwatch.model.RegressionFinding;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeShapeTest {

    private static final long MINUTE = 60_000;

    @Test
    void durationsAreFittedOnALogScaleOtherMetricsAsTheyAre() {
        assertTrue(ChangeShape.multiplicative("response_time"));
        assertTrue(ChangeShape.multiplicative("database_query_time"));
        assertTrue(ChangeShape.multiplicative("gc_time"));
        assertFalse(ChangeShape.multiplicative("cpu_usage"));
        assertFalse(ChangeShape.multiplicative("queue_depth"));
        assertFalse(ChangeShape.multiplicative("my_custom_metric"));
        assertFalse(ChangeShape.multiplicative(null));
    }

    /**
     * A latency with log-normal noise (its spread grows with its level), one value a minute: a step of 50%
     * or 100%, looked at 30 and 60 minutes after it, is mistaken for a ramp less often on a log scale,
     * where the noise is the same before and after it (fitted as they are, the noisier new level lets a
     * ramp fit the step's edge better than the pooled noise says it should); a doubling over 90 minutes is
     * still typed gradual.
     */
    @Test
    void aLatencyStepWithMultiplicativeNoiseIsMistakenForARampLessOftenOnALogScale() {
        RegressionConfig cfg = ConfigLoader.defaults().regression;
        ChangeShape shape = new ChangeShape(cfg);
        int onLogs = 0;
        int asTheyAre = 0;
        int trials = 0;
        for (double size : new double[] {1.5, 2.0}) {
            for (int rampMinutes : new int[] {1, 10}) {
                for (int after : new int[] {30, 60}) {
                    for (int seed = 0; seed < 100; seed++) {
                        List<Bucket> buckets = change(new Random(seed), cfg, size, rampMinutes, after);
                        onLogs += classify(shape, buckets, "response_time", cfg) == FindingType.GRADUAL ? 1 : 0;
                        asTheyAre += classify(shape, buckets, "custom_latency", cfg) == FindingType.GRADUAL ? 1 : 0;
                        trials++;
                    }
                }
            }
        }
        assertTrue(2 * onLogs < asTheyAre, "steps typed gradual: on logs " + onLogs + ", as they are " + asTheyAre + " of " + trials);
        int ramps = 0;
        for (int seed = 0; seed < 100; seed++) {
            ramps += classify(shape, change(new Random(seed), cfg, 2.0, 90, 30), "response_time", cfg) == FindingType.GRADUAL ? 1 : 0;
        }
        assertTrue(ramps >= 90, "a doubling over 90 minutes typed gradual in " + ramps + " of 100");
    }

    /** 4 hours at 100 ms, a linear change to {@code size} times that over {@code rampMinutes}, then {@code after} minutes there; sigma 0.3. */
    private static List<Bucket> change(Random random, RegressionConfig cfg, double size, int rampMinutes, int after) {
        long interval = cfg.evaluationInterval.toMillis();
        List<Bucket> buckets = new ArrayList<>();
        for (long t = 0; t < (240 + rampMinutes + after) * MINUTE; t += MINUTE) {
            double minutes = t / (double) MINUTE;
            double level = minutes < 240 ? 100 : minutes < 240 + rampMinutes ? 100 * (1 + (size - 1) * (minutes - 240) / rampMinutes) : 100 * size;
            long start = t - Math.floorMod(t, interval);
            if (buckets.isEmpty() || buckets.get(buckets.size() - 1).start != start) {
                buckets.add(new Bucket(start, 25));
            }
            buckets.get(buckets.size() - 1).add(t, level * Math.exp(0.3 * random.nextGaussian() - 0.045), 9);
        }
        buckets.forEach(Bucket::trim);
        return buckets;
    }

    private static FindingType classify(ChangeShape shape, List<Bucket> buckets, String metric, RegressionConfig cfg) {
        int comparison = (int) (cfg.comparisonWindow.toMillis() / cfg.evaluationInterval.toMillis());
        List<Bucket> base = buckets.subList(0, buckets.size() - comparison);
        List<Bucket> comp = buckets.subList(buckets.size() - comparison, buckets.size());
        RegressionFinding f = new RegressionFinding();
        f.metric = metric;
        f.baseline.mean = RegressionEvaluator.merged(base).mean();
        f.comparison.mean = RegressionEvaluator.merged(comp).mean();
        f.comparisonStart = comp.get(0).start;
        // The newest quarter is where the comparison window is (not back): no anomaly.
        shape.classify(f, buckets, base, comp, 1, f.comparison.mean, 1);
        assertEquals(metric, f.metric);
        return f.type;
    }
}
