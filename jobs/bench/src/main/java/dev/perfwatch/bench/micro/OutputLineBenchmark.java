package dev.perfwatch.bench.micro;

import dev.perfwatch.model.OutputJson;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.OutputLine;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * One window summary as an output line (its JSON text in UTF-8 and a newline), as the file and Kafka sinks get
 * it, with and without its partition's name. A backfill writes one per series and minute, as many as its input.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OutputLineBenchmark {

    private WindowSummary summary;

    @Setup
    public void setUp() {
        summary = new WindowSummary();
        summary.component = "search-api";
        summary.metric = "response_time";
        summary.windowStart = 1_764_151_260_000L;
        summary.windowEnd = summary.windowStart + 60_000;
        summary.count = 60;
        summary.mean = 112.08391666666667;
        summary.stddev = 32.10925556794468;
        summary.min = 53.704;
        summary.max = 192.776;
        summary.p50 = 107.44312393951416;
        summary.p95 = 156.38812831115723;
        summary.p99 = 189.73921489715576;
    }

    @Benchmark
    public byte[] summaryLine() {
        return OutputJson.toJsonLine(summary);
    }

    /** With its partition's name ({@code dt=.../hour=...}), as the sinks get it. */
    @Benchmark
    public OutputLine summaryOutputLine() {
        return OutputLine.of(summary);
    }
}
