package dev.perfwatch.bench.micro;

import dev.perfwatch.stats.MannWhitneyU;

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
 * The exact Mann-Whitney test on 12 + 288 values without ties: a 5-minute series' comparison hour
 * against its day, as the regression detector runs it at every evaluation (the null distribution's
 * table for the pair of sizes is built once and cached).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ExactMannWhitneyBenchmark {

    private final double[] baseline = new double[288];
    private final double[] comparison = new double[12];

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < baseline.length; i++) {
            baseline[i] = 100 * Math.exp(0.3 * rnd.nextGaussian());
        }
        for (int i = 0; i < comparison.length; i++) {
            comparison[i] = 130 * Math.exp(0.3 * rnd.nextGaussian());
        }
    }

    @Benchmark
    public double exact12Against288() {
        return MannWhitneyU.of(baseline, comparison, 16).pValue();
    }
}
