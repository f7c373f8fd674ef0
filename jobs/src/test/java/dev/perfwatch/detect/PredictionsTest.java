package dev.perfwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The forecast alert over a steady leak: raised once, before the level is reached, and not dropped and raised again. */
class PredictionsTest {

    private static final long MIN = 60_000L;

    @Test
    void aSteadyLeakRaisesOneForecastAlert() {
        PerfwatchConfig c = ConfigLoader.load(null, List.of());
        RegressionEvaluator evaluator = new RegressionEvaluator(c.regression, c.catalogue());
        long interval = c.regression.evaluationInterval.toMillis();
        for (long seed = 1; seed <= 3; seed++) {
            // Memory at 50% for a day, then rising 0.75 points an hour (critical 95: reached 60 hours into the
            // rise), one sample a minute with noise of 1 point: at each evaluation the forecast's crossing is
            // about where the 24 h horizon ends for hours, and each refit moves it either side.
            SplittableRandom rnd = new SplittableRandom(seed);
            Episode e = new Episode();
            e.component = "worker";
            e.metric = "memory_usage";
            List<Bucket> all = new ArrayList<>();
            List<AlertCandidate> raised = new ArrayList<>();
            Predictions.Scratch scratch = new Predictions.Scratch(); // reused across evaluations, as the detector does
            long reached = Long.MAX_VALUE;
            for (long t = 0; t < 4 * 24 * 60 * MIN; t += MIN) {
                long start = t - t % interval;
                if (all.isEmpty() || all.get(all.size() - 1).start != start) {
                    if (!all.isEmpty()) {
                        all.get(all.size() - 1).trim();
                        long now = start;
                        List<Bucket> held = all.stream().filter(b -> b.start >= now - evaluator.retentionMillis()).toList();
                        AlertCandidate a = Predictions.next(e, BucketIndex.of(held).view(held, 0, held.size()), now, c.levels(), c.regression, scratch);
                        if (a != null) {
                            raised.add(a);
                        }
                    }
                    all.add(new Bucket(start, evaluator.bucketCapacity()));
                }
                double hours = Math.max(0, t - 24 * 60 * MIN) / (60.0 * MIN);
                double level = 50 + 0.75 * hours;
                if (level >= 95 && reached == Long.MAX_VALUE) {
                    reached = t;
                }
                all.get(all.size() - 1).add(t, Math.min(100, level + rnd.nextGaussian()), 42 + t);
            }
            long firing = raised.stream().filter(a -> a.status == AlertStatus.FIRING).count();
            long cleared = raised.stream().filter(a -> a.status == AlertStatus.CLEARED).count();
            assertEquals(1, firing, "seed " + seed + ": " + raised);
            assertEquals(0, cleared, "seed " + seed + ": the leak goes on, the alert stays: " + raised);
            AlertCandidate first = raised.get(0);
            assertTrue(first.eventTime < reached, "seed " + seed + ": predicted at " + first.eventTime / 3.6e6 + " h, the level reached at " + reached / 3.6e6 + " h");
            // What a notification says: when, not the forecast's value read as a measurement.
            String summary = first.evidence.text("summary");
            assertTrue(summary.matches("worker/memory_usage forecast \\(holt[a-z-]*\\) to reach its critical level 95 in [0-9.]+ h \\([0-9T:-]+Z\\)"
                    + "(, possibly in [0-9.]+ h)?; now [0-9.]+"), summary);
            double hoursToBreach = Double.parseDouble(summary.replaceAll(".* in ([0-9.]+) h \\(.*", "$1"));
            assertEquals(first.evidence.number("hours_to_breach"), hoursToBreach, 0.0501, summary);
        }
    }
}
