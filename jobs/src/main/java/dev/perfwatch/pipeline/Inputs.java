package dev.perfwatch.pipeline;

import dev.perfwatch.io.KafkaLines;
import dev.perfwatch.io.LineParser;

import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.io.FileLinesSource;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.MetricParser;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.model.Ingested;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.time.Duration;
import java.util.List;

/** The metric inputs perfwatch reads: files (bounded or watched) and the demo generator. */
public final class Inputs {

    private Inputs() {}

    /**
     * Files and directories (recursively; hidden and '_'-prefixed files are skipped), parsed where they
     * are read. Bounded, or with {@code watchInterval} non-null, watched for new files until cancelled.
     */
    public static MetricInput files(List<String> paths, LineFormat<Ingested> format, Duration watchInterval, int maxOpenFiles) {
        FileLinesSource<Ingested> source = new FileLinesSource<>(paths, format, watchInterval, maxOpenFiles);
        if (watchInterval == null) {
            return new MetricInput("files", "read files", source);
        }
        // Watched: one reader takes every new file (reading them side by side), so event time stays where
        // the data left it until more comes; with several readers one without files would need idleness,
        // and a job that goes idle between files can lose records as late when it resumes.
        return new MetricInput("files", "watch files", source, 1, false);
    }

    /**
     * A Kafka topic of JSON values (one record each), parsed as they are read; watermarks per partition,
     * with idleness (a quiet partition stops holding event time back). With {@code bounded}, reads up
     * to the offsets at start and finishes.
     */
    public static MetricInput kafka(KafkaEndpoint kafka, String topic, LineParser<Ingested> parser, int maxLineBytes) {
        return new MetricInput("kafka", "read kafka " + topic, kafka.source(topic, new KafkaLines<>(parser, maxLineBytes)));
    }

    /** The demo generator's records, in memory, parsed as a file's lines would be. */
    public static MetricInput generator(DemoGenerator generator, ParserSettings settings) {
        DataGeneratorSource<Ingested> source = new DataGeneratorSource<>(
                new Generated(generator, settings), generator.count(), RateLimiterStrategy.noOp(),
                TypeInformation.of(Ingested.class));
        return new MetricInput("generator", "generate demo metrics", source);
    }

    /** Record i of the generator, parsed. */
    public static final class Generated implements GeneratorFunction<Long, Ingested> {
        private static final long serialVersionUID = 1L;
        private final DemoGenerator generator;
        private final ParserSettings settings;
        private transient MetricParser parser;

        public Generated(DemoGenerator generator, ParserSettings settings) {
            this.generator = generator;
            this.settings = settings;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            parser = new MetricParser(settings);
        }

        @Override
        public Ingested map(Long index) {
            return parser.ingest(generator.line(index));
        }
    }
}
