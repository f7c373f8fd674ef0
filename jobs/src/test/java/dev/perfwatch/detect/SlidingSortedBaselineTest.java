package dev.perfwatch.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlidingSortedBaselineTest {

    private static final long INTERVAL = 300_000L;

    /** A closed bucket holding these values (as the evaluator reads them: the first k of values). */
    private static Bucket bucket(long start, double... values) {
        Bucket b = new Bucket();
        b.start = start;
        b.values = values;
        b.size = values.length;
        b.count = values.length;
        b.capacity = values.length;
        return b;
    }

    private static double[] reference(List<Bucket> baseline, int k) {
        return baseline.stream()
                .flatMapToDouble(b -> Arrays.stream(b.values, 0, Math.min(k, b.size)))
                .filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    private static double value(SplittableRandom random) {
        // coarse values (many ties), both zeros, now and then NaN
        switch (random.nextInt(40)) {
            case 0: return Double.NaN;
            case 1: return -0.0;
            case 2: return 0.0;
            default: return Math.round(random.nextGaussian() * 20) / 4.0 + 100;
        }
    }

    private static Bucket randomBucket(SplittableRandom random, long start) {
        double[] v = new double[random.nextInt(0, 8)];
        for (int i = 0; i < v.length; i++) {
            v[i] = value(random);
        }
        return bucket(start, v);
    }

    @Test
    void slidingGivesTheSortedValuesOfEveryBaselineAsASortWould() {
        SplittableRandom random = new SplittableRandom(2026);
        SlidingSortedBaseline sliding = new SlidingSortedBaseline();
        List<List<Bucket>> series = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<Bucket> buckets = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                if (random.nextInt(20) != 0) { // gaps: intervals without a sample
                    buckets.add(randomBucket(random, i * INTERVAL));
                }
            }
            series.add(buckets);
        }
        int checked = 0;
        for (int t = 100; t < 400; t++) {
            // mostly one series after another (as in BATCH), sometimes another series or another k in between
            int s = random.nextInt(10) == 0 ? random.nextInt(3) : 0;
            int k = random.nextInt(15) == 0 ? 3 : 5;
            long from = (t - 96) * INTERVAL;
            long to = t * INTERVAL;
            List<Bucket> baseline = new ArrayList<>();
            for (Bucket b : series.get(s)) {
                if (b.start >= from && b.start < to) {
                    baseline.add(b);
                }
            }
            if (random.nextInt(25) == 0 && !baseline.isEmpty()) {
                // a bucket whose values changed since the last evaluation
                Bucket changed = baseline.get(random.nextInt(baseline.size()));
                changed.values = changed.values.clone();
                if (changed.size > 0) {
                    changed.values[0] = value(random);
                }
            }
            double[] got = sliding.sorted("c" + s, "m", baseline, k);
            assertArrayEquals(reference(baseline, k), got, "at t = " + t + ", series " + s + ", k = " + k);
            checked++;
        }
        assertEquals(300, checked);
        // Most evaluations were answered by sliding, so the sliding path is what the assertions checked.
        assertTrue(sliding.updates > 150, "updates " + sliding.updates + ", sorts " + sliding.sorts);
        assertTrue(sliding.sorts > 20, "updates " + sliding.updates + ", sorts " + sliding.sorts);
    }

    @Test
    void anotherSeriesWithTheSameBucketsIsSortedAfresh() {
        SlidingSortedBaseline sliding = new SlidingSortedBaseline();
        List<Bucket> a = List.of(bucket(0, 3, 1), bucket(INTERVAL, 2));
        assertArrayEquals(new double[] {1, 2, 3}, sliding.sorted("c", "a", a, 5));
        List<Bucket> b = List.of(bucket(0, 9, 7), bucket(INTERVAL, 8));
        assertArrayEquals(new double[] {7, 8, 9}, sliding.sorted("c", "b", b, 5));
        assertEquals(2, sliding.sorts);
        assertEquals(0, sliding.updates);
    }

    /** Three series with buckets of their own, a day-like window of 96 buckets sliding by one each time. */
    private static List<List<Bucket>> threeSeries(SplittableRandom random) {
        List<List<Bucket>> series = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<Bucket> buckets = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                buckets.add(randomBucket(random, i * INTERVAL));
            }
            series.add(buckets);
        }
        return series;
    }

    private static List<Bucket> window(List<Bucket> buckets, int t) {
        List<Bucket> out = new ArrayList<>();
        for (Bucket b : buckets) {
            if (b.start >= (t - 96) * INTERVAL && b.start < t * INTERVAL) {
                out.add(b);
            }
        }
        return out;
    }

    @Test
    void seriesEvaluatedInTurnEachSlideTheirOwnBaseline() {
        // Streaming: every series is evaluated at each interval's end, one after another.
        SplittableRandom random = new SplittableRandom(7);
        List<List<Bucket>> series = threeSeries(random);
        SlidingSortedBaseline sliding = new SlidingSortedBaseline();
        for (int t = 100; t < 200; t++) {
            for (int s = 0; s < 3; s++) {
                List<Bucket> baseline = window(series.get(s), t);
                assertArrayEquals(reference(baseline, 5), sliding.sorted("c" + s, "m", baseline, 5), "t = " + t + ", series " + s);
            }
        }
        assertEquals(3, sliding.sorts, "each series sorted once, then slid");
        assertEquals(297, sliding.updates);
        assertEquals(3, sliding.keptSeries());
    }

    @Test
    void theSeriesKeptStayWithinTheBoundAndOneLeftOutIsSortedAfresh() {
        SplittableRandom random = new SplittableRandom(11);
        List<List<Bucket>> series = threeSeries(random);
        // Room for about two series' baselines (each about 96 buckets x 3.5 values, held twice).
        SlidingSortedBaseline sliding = new SlidingSortedBaseline(1_500);
        for (int t = 100; t < 140; t++) {
            for (int s = 0; s < 3; s++) {
                List<Bucket> baseline = window(series.get(s), t);
                assertArrayEquals(reference(baseline, 5), sliding.sorted("c" + s, "m", baseline, 5), "t = " + t + ", series " + s);
                assertTrue(sliding.keptValues() <= 1_500 || sliding.keptSeries() == 1, "kept " + sliding.keptValues());
            }
        }
        // In turn, with room for fewer series than there are, the least recently used is always the next one.
        assertEquals(120, sliding.sorts);
        assertEquals(0, sliding.updates);
        SlidingSortedBaseline roomy = new SlidingSortedBaseline(1_000_000);
        for (int t = 100; t < 140; t++) {
            for (int s = 0; s < 3; s++) {
                roomy.sorted("c" + s, "m", window(series.get(s), t), 5);
            }
        }
        assertEquals(3, roomy.sorts);
    }
}
