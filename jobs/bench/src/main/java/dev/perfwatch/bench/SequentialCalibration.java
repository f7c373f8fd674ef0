package dev.perfwatch.bench;

import dev.perfwatch.detect.Bucket;
import dev.perfwatch.detect.SequentialTest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The sequential test's false alarms on series with no change: normal values (level 100, standard
 * deviation 10; independent, or AR(1) noise with correlation phi from one value to the next, the same standard
 * deviation) on a daily cycle of 20%, through {@link SequentialTest} alone (no window test,
 * no gates), restarted after each alarm as the run-length definition does. Counted from 6 hours after
 * the first day-ago reference (the noise estimate's warm-up), against the rate the thresholds are set for.
 */
final class SequentialCalibration {

    static final long DAY = LabelledSeries.DAY;
    private static final double CYCLE = 0.2;

    private SequentialCalibration() {}

    /** Alarms and the series-days they were counted over. */
    record Result(long alarms, double seriesDays) {
        double perSeriesDay() {
            return alarms / seriesDays;
        }
    }

    static Result run(int series, long seed, long spacingMillis, int days, long intervalMillis, double alpha) {
        return run(series, seed, spacingMillis, days, intervalMillis, alpha, 0);
    }

    /** As above, the noise AR(1) with correlation {@code phi} from one value to the next (0: independent values). */
    static Result run(int series, long seed, long spacingMillis, int days, long intervalMillis, double alpha, double phi) {
        if (!(phi > -1 && phi < 1)) {
            throw new IllegalArgumentException("the noise's correlation from one value to the next must lie strictly between -1 and 1, got " + phi);
        }
        double innovation = Math.sqrt(1 - phi * phi);
        SequentialTest test = new SequentialTest(intervalMillis, alpha);
        long alarms = 0;
        for (int i = 0; i < series; i++) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
            double phase = r.nextDouble() * 24;
            List<Bucket> buckets = new ArrayList<>();
            SequentialTest.Cusum c = new SequentialTest.Cusum();
            double noise = r.nextGaussian(); // stationary from the first value
            for (long t = 0; t < days * DAY; t += spacingMillis) {
                long start = t - t % intervalMillis;
                if (buckets.isEmpty() || buckets.get(buckets.size() - 1).start != start) {
                    if (!buckets.isEmpty()) {
                        test.update(c, start, buckets);
                        if (SequentialTest.alarm(c) != null) {
                            alarms++;
                            c.restart();
                        }
                    }
                    buckets.add(new Bucket(start, 64));
                    while (buckets.get(0).start < start - DAY - 6 * LabelledSeries.HOUR) {
                        buckets.remove(0);
                    }
                }
                double level = 100 * (1 + CYCLE * Math.sin(2 * Math.PI * (t / (double) LabelledSeries.HOUR + phase) / 24));
                buckets.get(buckets.size() - 1).add(t, level + 10 * noise, i);
                noise = phi * noise + innovation * r.nextGaussian();
            }
        }
        return new Result(alarms, series * (days - 1 - 6.0 / 24));
    }
}
