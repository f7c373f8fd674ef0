package dev.perfwatch.pipeline;

import dev.perfwatch.io.Hash64;
import dev.perfwatch.model.JsonRecord;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

import java.io.IOException;

/** Sinks for the pipeline's outputs: JSON-lines folders, or nowhere. */
public final class Sinks {

    private Sinks() {}

    /**
     * Writes each output kind to {@code dir/<kind>/dt=YYYY-MM-DD/hour=HH/part-*.jsonl} (files finalized
     * at checkpoints and at the end of bounded input). In BATCH mode every record of a kind whose order is
     * not already fixed by the input ({@link Outputs#isInInputOrder}) first goes through a keyed pass-through
     * by the hash of its own JSON text, which BATCH execution sorts: each writer then writes its lines in
     * sorted order, so the same input gives byte-identical files. (The window summaries, one per series and
     * window, come from the window operator in series and time order; sorting them again took about 100 s of
     * a month's 717-s backfill job, jobs/BENCHMARKS.md.)
     */
    public static void toFiles(Outputs outputs, String dir, RuntimeExecutionMode mode) {
        toFiles(outputs, dir, mode, null);
    }

    /**
     * The same for the kinds named in {@code kinds} (null: every kind); the others are consumed without being
     * written. (A batch run keeps a part file open per kind, event hour and writer until its input ends: a run over
     * months of sparse series that needs a few sparse kinds writes only those.)
     */
    public static void toFiles(Outputs outputs, String dir, RuntimeExecutionMode mode, java.util.Set<String> kinds) {
        outputs.forEach(new Outputs.Visitor() {
            @Override
            public <T extends JsonRecord> void visit(OutputKind<T> kind, DataStream<T> stream) {
                if (kinds == null || kinds.contains(kind.name)) {
                    toFolder(stream, dir, kind, mode == RuntimeExecutionMode.BATCH && !outputs.isInInputOrder(kind));
                } else {
                    stream.sinkTo(new DiscardingSink<>()).uid("discard-" + kind.name).name("discard " + kind.name);
                }
            }
        });
    }

    /**
     * Writes the kinds listed in {@code kafka.topics} to their topics, exactly once (each checkpoint
     * commits a transaction; consumers read with {@code isolation.level=read_committed}).
     */
    public static void toKafka(Outputs outputs, KafkaEndpoint kafka) {
        outputs.forEach(new Outputs.Visitor() {
            @Override
            public <T extends JsonRecord> void visit(OutputKind<T> kind, DataStream<T> stream) {
                String topic = kafka.config().topics.get(kind.name);
                if (topic != null) {
                    stream.map(OutputLine::of).returns(OutputLine.class)
                            .uid("kafka-json-" + kind.name).name("json " + kind.name + " for kafka")
                            .sinkTo(kafka.sink(kind.name, topic)).uid("kafka-" + kind.name).name("kafka " + topic);
                }
            }
        });
    }

    /** Consumes every output without writing it (benchmarks). */
    public static void discard(Outputs outputs) {
        outputs.forEach(new Outputs.Visitor() {
            @Override
            public <T extends JsonRecord> void visit(OutputKind<T> kind, DataStream<T> stream) {
                stream.sinkTo(new DiscardingSink<>()).uid("discard-" + kind.name).name("discard " + kind.name);
            }
        });
    }

    static <T extends JsonRecord> void toFolder(DataStream<T> stream, String dir, OutputKind<T> kind, boolean sort) {
        DataStream<OutputLine> lines = stream.map(OutputLine::of).returns(OutputLine.class)
                .uid("json-" + kind.name).name("json " + kind.name);
        if (sort) {
            lines = lines.keyBy(new LineHash(), Types.LONG).process(new Sorted())
                    .uid("sort-" + kind.name).name("sort " + kind.name);
        }
        FileSink<OutputLine> sink = FileSink
                .forBulkFormat(new Path(dir, kind.name), new LineWriter.Factory())
                .withBucketAssigner(new EventTimeBuckets())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
                .build();
        lines.sinkTo(sink).uid("sink-" + kind.name).name("write " + kind.name);
    }

    /**
     * A line's sort key in BATCH mode: the {@link Hash64} of its bytes. A fixed-length key sorts by its
     * first 8 bytes alone, where the line's own text (the key before) shares dozens of leading bytes with
     * its neighbours ({@code {"component":"db","metric":...}) and made the sorter compare byte by byte
     * through its paged memory. Lines with one hash are the same line (or a collision, about
     * n^2 / 2^65 for n lines), so the order is still a function of the lines alone: the same input gives
     * byte-identical files.
     */
    static final class LineHash implements KeySelector<OutputLine, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long getKey(OutputLine line) {
            return Hash64.of(line.line);
        }
    }

    /** Passes lines on; in BATCH mode its input arrives sorted by key, the hash of the line. */
    static final class Sorted extends KeyedProcessFunction<Long, OutputLine, OutputLine> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(OutputLine line, Context ctx, Collector<OutputLine> out) {
            out.collect(line);
        }
    }

    /**
     * Writes the lines as they are (their JSON text and a newline) through a buffer of {@link #BUFFER}
     * bytes. A part file's stream is not buffered (on the local file system each write is a system call),
     * and one write a line was a quarter of the window summaries' task in a backfill (jobs/BENCHMARKS.md).
     * The part files roll at each checkpoint and at the end of the input either way, when Flink flushes and
     * finishes the writer before it commits the file ({@code BulkPartWriter.closeForCommit}), so a file
     * holds the same bytes as when each line was written on its own.
     */
    static final class LineWriter implements BulkWriter<OutputLine> {
        /** Bytes buffered per open part file (one per output kind, hour partition and writer). */
        static final int BUFFER = 8192;

        private final FSDataOutputStream out;
        private final byte[] buffer = new byte[BUFFER];
        private int buffered;

        LineWriter(FSDataOutputStream out) {
            this.out = out;
        }

        @Override
        public void addElement(OutputLine line) throws IOException {
            byte[] bytes = line.line;
            if (bytes.length > BUFFER - buffered) {
                drain();
                if (bytes.length > BUFFER) {
                    out.write(bytes);
                    return;
                }
            }
            System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
            buffered += bytes.length;
        }

        private void drain() throws IOException {
            if (buffered > 0) {
                out.write(buffer, 0, buffered);
                buffered = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        /** Flushes; the stream is Flink's to close. */
        @Override
        public void finish() throws IOException {
            flush();
        }

        static final class Factory implements BulkWriter.Factory<OutputLine> {
            private static final long serialVersionUID = 1L;

            @Override
            public BulkWriter<OutputLine> create(FSDataOutputStream out) {
                return new LineWriter(out);
            }
        }
    }
}
