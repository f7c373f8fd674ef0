package dev.perfwatch.io;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.FileRecords;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads several files side by side: each fetch reads one batch from the open file that is furthest
 * behind in event time (the first opened on a tie, so the order depends on the data alone), so the
 * files of one period advance together. At most {@code maxOpenFiles} are open; the rest wait their
 * turn in the order they were assigned.
 */
final class SideBySideSplitReader<T> implements SplitReader<RecordAndPosition<T>, FileSourceSplit> {

    private final Configuration config;
    private final LineFormat<T> format;
    private final int maxOpenFiles;
    private final ArrayDeque<FileSourceSplit> waiting = new ArrayDeque<>();
    private final LinkedHashMap<String, LineFormat<T>.LineReader> open = new LinkedHashMap<>();

    SideBySideSplitReader(Configuration config, LineFormat<T> format, int maxOpenFiles) {
        this.config = config;
        this.format = format;
        this.maxOpenFiles = maxOpenFiles;
    }

    @Override
    public RecordsWithSplitIds<RecordAndPosition<T>> fetch() throws IOException {
        while (open.size() < maxOpenFiles && !waiting.isEmpty()) {
            FileSourceSplit split = waiting.poll();
            open.put(split.splitId(), split.getReaderPosition().isPresent()
                    ? format.restoreReader(config, split) : format.createReader(config, split));
        }
        String behind = null;
        long reached = Long.MAX_VALUE;
        for (Map.Entry<String, LineFormat<T>.LineReader> e : open.entrySet()) {
            if (behind == null || e.getValue().eventTimeReached() < reached) {
                behind = e.getKey();
                reached = e.getValue().eventTimeReached();
            }
        }
        if (behind == null) {
            return new RecordsBySplits.Builder<RecordAndPosition<T>>().build();
        }
        LineFormat<T>.LineReader reader = open.get(behind);
        BulkFormat.RecordIterator<T> batch = reader.readBatch();
        if (batch == null) {
            reader.close();
            open.remove(behind);
            return FileRecords.finishedSplit(behind);
        }
        return FileRecords.forRecords(behind, batch);
    }

    @Override
    public void handleSplitsChanges(SplitsChange<FileSourceSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("unsupported split change " + change.getClass());
        }
        waiting.addAll(change.splits());
    }

    @Override
    public void wakeUp() {}

    @Override
    public void close() throws Exception {
        Iterator<LineFormat<T>.LineReader> it = open.values().iterator();
        while (it.hasNext()) {
            it.next().close();
            it.remove();
        }
    }
}
