package dev.perfwatch.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.PendingSplitsCheckpointSerializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.FlinkRuntimeException;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Files and directories (read recursively as an {@link InputListing} lists them) read line by line
 * with a {@link LineFormat}, bounded or, with a discovery interval, watching for new files.
 *
 * <p>Unlike Flink's FileSource, which reads one file after another per reader, each reader here
 * reads its files side by side (up to {@code maxOpenFiles} at once), always continuing the file that
 * is furthest behind in event time. Every file is a split with its own watermark, so files covering
 * the same period (one per service, say) do not make each other's samples late: a streaming run over
 * them marks late only what is out of order within its own file. Files are given to readers up
 * front, by their sorted paths, round robin, so the same input is read the same way on every run.
 */
public final class FileLinesSource<T> implements Source<T, FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>,
        ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final InputListing listing;
    private final LineFormat<T> format;
    /** Null for a bounded source. */
    private final Duration discoveryInterval;
    private final int maxOpenFiles;

    public FileLinesSource(List<String> paths, LineFormat<T> format, Duration discoveryInterval, int maxOpenFiles) {
        this(new InputListing(paths, List.of()), format, discoveryInterval, maxOpenFiles);
    }

    public FileLinesSource(InputListing listing, LineFormat<T> format, Duration discoveryInterval, int maxOpenFiles) {
        this.listing = listing;
        this.format = format;
        this.discoveryInterval = discoveryInterval;
        this.maxOpenFiles = maxOpenFiles;
    }

    @Override
    public Boundedness getBoundedness() {
        return discoveryInterval == null ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> createEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context) {
        Collection<FileSourceSplit> splits;
        try {
            splits = listing.splits();
        } catch (IOException e) {
            throw new FlinkRuntimeException("cannot list the input files: " + e.getMessage(), e);
        }
        return new FileLinesEnumerator(context, listing, discoveryInterval, splits, List.of());
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> restoreEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context, PendingSplitsCheckpoint<FileSourceSplit> checkpoint) {
        return new FileLinesEnumerator(context, listing, discoveryInterval, checkpoint.getSplits(),
                checkpoint.getAlreadyProcessedPaths());
    }

    @Override
    public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
        return FileSourceSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>> getEnumeratorCheckpointSerializer() {
        return new PendingSplitsCheckpointSerializer<>(FileSourceSplitSerializer.INSTANCE);
    }

    @Override
    public SourceReader<T, FileSourceSplit> createReader(SourceReaderContext context) {
        return new FileLinesReader<>(context, format, maxOpenFiles);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return format.getProducedType();
    }
}
