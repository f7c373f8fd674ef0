package dev.perfwatch.io;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.core.fs.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every reader its files as soon as it registers, all at once, so a reader reads them side by
 * side from the start (a reader that got its files one at a time would run ahead in the first one).
 * Files go to readers by their sorted paths, round robin; a bounded source then signals that no more
 * will come. A watching source lists the paths again every discovery interval and hands out the new
 * files the same way.
 */
final class FileLinesEnumerator implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {

    private static final Logger LOG = LoggerFactory.getLogger(FileLinesEnumerator.class);

    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final InputListing listing;
    private final Duration discoveryInterval;
    /** Splits not yet given to a reader, by the reader they are meant for. */
    private final Map<Integer, List<FileSourceSplit>> pending = new HashMap<>();
    private final Set<Path> known;
    private int next;

    FileLinesEnumerator(SplitEnumeratorContext<FileSourceSplit> context, InputListing listing, Duration discoveryInterval,
            Collection<FileSourceSplit> splits, Collection<Path> alreadyProcessed) {
        this.context = context;
        this.listing = listing;
        this.discoveryInterval = discoveryInterval;
        this.known = new HashSet<>(alreadyProcessed);
        add(splits);
    }

    private void add(Collection<FileSourceSplit> splits) {
        List<FileSourceSplit> sorted = new ArrayList<>(splits);
        sorted.sort(Comparator.comparing(s -> s.path().toString()));
        int parallelism = context.currentParallelism();
        for (FileSourceSplit split : sorted) {
            known.add(split.path());
            pending.computeIfAbsent(next++ % parallelism, k -> new ArrayList<>()).add(split);
        }
    }

    @Override
    public void start() {
        if (discoveryInterval != null) {
            long ms = discoveryInterval.toMillis();
            context.callAsync(listing::splits, this::discovered, ms, ms);
        }
    }

    private void discovered(Collection<FileSourceSplit> splits, Throwable error) {
        if (error != null) {
            LOG.error("Failed to list the watched paths", error);
            return;
        }
        List<FileSourceSplit> fresh = new ArrayList<>();
        for (FileSourceSplit s : splits) {
            if (!known.contains(s.path())) {
                fresh.add(s);
            }
        }
        if (!fresh.isEmpty()) {
            add(fresh);
            for (int reader : context.registeredReaders().keySet()) {
                assign(reader);
            }
        }
    }

    private void assign(int reader) {
        List<FileSourceSplit> splits = pending.remove(reader);
        if (splits != null && !splits.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(Map.of(reader, splits)));
        }
        if (discoveryInterval == null) {
            context.signalNoMoreSplits(reader);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assign(subtaskId);
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Readers do not ask: they get their files when they register.
    }

    @Override
    public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
        // A failed reader's files, to the same reader once it registers again.
        pending.computeIfAbsent(subtaskId, k -> new ArrayList<>()).addAll(splits);
    }

    @Override
    public PendingSplitsCheckpoint<FileSourceSplit> snapshotState(long checkpointId) {
        List<FileSourceSplit> all = new ArrayList<>();
        pending.values().forEach(all::addAll);
        return PendingSplitsCheckpoint.fromCollectionSnapshot(all, known);
    }

    @Override
    public void close() {}
}
