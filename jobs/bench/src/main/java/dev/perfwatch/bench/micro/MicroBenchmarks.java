package dev.perfwatch.bench.micro;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Runs the JMH micro-benchmarks of this package (parsing one line, the statistics) in a forked JVM with
 * JMH's own warm-up and measurement iterations, and prints one line per benchmark: the average time
 * and JMH's 99.9% confidence interval.
 */
public final class MicroBenchmarks {

    private MicroBenchmarks() {}

    /** Which benchmarks: their class's simple name, or all. */
    public enum Suite {
        ALL(".*"), STATISTICS("(StatisticsBenchmark|MomentsBenchmark|ExactMannWhitneyBenchmark|ForecastBenchmark|RegressionEvaluationBenchmark)");

        final String regex;

        Suite(String regex) {
            this.regex = regex;
        }
    }

    public static void run(Suite suite, int sampleSize, PrintStream out) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(MicroBenchmarks.class.getPackageName() + "\\." + suite.regex)
                .param("n", String.valueOf(sampleSize))
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true);
        String home = System.getProperty("perfwatch.home");
        if (home != null) {
            options.jvmArgsAppend("-Dperfwatch.home=" + home);
        }
        out.printf("perfwatch micro-benchmarks (JMH 1.37, 1 fork, 3 x 1 s warm-up, 5 x 1 s measured; %d cores, Java %s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Collection<RunResult> results = new Runner(options.build()).run();
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> a.getParams().getBenchmark().compareTo(b.getParams().getBenchmark()));
        for (RunResult r : sorted) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            String n = "";
            for (String key : r.getParams().getParamsKeys()) {
                String value = r.getParams().getParam(key);
                n += key.equals("n") ? " (n = " + value + " + " + value + ")" : " (" + key + " = " + value + ")";
            }
            var score = r.getPrimaryResult();
            out.printf("  %-62s %12.3f ± %8.3f %s%n", name + n, score.getScore(), score.getScoreError(), score.getScoreUnit());
        }
    }
}
