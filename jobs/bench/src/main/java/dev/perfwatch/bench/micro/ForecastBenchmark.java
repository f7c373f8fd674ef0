package dev.perfwatch.bench.micro;

import dev.perfwatch.stats.Forecast;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The forecast's parameter searches as the regression detector runs them (at most hourly per trending
 * series): 354 five-minute interval means (the 29.5 hours a series keeps at one-minute sampling) of a
 * latency with a daily cycle, a slow rise and noise; Holt-Winters with a period of 24 over 96 hourly means.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ForecastBenchmark {

    private double[] means;
    private double[] hourly;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        means = new double[354];
        for (int t = 0; t < means.length; t++) {
            means[t] = 100 + 0.05 * t + 15 * Math.sin(2 * Math.PI * t / 288) + 3 * rnd.nextGaussian();
        }
        hourly = new double[96];
        for (int t = 0; t < hourly.length; t++) {
            hourly[t] = 100 + 0.2 * t + 15 * Math.sin(2 * Math.PI * t / 24) + 3 * rnd.nextGaussian();
        }
    }

    @Benchmark
    public double holtGridSearch() {
        return Forecast.fitHolt(means).sse();
    }

    @Benchmark
    public double holtWintersGridSearch() {
        return Forecast.fitHoltWinters(hourly, 24).sse();
    }
}
