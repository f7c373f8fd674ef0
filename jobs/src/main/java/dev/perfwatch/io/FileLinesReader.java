package dev.perfwatch.io;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitState;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.io.InputStatus;

import java.util.Map;

/**
 * A reader of {@link FileLinesSource}: one fetcher thread reads the reader's files side by side
 * ({@link SideBySideSplitReader}); Flink's source reader base gives every file its own output, so
 * its own watermark. The position checkpointed per file is "lines consumed".
 */
final class FileLinesReader<T> extends SingleThreadMultiplexSourceReaderBase<
        RecordAndPosition<T>, T, FileSourceSplit, FileSourceSplitState<FileSourceSplit>> {

    FileLinesReader(SourceReaderContext context, LineFormat<T> format, int maxOpenFiles) {
        super(() -> new SideBySideSplitReader<>(context.getConfiguration(), format, maxOpenFiles), new Emitter<>(),
                context.getConfiguration(), context);
    }

    private ReaderOutput<T> wrapped;
    private ReaderOutput<T> wrapper;

    /**
     * A finished file's output is marked idle before Flink releases it. Otherwise the reader's last
     * per-file watermark stays "active" once it has no file left (Flink's multiplexer does not update
     * an empty set of outputs), and in a watched run a reader whose files are done would hold the
     * whole job's event time back while other readers read new files.
     */
    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        if (output != wrapped) {
            wrapped = output;
            wrapper = new IdleOnRelease<>(output);
        }
        return super.pollNext(wrapper);
    }

    /** Delegates everything; marks a split's output idle before releasing it. */
    private static final class IdleOnRelease<T> implements ReaderOutput<T> {
        private final ReaderOutput<T> out;

        IdleOnRelease(ReaderOutput<T> out) {
            this.out = out;
        }

        @Override
        public void collect(T record) {
            out.collect(record);
        }

        @Override
        public void collect(T record, long timestamp) {
            out.collect(record, timestamp);
        }

        @Override
        public void emitWatermark(org.apache.flink.api.common.eventtime.Watermark watermark) {
            out.emitWatermark(watermark);
        }

        @Override
        public void markIdle() {
            out.markIdle();
        }

        @Override
        public void markActive() {
            out.markActive();
        }

        @Override
        public SourceOutput<T> createOutputForSplit(String splitId) {
            return out.createOutputForSplit(splitId);
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
            out.createOutputForSplit(splitId).markIdle(); // the existing output of the split
            out.releaseOutputForSplit(splitId);
        }
    }

    @Override
    protected void onSplitFinished(Map<String, FileSourceSplitState<FileSourceSplit>> finishedSplitIds) {}

    @Override
    protected FileSourceSplitState<FileSourceSplit> initializedState(FileSourceSplit split) {
        return new FileSourceSplitState<>(split);
    }

    @Override
    protected FileSourceSplit toSplitType(String splitId, FileSourceSplitState<FileSourceSplit> state) {
        return state.toFileSourceSplit();
    }

    /** Emits a record and moves its file's checkpointed position past it. */
    private static final class Emitter<T> implements RecordEmitter<RecordAndPosition<T>, T, FileSourceSplitState<FileSourceSplit>> {
        @Override
        public void emitRecord(RecordAndPosition<T> element, SourceOutput<T> output, FileSourceSplitState<FileSourceSplit> state) {
            output.collect(element.getRecord());
            state.setPosition(element.getOffset(), element.getRecordSkipCount());
        }
    }
}
