package dev.perfwatch.bench;

import dev.perfwatch.stats.ChangePoint;
import dev.perfwatch.stats.EffectSize;
import dev.perfwatch.stats.LinearTrend;
import dev.perfwatch.stats.MannWhitneyU;
import dev.perfwatch.stats.Moments;
import dev.perfwatch.stats.WelchTest;

import java.io.PrintStream;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/** Times the two-sample statistics on n + n values: warm-up first, then the median of repeated runs. */
final class StatsBenchmark {

    private StatsBenchmark() {}

    static void run(int n, long seed, PrintStream out) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] baseline = new double[n];
        double[] comparison = new double[n];
        for (int i = 0; i < n; i++) {
            baseline[i] = Math.round(100 * Math.exp(0.3 * rnd.nextGaussian())); // whole ms: ties
            comparison[i] = Math.round(110 * Math.exp(0.3 * rnd.nextGaussian()));
        }
        double[] series = new double[2 * n];
        System.arraycopy(baseline, 0, series, 0, n);
        System.arraycopy(comparison, 0, series, n, n);
        Moments mb = Moments.of(baseline);
        Moments mc = Moments.of(comparison);
        out.printf("perfwatch stats bench: %,d + %,d values (latencies rounded to whole ms, so with ties)%n", n, n);
        time(out, "Mann-Whitney U (ranks, tie correction)", () -> MannWhitneyU.of(baseline, comparison).pValue());
        time(out, "Welch t-test from raw samples", () -> WelchTest.of(baseline, comparison).pValue());
        time(out, "Welch t-test from moments", () -> WelchTest.fromMoments(mb, mc).pValue());
        time(out, "Cohen's d from raw samples", () -> EffectSize.cohensD(baseline, comparison));
        time(out, "CUSUM change point over both", () -> ChangePoint.of(series).pValue());
        time(out, "linear trend over both", () -> {
            LinearTrend t = new LinearTrend();
            for (int i = 0; i < series.length; i++) {
                t.add(i, series[i]);
            }
            return t.fit().pValue();
        });
    }

    private static void time(PrintStream out, String name, DoubleSupplier work) {
        double sink = 0;
        for (int i = 0; i < 20; i++) {
            sink += work.getAsDouble();
        }
        int runs = 31;
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            sink += work.getAsDouble();
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        out.printf("  %-42s median %8.3f ms  (min %.3f, max %.3f over %d runs)%s%n", name, nanos[runs / 2] / 1e6,
                nanos[0] / 1e6, nanos[runs - 1] / 1e6, runs, Double.isNaN(sink) ? " [NaN]" : "");
    }
}
