package dev.perfwatch.pipeline;

import dev.perfwatch.io.KafkaLines;
import dev.perfwatch.io.LineParser;

import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.io.FileLinesSource;
import dev.perfwatch.io.InputListing;
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
        return files(new InputListing(paths, List.of()), format, watchInterval, maxOpenFiles);
    }

    /** Files as {@code listing} lists them (less the run's own folders inside the inputs). */
    public static MetricInput files(InputListing listing, LineFormat<Ingested> format, Duration watchInterval, int maxOpenFiles) {
        FileLinesSource<Ingested> source = new FileLinesSource<>(listing, format, watchInterval, maxOpenFiles);
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
        return generator(generator, settings, false);
    }

    /**
     * The demo generator's records; {@code interleaved}: each of the p readers reads every p-th record
     * ({@link Generated#record}), so the readers move through event time together, as readers of live
     * partitions or of files side by side do. Flink's generator source hands each reader a contiguous range
     * of indices, and the records are in time order, so without it the second of two readers reads the
     * second half of the time range while the first reads the first half: the keyed operators' watermark
     * is the slower reader's, and everything the faster one sends waits in their state until the slower
     * one is done (at one sample a minute, half the input as pending windows). Interleaved needs each
     * reader to read one range (a reader that finished its range early and took another would go back in
     * time): true of the benchmark's millions of records, not of a demo's few.
     */
    public static MetricInput generator(DemoGenerator generator, ParserSettings settings, boolean interleaved) {
        DataGeneratorSource<Ingested> source = new DataGeneratorSource<>(
                new Generated(generator, settings, interleaved), generator.count(), RateLimiterStrategy.noOp(),
                TypeInformation.of(Ingested.class));
        return new MetricInput("generator", "generate demo metrics", source);
    }

    /** Record i of the generator (interleaved: {@link #record}), parsed. */
    public static final class Generated implements GeneratorFunction<Long, Ingested> {
        private static final long serialVersionUID = 1L;
        private final DemoGenerator generator;
        private final ParserSettings settings;
        private final boolean interleaved;
        private transient MetricParser parser;
        private transient int readers;
        private transient long count;

        public Generated(DemoGenerator generator, ParserSettings settings, boolean interleaved) {
            this.generator = generator;
            this.settings = settings;
            this.interleaved = interleaved;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            parser = new MetricParser(settings);
            readers = interleaved ? readerContext.currentParallelism() : 1;
            count = generator.count();
        }

        @Override
        public Ingested map(Long index) {
            return parser.ingest(generator.line(record(index, count, readers)));
        }

        /**
         * The record that index i reads when {@code count} indices are split among {@code readers} as Flink's
         * generator source splits them (contiguous ranges, the first {@code count % readers} one longer):
         * the j-th index of range k reads record j x readers + k, so range k reads records k, k + readers,
         * k + 2 x readers, ... in order. A bijection on [0, count).
         */
        static long record(long i, long count, int readers) {
            if (readers <= 1) {
                return i;
            }
            long length = count / readers;
            long longer = count % readers; // ranges of length + 1 first
            long k;
            long j;
            if (i < longer * (length + 1)) {
                k = i / (length + 1);
                j = i % (length + 1);
            } else {
                long rest = i - longer * (length + 1);
                k = longer + rest / length;
                j = rest % length;
            }
            return j * readers + k;
        }
    }
}
