package dev.perfwatch.pipeline;

import dev.perfwatch.io.EventTimeBuckets;
import dev.perfwatch.io.JsonLinesEncoder;
import dev.perfwatch.model.JsonRecord;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** Where the pipeline's outputs go: JSON-lines folders under one output directory, or nowhere. */
public final class Sinks {

    public static final String SUMMARIES = "summaries";
    public static final String DEAD_LETTERS = "dead-letters";
    public static final String ALERTS = "alerts";
    public static final String REGRESSIONS = "regressions";

    private Sinks() {}

    /** Writes each output kind to {@code outputDir/<kind>/dt=YYYY-MM-DD/hour=HH/part-*.jsonl}. */
    public static void toFiles(PerfwatchPipeline.Outputs outputs, String outputDir) {
        toFolder(outputs.summaries, outputDir, SUMMARIES);
        toFolder(outputs.deadLetters, outputDir, DEAD_LETTERS);
        toFolder(outputs.alerts, outputDir, ALERTS);
        toFolder(outputs.regressions, outputDir, REGRESSIONS);
    }

    /** Consumes every output without writing it (benchmarks). */
    public static void discard(PerfwatchPipeline.Outputs outputs) {
        outputs.summaries.sinkTo(new DiscardingSink<>()).uid("discard-summaries").name("discard summaries");
        outputs.deadLetters.sinkTo(new DiscardingSink<>()).uid("discard-dead-letters").name("discard dead letters");
        outputs.alerts.sinkTo(new DiscardingSink<>()).uid("discard-alerts").name("discard alerts");
        outputs.regressions.sinkTo(new DiscardingSink<>()).uid("discard-regressions").name("discard regressions");
    }

    static <T extends JsonRecord> void toFolder(DataStream<T> stream, String outputDir, String kind) {
        FileSink<T> sink = FileSink
                .forRowFormat(new Path(outputDir, kind), new JsonLinesEncoder<T>())
                .withBucketAssigner(new EventTimeBuckets<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
                .build();
        stream.sinkTo(sink).uid("sink-" + kind).name("write " + kind);
    }
}
