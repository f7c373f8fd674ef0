package dev.perfwatch.bench.micro;

import dev.perfwatch.stats.ExactMoments;
import dev.perfwatch.stats.Moments;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One window's moments of {@link #perWindow} metric values (CPU-like percentages with three decimals), added and read
 * once: Welford's recurrence ({@link Moments}, arrival-order dependent in the last digits) against the
 * exact sums the windows and buckets keep ({@link ExactMoments}, order-free); and two parts merged.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MomentsBenchmark {

    /** Values in the window (60: one a second in a 1-minute window). */
    @Param({"60"})
    public int perWindow;

    private double[] values;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(7);
        values = new double[perWindow];
        for (int i = 0; i < perWindow; i++) {
            values[i] = Math.round(1000 * (40 + 8 * rnd.nextGaussian())) / 1000.0;
        }
    }

    @Benchmark
    public double welfordWindow() {
        Moments m = new Moments();
        for (double v : values) {
            m.add(v);
        }
        return m.mean() + m.m2();
    }

    @Benchmark
    public double exactWindow() {
        ExactMoments m = new ExactMoments();
        for (double v : values) {
            m.add(v);
        }
        return m.mean() + m.m2();
    }

    /** A window of one value (1-minute sampling in 1-minute windows): what making and reading the moments costs. */
    @Benchmark
    public double welfordOneValue() {
        Moments m = new Moments();
        m.add(values[0]);
        return m.mean() + m.m2();
    }

    @Benchmark
    public double exactOneValue() {
        ExactMoments m = new ExactMoments();
        m.add(values[0]);
        return m.mean() + m.m2();
    }

    @Benchmark
    public double welfordTwoPartsMerged() {
        Moments a = new Moments();
        Moments b = new Moments();
        for (int i = 0; i < values.length; i++) {
            (i % 2 == 0 ? a : b).add(values[i]);
        }
        a.merge(b);
        return a.mean() + a.m2();
    }

    @Benchmark
    public double exactTwoPartsMerged() {
        ExactMoments a = new ExactMoments();
        ExactMoments b = new ExactMoments();
        for (int i = 0; i < values.length; i++) {
            (i % 2 == 0 ? a : b).add(values[i]);
        }
        a.merge(b);
        return a.mean() + a.m2();
    }
}
