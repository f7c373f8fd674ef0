package dev.perfwatch.pipeline;

import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.model.SourceLine;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.List;

/**
 * The sources perfwatch reads lines from. Watermarks are assigned after parsing (the timestamp is
 * inside the line), so the sources themselves emit none.
 */
public final class Inputs {

    private Inputs() {}

    /**
     * Files and directories (recursively; hidden and '_'-prefixed files are skipped). Bounded, or with
     * {@code watchInterval} non-null, watched for new files until cancelled.
     */
    public static DataStream<SourceLine> files(StreamExecutionEnvironment env, List<String> paths,
            LineFormat format, Duration watchInterval) {
        Path[] flinkPaths = paths.stream().map(Path::new).toArray(Path[]::new);
        FileSource.FileSourceBuilder<SourceLine> builder = FileSource.forBulkFileFormat(format, flinkPaths);
        if (watchInterval != null) {
            builder.monitorContinuously(watchInterval);
        }
        return env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "files")
                .uid("source-files").name("read files");
    }

    /** The demo generator's records, in memory. */
    public static DataStream<SourceLine> generator(StreamExecutionEnvironment env, DemoGenerator generator) {
        DataGeneratorSource<SourceLine> source = new DataGeneratorSource<>(
                new LinesOf(generator), generator.count(), RateLimiterStrategy.noOp(),
                TypeInformation.of(SourceLine.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "generator")
                .uid("source-generator").name("generate demo metrics");
    }

    /** Record i of the generator. */
    public static final class LinesOf implements GeneratorFunction<Long, SourceLine> {
        private static final long serialVersionUID = 1L;
        private final DemoGenerator generator;

        public LinesOf(DemoGenerator generator) {
            this.generator = generator;
        }

        @Override
        public SourceLine map(Long index) {
            return generator.line(index);
        }
    }
}
