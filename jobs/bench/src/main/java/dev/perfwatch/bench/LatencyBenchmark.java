package dev.perfwatch.bench;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.Ingested;
import dev.perfwatch.model.JsonRecord;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.EmbeddedFlink;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.MetricInput;
import dev.perfwatch.pipeline.OutputKind;
import dev.perfwatch.pipeline.Outputs;
import dev.perfwatch.pipeline.PerfwatchPipeline;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Streaming latency at a fixed input rate: the demo's series fed at {@code rate} records per second (one
 * source reader paced by {@link PacedRateLimiter}), the whole pipeline on, in streaming mode. For each window summary
 * and each alert candidate, the latency beyond the watermark bound is the wall time it reached its sink
 * minus the time the first sample that let it out was due at the source: the first sample with an event
 * time at or past the output's event time plus {@code event-time.max-out-of-orderness} (before it, the
 * watermark holds the output back by design). It arrived when it left the source or, if the source was
 * held back, when the fixed rate had it due (sample i at i / rate seconds after the first), whichever
 * was first: a pipeline that cannot keep up shows it as growing latency, not as a slower source. Event
 * time runs faster than the wall clock (one tick of every series per {@code series / rate} seconds, a
 * tick being --spacing of event time), so a minute's run covers hours of windows and the demo's incidents.
 */
final class LatencyBenchmark {

    private LatencyBenchmark() {}

    /** The first 1 / WARM_UP_SHARE of the input is the warm-up. */
    private static final int WARM_UP_SHARE = 4;

    /** The schedule and the recorded latencies, shared by the harness and the operators (one JVM: the embedded cluster). */
    static final class Probe {
        static volatile long firstNanos;
        static volatile long startMillis;
        static volatile long intervalMillis;
        static volatile long boundMillis;
        static volatile int series;
        static volatile double rate;
        static volatile long lastTick;
        /** Outputs let out by a sample of an earlier tick are the warm-up (JIT, state filling up): not counted. */
        static volatile long firstCountedTick;
        /** Nanos at which the first sample of each tick left the source (0: not yet). */
        static volatile AtomicLongArray emitted = new AtomicLongArray(1);
        static final Latencies SUMMARIES = new Latencies();
        static final Latencies ALERTS = new Latencies();

        /**
         * Nanos (System.nanoTime) at which the first sample with event time >= t arrived, or -1 in the
         * warm-up or past the input's end: when it left the source or, if the source was held back (backpressure), when the
         * fixed rate had it due, whichever is first.
         */
        static long dueNanos(long eventTime) {
            long tick = Math.max(0, Math.floorDiv(eventTime - startMillis + intervalMillis - 1, intervalMillis));
            if (tick > lastTick || tick < firstCountedTick) {
                return -1;
            }
            long scheduled = firstNanos + (long) (tick * series / rate * 1e9);
            long left = emitted.get((int) tick);
            return left == 0 ? scheduled : Math.min(left, scheduled);
        }

        static void record(Latencies into, long eventTime) {
            long due = dueNanos(eventTime + boundMillis);
            if (due >= 0 && firstNanos != 0) {
                into.add(System.nanoTime() - due);
            }
        }
    }

    /** Latencies in nanoseconds, appended from any thread. */
    static final class Latencies {
        private long[] values = new long[1024];
        private int size;

        synchronized void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized long[] sorted() {
            long[] out = Arrays.copyOf(values, size);
            Arrays.sort(out);
            return out;
        }

        synchronized void clear() {
            size = 0;
        }
    }

    /** The generator's record i, parsed; notes the wall time of the first one (the schedule's origin). */
    static final class Timed implements GeneratorFunction<Long, Ingested> {
        private static final long serialVersionUID = 1L;
        private final Inputs.Generated generated;

        Timed(DemoGenerator generator, ParserSettings settings) {
            this.generated = new Inputs.Generated(generator, settings, false);
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            generated.open(readerContext);
        }

        @Override
        public Ingested map(Long index) {
            if (index % Probe.series == 0) {
                long now = System.nanoTime();
                if (index == 0) {
                    Probe.firstNanos = now;
                }
                Probe.emitted.set((int) (index / Probe.series), now);
            }
            return generated.map(index);
        }
    }

    static final class Recorded<T extends JsonRecord> implements MapFunction<T, T> {
        private static final long serialVersionUID = 1L;

        @Override
        public T map(T record) {
            if (record instanceof WindowSummary w) {
                Probe.record(Probe.SUMMARIES, w.windowEnd);
            } else if (record instanceof AlertCandidate a) {
                Probe.record(Probe.ALERTS, a.eventTime);
            }
            return record;
        }
    }

    static void run(PerfwatchConfig config, long seed, double rate, int seconds, Duration spacing, Duration bufferTimeout, int parallelism, PrintStream out)
            throws Exception {
        if (rate < 100 || seconds < 5) {
            throw new IllegalArgumentException("--rate must be at least 100 records/s and --seconds at least 5, got " + rate + " and " + seconds);
        }
        DemoGenerator probe = DemoGenerator.standard(seed);
        long ticks = Math.max(2, (long) (rate * seconds / probe.seriesCount()));
        DemoGenerator generator = new DemoGenerator(seed, Instant.parse("2026-11-26T00:00:00Z"), spacing.multipliedBy(ticks), spacing, 0.001);
        Probe.startMillis = generator.startMillis();
        Probe.intervalMillis = spacing.toMillis();
        Probe.boundMillis = config.eventTime.maxOutOfOrderness.toMillis();
        Probe.series = generator.seriesCount();
        Probe.rate = rate;
        Probe.lastTick = ticks - 1;
        Probe.firstCountedTick = ticks / WARM_UP_SHARE;
        Probe.emitted = new AtomicLongArray((int) Math.min(Integer.MAX_VALUE - 8, ticks));
        Probe.firstNanos = 0;
        Probe.SUMMARIES.clear();
        Probe.ALERTS.clear();
        out.printf("perfwatch bench --latency: %,.0f records/s for %d s (%,d records: %d series x %,d ticks of %s event time, event time %.0fx the wall clock),"
                        + " parallelism %d (one source reader), %d cores, Java %s, watermark bound %s, network buffer timeout %s%n",
                rate, seconds, generator.count(), generator.seriesCount(), ticks, spacing,
                spacing.toMillis() / (generator.seriesCount() / rate * 1000), parallelism, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), config.eventTime.maxOutOfOrderness, bufferTimeout);

        Configuration conf = FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING);
        conf.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, bufferTimeout);
        StreamExecutionEnvironment env = EmbeddedFlink.environment(conf);
        env.setParallelism(parallelism);
        ParserSettings parser = ParserSettings.from(config.ingest, null, null);
        DataGeneratorSource<Ingested> source = new DataGeneratorSource<>(new Timed(generator, parser), generator.count(),
                PacedRateLimiter.perSecond(rate), TypeInformation.of(Ingested.class));
        Outputs outputs = PerfwatchPipeline.build(env, List.of(new MetricInput("generator", "generate demo metrics at a fixed rate", source, 1, false)), config);
        outputs.forEach(new Outputs.Visitor() {
            @Override
            public <T extends JsonRecord> void visit(OutputKind<T> kind, DataStream<T> stream) {
                DataStream<T> s = stream;
                if (kind == OutputKind.SUMMARIES || kind == OutputKind.ALERTS) {
                    s = stream.map(new Recorded<T>()).returns(stream.getType()).uid("latency-" + kind.name).name("latency " + kind.name);
                }
                s.sinkTo(new DiscardingSink<>()).uid("discard-" + kind.name).name("discard " + kind.name);
            }
        });
        long start = System.nanoTime();
        env.execute("perfwatch bench latency");
        double wall = (System.nanoTime() - start) / 1e9;
        out.printf("ran %.1f s for %.1f s of input at the set rate (%,.0f records/s achieved)%n%n", wall, generator.count() / rate, generator.count() / wall);
        out.printf("%-18s %10s %10s %10s %10s %10s   (ms beyond the watermark bound; the first %d%% of the input is the warm-up, not counted)%n",
                "output", "count", "p50", "p90", "p99", "max", 100 / WARM_UP_SHARE);
        print(out, "window summaries", Probe.SUMMARIES.sorted());
        print(out, "alert candidates", Probe.ALERTS.sorted());
    }

    private static void print(PrintStream out, String name, long[] nanos) {
        if (nanos.length == 0) {
            out.printf("%-18s %10d%n", name, 0);
            return;
        }
        out.printf("%-18s %,10d %10.1f %10.1f %10.1f %10.1f%n", name, nanos.length, ms(nanos, 0.5), ms(nanos, 0.9), ms(nanos, 0.99),
                nanos[nanos.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
