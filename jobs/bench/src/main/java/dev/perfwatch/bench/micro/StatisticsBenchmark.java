package dev.perfwatch.bench.micro;

import dev.perfwatch.stats.ChangePoint;
import dev.perfwatch.stats.EffectSize;
import dev.perfwatch.stats.LinearTrend;
import dev.perfwatch.stats.MannWhitneyU;
import dev.perfwatch.stats.Moments;
import dev.perfwatch.stats.WelchTest;

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
 * The two-sample statistics on n + n latencies (log-normal, rounded to whole milliseconds, so with
 * ties), as the detectors and the SQL functions call them (the exact Mann-Whitney test of sparse series:
 * {@link ExactMannWhitneyBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StatisticsBenchmark {

    @Param({"10000"})
    public int n;

    private double[] baseline;
    private double[] comparison;
    private double[] series;
    private Moments mb;
    private Moments mc;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        baseline = new double[n];
        comparison = new double[n];
        for (int i = 0; i < n; i++) {
            baseline[i] = Math.round(100 * Math.exp(0.3 * rnd.nextGaussian()));
            comparison[i] = Math.round(110 * Math.exp(0.3 * rnd.nextGaussian()));
        }
        series = new double[2 * n];
        System.arraycopy(baseline, 0, series, 0, n);
        System.arraycopy(comparison, 0, series, n, n);
        mb = Moments.of(baseline);
        mc = Moments.of(comparison);
    }

    @Benchmark
    public double mannWhitney() {
        return MannWhitneyU.of(baseline, comparison).pValue();
    }

    @Benchmark
    public double welchFromSamples() {
        return WelchTest.of(baseline, comparison).pValue();
    }

    @Benchmark
    public double welchFromMoments() {
        return WelchTest.fromMoments(mb, mc).pValue();
    }

    @Benchmark
    public double cohensD() {
        return EffectSize.cohensD(baseline, comparison);
    }

    @Benchmark
    public double cusumChangePoint() {
        return ChangePoint.of(series).pValue();
    }

    @Benchmark
    public double linearTrend() {
        LinearTrend t = new LinearTrend();
        for (int i = 0; i < series.length; i++) {
            t.add(i, series[i]);
        }
        return t.fit().pValue();
    }
}
