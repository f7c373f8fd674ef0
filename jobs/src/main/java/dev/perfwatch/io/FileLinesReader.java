package dev.perfwatch.io;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitState;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

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
