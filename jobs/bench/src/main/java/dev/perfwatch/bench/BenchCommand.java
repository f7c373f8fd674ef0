package dev.perfwatch.bench;

import dev.perfwatch.bench.micro.MicroBenchmarks;
import dev.perfwatch.cli.CommonOptions;
import dev.perfwatch.cli.MonitorCommand;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.pipeline.EmbeddedFlink;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.MetricInput;
import dev.perfwatch.pipeline.PerfwatchPipeline;
import dev.perfwatch.pipeline.Sinks;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure throughput: a pass-through job against the pipeline, on generated records.",
            "Generates N records in memory and runs on an embedded Flink, one after the other, a pass-through job (the source, which parses, into a discarding sink) and the pipeline as it",
            "stands (discarding its outputs). Prints records/s of each and their ratio, from the same run,",
            "so the figures compare even on a noisy machine."})
public class BenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = {"-n", "--records"}, paramLabel = "N", defaultValue = "5000000",
            description = "Records to generate for each job (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "SEED", description = "Generator seed, for the throughput jobs and --latency (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--spacing", paramLabel = "DURATION", defaultValue = "1s",
            description = "Spacing of one series' samples (default: ${DEFAULT-VALUE}; 10s, 1m, 5m: the shapes users have, few samples a window).")
    String spacing;

    @Option(names = "--stats", description = "Instead, run the JMH micro-benchmarks of the statistics (two samples of --sample-size values each), the forecast's parameter searches and one regression evaluation.")
    boolean stats;

    @Option(names = "--micro", description = "Instead, run every JMH micro-benchmark: parsing one line (JSON, JSON with host, unit and tags, CSV), writing a window summary as an output line, the statistics, the forecast's parameter searches and one regression evaluation.")
    boolean micro;

    @Option(names = "--state", description = "Instead, print the keyed state per series of the regression detector and the anomaly scores after 3 days of one series sampled every 1 s, 10 s, 1 min and 5 min: in a checkpoint of each operator's keyed state (as RocksDB stores it) and as objects on the heap (the hashmap backend).")
    boolean state;

    @Option(names = "--backfill", description = "Instead, time 'backfill' over --series series x --days days at 1-minute spacing (JSON-lines files by day): "
            + "by default a month of a thousand series, 43.2 million records (about 4.5 GB of files and about 10 minutes on 2 cores); --quick for one day.")
    boolean backfill;

    @Option(names = "--quick", description = "For --backfill: one day (1.44 million records with 1,000 series), unless --days says otherwise.")
    boolean quick;

    @Option(names = "--latency", description = "Instead, measure streaming latency at a fixed input rate (--rate, --seconds, --spacing): p50/p90/p99 from the sample that lets "
            + "a window summary or an alert out (the first past its event time plus the watermark bound) to the output, in a streaming job with every stage on.")
    boolean latency;

    @Option(names = "--rate", defaultValue = "50000", paramLabel = "RECORDS_PER_S", description = "Input rate for --latency (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "SECONDS", description = "How long --latency feeds input (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--buffer-timeout", paramLabel = "DURATION",
            description = "For --latency: Flink's execution.buffer-timeout, how long a network buffer may wait to fill before it is sent "
                    + "(default: the configuration's output.buffer-timeout, 25ms; Flink's own is 100ms).")
    String bufferTimeout;

    @Option(names = "--series", defaultValue = "1000", paramLabel = "N", description = "Series for --backfill (default: ${DEFAULT-VALUE}).")
    int series;

    @Option(names = "--days", paramLabel = "DAYS", description = "Days for --backfill (default: 30, or 1 with --quick).")
    Integer days;

    @Option(names = "--stages", description = "Also run each stage alone on the same input: window summaries and threshold rules, then those with one more stage on "
            + "(alert patterns: CEP and trend, anomaly scores, regression detection, bottlenecks/health/suggestions, alert lifecycle and notifications); disabled patterns "
            + "are left out of the graph, the other stages idle in it.")
    boolean stages;

    @Option(names = "--rounds", defaultValue = "1", paramLabel = "N",
            description = "Run the pass-through and the pipeline N times each, alternately, after the warm-up runs, and print each round's ratio and their median "
                    + "(default: ${DEFAULT-VALUE}; on a shared machine whose speed drifts, 3 or 5 give a ratio that one slow moment does not decide). "
                    + "With --fork: the measured runs in each JVM.")
    int rounds;

    @Option(names = "--fork", paramLabel = "PAIRS",
            description = "Instead of running both jobs in this JVM, run each in JVMs of its own: PAIRS pairs (a pass-through JVM, then a pipeline JVM), each JVM "
                    + "running its one job --warm-ups times and then --rounds times measured, and print the ratio of the measured medians per pair and over the pairs. "
                    + "A long-running job has a JVM to itself, compiled for it alone; in one JVM the two jobs' code shares the JIT's profiles and each "
                    + "run recompiles some of the other's (jobs/BENCHMARKS.md).")
    Integer fork;

    @Option(names = "--warm-ups", defaultValue = "3", paramLabel = "N",
            description = "With --fork: unmeasured runs of the job before the measured ones, in each JVM (default: ${DEFAULT-VALUE}).")
    int warmUps;

    @Option(names = "--job", paramLabel = "JOB",
            description = "Run only this job, pass-through or pipeline, --warm-ups then --rounds times, and end with its median (what --fork runs in each JVM; "
                    + "to profile one job alone, e.g. with a flight recording in PERFWATCH_JAVA_OPTS).")
    String job;

    @Spec
    CommandSpec spec;

    @Option(names = "--sample-size", defaultValue = "10000", paramLabel = "N", description = "Values per sample for --stats (default: ${DEFAULT-VALUE}).")
    int sampleSize;

    @Override
    public Integer call() throws Exception {
        if ((fork != null || job != null) && (stats || micro || backfill || state || latency || stages)) {
            throw new IllegalArgumentException((job != null ? "--job" : "--fork") + " measures the pass-through and the pipeline; it does not combine with "
                    + (stats ? "--stats" : micro ? "--micro" : backfill ? "--backfill" : state ? "--state" : latency ? "--latency" : "--stages"));
        }
        if (stats || micro) {
            MicroBenchmarks.run(micro ? MicroBenchmarks.Suite.ALL : MicroBenchmarks.Suite.STATISTICS, sampleSize, System.out);
            return 0;
        }
        if (backfill) {
            int d = days != null ? days : quick ? 1 : 30;
            if (series < 1 || d < 1) {
                throw new IllegalArgumentException("--series and --days must be at least 1, got " + series + " and " + d);
            }
            BackfillBenchmark.run(series, d, parallelism(), common.load(List.of()), System.out);
            return 0;
        }
        if (state) {
            StateBenchmark.run(common.load(List.of()), System.out);
            return 0;
        }
        if (latency) {
            PerfwatchConfig config = common.load(List.of());
            LatencyBenchmark.run(config, seed, rate, seconds, spacing(), bufferTimeout == null ? config.output.bufferTimeout
                    : MonitorCommand.durationOption("--buffer-timeout", bufferTimeout), parallelism(), System.out);
            return 0;
        }
        if (records < 1000) {
            throw new IllegalArgumentException("--records must be at least 1000, got " + records);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        if (fork != null && fork < 1) {
            throw new IllegalArgumentException("--fork must be at least 1 pair, got " + fork);
        }
        if (warmUps < 0) {
            throw new IllegalArgumentException("--warm-ups must be at least 0, got " + warmUps);
        }
        if (job != null && !job.equals(PASS_THROUGH) && !job.equals(PIPELINE)) {
            throw new IllegalArgumentException("--job must be " + PASS_THROUGH + " or " + PIPELINE + ", got '" + job + "'");
        }
        PerfwatchConfig config = common.load(List.of());
        DemoGenerator probe = DemoGenerator.standard(seed);
        long ticks = Math.max(1, records / probe.seriesCount());
        Duration step = spacing();
        DemoGenerator generator = new DemoGenerator(seed, Instant.parse("2026-11-26T00:00:00Z"),
                step.multipliedBy(ticks), step, 0.001);
        long n = generator.count();
        System.out.printf("perfwatch bench: %,d records (%d series x %,d ticks, one every %s), parallelism %d, %d cores, Java %s, heap %,d MB%n",
                n, generator.seriesCount(), ticks, spacing, parallelism(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);

        ParserSettings parser = ParserSettings.from(config.ingest, null, null);
        Graph passThroughGraph = env -> {
            MetricInput input = Inputs.generator(generator, parser, true);
            env.fromSource(input.source(), WatermarkStrategy.noWatermarks(), input.name()).uid("source-generator")
                    .sinkTo(new DiscardingSink<>()).uid("discard-records").name("discard records");
        };
        // The (series, window) pairs that hold a sample: each window where a series is sampled more often than its
        // windows, else each sample (sampled every 5 minutes, four 1-minute windows of five are empty).
        long window = config.windows.summary.toMillis();
        long seriesWindows = generator.seriesCount() * (step.toMillis() >= window ? ticks : Math.max(1, step.multipliedBy(ticks).toMillis() / window));
        if (job != null) {
            boolean pass = job.equals(PASS_THROUGH);
            double[] measured = new double[rounds];
            for (int r = -warmUps; r < rounds; r++) {
                String name = (r < 0 ? "(warm-up " + (r + warmUps + 1) + ")" : "run " + (r + 1)) + " " + job;
                double perSecond = pass ? run(name, n, 0, 0, passThroughGraph, config)
                        : run(name, n, seriesWindows, 0, pipelineGraph(generator, parser, config), config);
                if (r >= 0) {
                    measured[r] = perSecond;
                }
            }
            double[] sorted = measured.clone();
            Arrays.sort(sorted);
            // (every digit: the parent prints the pair from it, rounded once as the run lines are, not rounded twice)
            System.out.printf(Locale.ROOT, "%s %s records/s, %s over %d measured run(s)%n", MEDIAN_LINE, median(sorted), job, rounds);
            return 0;
        }
        if (fork != null) {
            return forked(n, seriesWindows);
        }
        // A first pass-through warms the JVM (class loading, JIT), which would otherwise count against the first job only.
        run("(warm-up pass-through)", n, 0, 0, passThroughGraph, config);
        double passThrough = run("pass-through", n, 0, 0, passThroughGraph, config);
        System.out.printf("%-24s %,12.0f records/s per core: Nexmark's pass-through query (q0) on Flink 2.x, the reference for what Flink itself does%n",
                "(reference)", NEXMARK_PASS_THROUGH_PER_CORE);
        // The pipeline's own code is compiled while it first runs (on 2 cores the C2 compiler takes a core for
        // tens of seconds): a first run warms it, as the first pass-through warms the source, so the ratio
        // compares the two at their steady pace. The cold run is printed too.
        run("(cold pipeline)", n, seriesWindows, passThrough, pipelineGraph(generator, parser, config), config);
        double pipeline = run("pipeline", n, seriesWindows, passThrough, pipelineGraph(generator, parser, config), config);
        double[] ratios = new double[rounds];
        ratios[0] = pipeline / passThrough;
        for (int r = 1; r < rounds; r++) {
            // Alternately, so a drift in the machine's speed touches both jobs of a round alike.
            double roundPassThrough = run("pass-through, round " + (r + 1), n, 0, 0, passThroughGraph, config);
            double roundPipeline = run("pipeline, round " + (r + 1), n, seriesWindows, roundPassThrough, pipelineGraph(generator, parser, config), config);
            ratios[r] = roundPipeline / roundPassThrough;
        }
        String stagesOn = "(stages: parse in the source, watermarks, ingest gate, window summaries, threshold rules, alert patterns, anomaly scores, "
                + "regression detection, bottlenecks, health, suggestions, alert lifecycle, notifications)";
        if (rounds == 1) {
            System.out.printf("%nratio pipeline / pass-through: %.2f  %s%n", ratios[0], stagesOn);
        } else {
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            System.out.printf("%nratio pipeline / pass-through: %.2f, the median of %d rounds (%s)  %s%n", median(sorted), rounds,
                    Arrays.stream(ratios).mapToObj(x -> String.format("%.2f", x)).collect(Collectors.joining(", ")), stagesOn);
        }
        System.out.println("(both jobs in one JVM, where each makes the JIT compile some shared code again for the other; "
                + "--fork PAIRS measures each warm in a JVM of its own, as a job that runs for days has it)");
        if (stages) {
            System.out.printf("%neach stage alone (window summaries and threshold rules always; disabled patterns are left out of the graph, the other stages"
                    + " idle in it: their operators still receive their input):%n");
            for (Stage stage : Stage.values()) {
                List<String> sets = new java.util.ArrayList<>();
                for (Stage other : Stage.values()) {
                    if (other != stage) {
                        sets.addAll(other.off);
                    }
                }
                PerfwatchConfig alone = common.load(sets);
                run(stage.label, n, seriesWindows, passThrough, pipelineGraph(generator, parser, alone), alone);
            }
        }
        return 0;
    }

    static final String PASS_THROUGH = "pass-through";
    static final String PIPELINE = "pipeline";
    /** The last line of a --job run (a --fork child): this, then its median records/s (parsed by the parent). */
    static final String MEDIAN_LINE = "median:";

    /**
     * --fork: each job in JVMs of its own (this JVM's java, options and class path, with --job), pairs in turn so a
     * drift in the machine's speed touches both jobs of a pair alike; the children's lines are echoed as they come.
     */
    private int forked(long n, long seriesWindows) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(dev.perfwatch.Perfwatch.class.getName());
        List<String> args = spec.commandLine().getParseResult().originalArgs(); // "bench" and its options, as given
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--fork")) {
                i++; // and its value
            } else if (!a.startsWith("--fork=")) {
                command.add(a);
            }
        }
        System.out.printf("each job in JVMs of its own: %d pair(s), each JVM %d warm-up run(s) and %d measured (the median counts)%n", fork, warmUps, rounds);
        double[] ratios = new double[fork];
        for (int pair = 0; pair < fork; pair++) {
            double passThrough = child(command, PASS_THROUGH, pair + 1);
            double pipeline = child(command, PIPELINE, pair + 1);
            ratios[pair] = pipeline / passThrough;
            System.out.printf("pair %d: pass-through %,.0f records/s (%,.0f per core), pipeline %,.0f records/s, %,.1f core-us per series-window: ratio %.2f%n",
                    pair + 1, passThrough, passThrough / cores(), pipeline, coreMicros(n / pipeline, seriesWindows), ratios[pair]);
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        System.out.printf("%nratio pipeline / pass-through, each job warm in a JVM of its own: %.2f, the median of %d pair(s) (%s)%n", median(sorted), fork,
                Arrays.stream(ratios).mapToObj(x -> String.format("%.2f", x)).collect(Collectors.joining(", ")));
        return 0;
    }

    /** Runs one --fork child for the job; returns its median records/s. */
    private static double child(List<String> command, String job, int pair) throws Exception {
        List<String> c = new ArrayList<>(command);
        c.add("--job");
        c.add(job);
        Process process = new ProcessBuilder(c).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        double median = Double.NaN;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(MEDIAN_LINE + " ")) {
                    median = Double.parseDouble(line.split(" ")[1]);
                } else if (!line.startsWith("perfwatch bench:")) {
                    System.out.println("  [" + job + ", JVM " + pair + "] " + line);
                }
            }
        }
        int rc = process.waitFor();
        if (rc != 0 || Double.isNaN(median)) {
            throw new IllegalStateException("the " + job + " JVM of pair " + pair + " failed (exit code " + rc + "; its errors are above)");
        }
        return median;
    }

    /** The pipeline as configured over the generated records, its outputs discarded. */
    private static Graph pipelineGraph(DemoGenerator generator, ParserSettings parser, PerfwatchConfig config) {
        return env -> Sinks.discard(PerfwatchPipeline.build(env, List.of(Inputs.generator(generator, parser, true)), config));
    }

    /** The median of sorted values (the mean of the middle two of an even count). */
    static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /** The stages that can be turned off, each with the settings that do it. */
    private enum Stage {
        BASE("summaries + thresholds", List.of()),
        PATTERNS("+ alert patterns", List.of("alerts.patterns.consecutive-breaches.enabled=false", "alerts.patterns.correlated-saturation.enabled=false",
                "alerts.patterns.memory-leak.enabled=false", "alerts.patterns.queue-backlog.enabled=false", "alerts.patterns.flapping.enabled=false")),
        ANOMALY("+ anomaly scores", List.of("alerts.anomaly.enabled=false")),
        REGRESSION("+ regression", List.of("regression.enabled=false")),
        ANALYSIS("+ bottlenecks etc.", List.of("analysis.enabled=false")),
        LIFECYCLE("+ lifecycle", List.of("lifecycle.enabled=false", "notifications.enabled=false"));

        final String label;
        final List<String> off;

        Stage(String label, List<String> off) {
            this.label = label;
            this.off = off;
        }
    }

    private Duration spacing() {
        return MonitorCommand.durationOption("--spacing", spacing);
    }

    /** Nexmark's pass-through query per core on Flink 2.x (about 380K events/s/core), printed beside ours. */
    static final double NEXMARK_PASS_THROUGH_PER_CORE = 380_000;

    /** The figures in BENCHMARKS.md are at parallelism 2 unless -p says otherwise. */
    private int parallelism() {
        return common.parallelism == null ? 2 : common.parallelism;
    }

    /** The cores a job uses: its parallelism, at most the machine's. */
    private int cores() {
        return Math.min(parallelism(), Runtime.getRuntime().availableProcessors());
    }

    /** Core-microseconds per series-window of a job that took {@code seconds} (wall time x cores used, over the series-windows). */
    private double coreMicros(double seconds, long seriesWindows) {
        return seconds * cores() * 1e6 / seriesWindows;
    }

    private interface Graph {
        void build(StreamExecutionEnvironment env);
    }

    /**
     * Runs one job over the n records; prints records/s, per core, and (for jobs with windows) the ratio to
     * the pass-through and the cost of a series-window in core-microseconds (wall time x cores used, over
     * the series-windows the input makes).
     */
    private double run(String name, long n, long seriesWindows, double passThrough, Graph graph, PerfwatchConfig config) throws Exception {
        Configuration conf = FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING);
        conf.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        StreamExecutionEnvironment env = EmbeddedFlink.environment(conf);
        env.setParallelism(parallelism());
        graph.build(env);
        long start = System.nanoTime();
        env.execute("perfwatch bench " + name);
        double seconds = (System.nanoTime() - start) / 1e9;
        double perSecond = n / seconds;
        System.out.printf("%-24s %,12.0f records/s  (%,.0f per core)  %.1f s", name, perSecond, perSecond / cores(), seconds);
        if (seriesWindows > 0) {
            if (passThrough > 0) {
                System.out.printf("  ratio %.2f", perSecond / passThrough);
            }
            System.out.printf("  %,.1f core-us per series-window", coreMicros(seconds, seriesWindows));
        }
        System.out.println();
        return perSecond;
    }
}
