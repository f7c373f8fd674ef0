package dev.perfwatch.bench.micro;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.Direction;
import dev.perfwatch.config.RegressionConfig;
import dev.perfwatch.detect.Bucket;
import dev.perfwatch.detect.RegressionEvaluator;
import dev.perfwatch.suggest.SuggestionCatalogue;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One regression evaluation as the detector makes it at one sample a minute, with the default
 * configuration: the buckets it keeps (29.5 hours of five-minute intervals, five values each) of a
 * latency with a daily cycle and no change, each call the next interval's evaluation over three days
 * (so the sorted baseline slides as it does in a job).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RegressionEvaluationBenchmark {

    private RegressionEvaluator evaluator;
    private List<Bucket> all;
    private int keep;
    private int next;
    private long interval;

    @Setup
    public void setUp() {
        RegressionConfig cfg = ConfigLoader.defaults().regression;
        evaluator = new RegressionEvaluator(cfg, SuggestionCatalogue.bundled());
        interval = cfg.evaluationInterval.toMillis();
        keep = (int) (evaluator.retentionMillis() / interval);
        SplittableRandom rnd = new SplittableRandom(42);
        all = new ArrayList<>();
        long day = 86_400_000L;
        for (long start = 0; start < 3 * day; start += interval) {
            Bucket b = new Bucket(start, evaluator.bucketCapacity());
            for (long t = start; t < start + interval; t += 60_000) {
                double cycle = 1 + 0.1 * Math.sin(2 * Math.PI * t / day);
                b.add(t, Math.round(100 * cycle * Math.exp(0.3 * rnd.nextGaussian())), 12345L);
            }
            b.trim();
            all.add(b);
        }
        next = keep;
    }

    @Benchmark
    public Object evaluate() {
        if (next >= all.size()) {
            next = keep;
        }
        List<Bucket> held = all.subList(next - keep, next);
        long t = all.get(next - 1).start + interval;
        next++;
        return evaluator.evaluate("api", "response_time", Direction.HIGHER_IS_WORSE, t, held);
    }
}
