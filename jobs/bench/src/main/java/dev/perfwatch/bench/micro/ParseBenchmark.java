package dev.perfwatch.bench.micro;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.MetricParser;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.SourceLine;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Parsing one line into a validated sample, as the sources do (the job's own {@link MetricParser} with
 * the default ingest settings): a JSON line of the documented shape, the same with host, unit and
 * tags, and a CSV row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParseBenchmark {

    private MetricParser parser;
    private SourceLine json;
    private SourceLine jsonWithTags;
    private SourceLine csv;

    @Setup
    public void setUp() {
        PerfwatchConfig config = ConfigLoader.load(null, List.of());
        parser = new MetricParser(ParserSettings.from(config.ingest, null, null));
        json = SourceLine.json("bench", 1,
                "{\"timestamp\":\"2026-11-26T10:15:30.250Z\",\"metric\":\"response_time\",\"component\":\"api\",\"value\":123.45}");
        jsonWithTags = SourceLine.json("bench", 1,
                "{\"timestamp\":\"2026-11-26T10:15:30.250Z\",\"metric\":\"response_time\",\"component\":\"api\",\"value\":123.45,"
                        + "\"host\":\"api-7f9c\",\"unit\":\"ms\",\"tags\":{\"region\":\"eu-west-1\",\"version\":\"2.4.1\"}}");
        csv = new SourceLine("bench.csv", 2, "2026-11-26T10:15:30.250Z,response_time,api,123.45", "timestamp,metric,component,value",
                SourceLine.RECORD);
    }

    @Benchmark
    public MetricSample jsonLine() throws Exception {
        return parser.parse(json);
    }

    @Benchmark
    public MetricSample jsonLineWithHostUnitAndTags() throws Exception {
        return parser.parse(jsonWithTags);
    }

    @Benchmark
    public MetricSample csvRow() throws Exception {
        return parser.parse(csv);
    }
}
