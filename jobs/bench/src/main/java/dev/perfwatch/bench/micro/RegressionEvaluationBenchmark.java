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
import org.openjdk.jmh.annotations.Param;
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
 * (so the sorted baseline slides as it does in a job). With {@code series} above 1, each call evaluates the
 * next series in turn, as a job evaluates every series at each interval's end: its buckets have left the
 * caches since its last evaluation (what an evaluation costs in a job, against what it costs hot).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RegressionEvaluationBenchmark {

    @Param({"1", "400"})
    public int series;

    private RegressionEvaluator evaluator;
    private List<List<Bucket>> all;
    private int keep;
    private int next;
    private int current;
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
        for (int s = 0; s < series; s++) {
            all.add(new ArrayList<>());
        }
        for (long start = 0; start < 3 * day; start += interval) {
            for (int s = 0; s < series; s++) { // interleaved, as a job allocates them
                Bucket b = new Bucket(start, evaluator.bucketCapacity());
                for (long t = start; t < start + interval; t += 60_000) {
                    double cycle = 1 + 0.1 * Math.sin(2 * Math.PI * (t + s * 600_000L) / day);
                    b.add(t, Math.round(100 * cycle * Math.exp(0.3 * rnd.nextGaussian())), 12345L + s);
                }
                b.trim();
                all.get(s).add(b);
            }
        }
        next = keep;
    }

    @Benchmark
    public Object evaluate() {
        List<Bucket> buckets = all.get(current);
        List<Bucket> held = buckets.subList(next - keep, next);
        long t = buckets.get(next - 1).start + interval;
        Object result = evaluator.evaluate("api-" + current, "response_time", Direction.HIGHER_IS_WORSE, t, held);
        if (++current == series) {
            current = 0;
            next = next + 1 >= buckets.size() ? keep : next + 1;
        }
        return result;
    }
}
