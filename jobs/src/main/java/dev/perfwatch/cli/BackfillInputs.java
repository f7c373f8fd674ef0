package dev.perfwatch.cli;

import dev.perfwatch.io.InputListing;
import dev.perfwatch.pipeline.TimeRange;

import org.apache.flink.connector.file.src.FileSourceSplit;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a backfill reads: every file under the inputs (as the job would list them), less those
 * whose path says they hold another period ({@code dt=YYYY-MM-DD}, optionally {@code hour=HH} below it).
 */
record BackfillInputs(List<String> files, int pruned, long bytes, long estimatedLines) {

    private static final Pattern DAY = Pattern.compile("(?:^|/)dt=(\\d{4}-\\d{2}-\\d{2})(?:/hour=(\\d{2}))?(?:/|$)");
    private static final long HOUR = 3_600_000L;

    static BackfillInputs select(InputListing inputs, TimeRange range) throws IOException {
        Collection<FileSourceSplit> all = inputs.splits();
        List<FileSourceSplit> kept = new ArrayList<>();
        int pruned = 0;
        long bytes = 0;
        for (FileSourceSplit split : all) {
            if (holdsRange(split.path().toString(), range)) {
                kept.add(split);
                bytes += split.length();
            } else {
                pruned++;
            }
        }
        kept.sort(java.util.Comparator.comparing(s -> s.path().toString()));
        List<String> files = new ArrayList<>();
        kept.forEach(s -> files.add(s.path().toString()));
        return new BackfillInputs(files, pruned, bytes, estimateLines(kept, bytes));
    }

    /**
     * Whether a file may hold samples the range reads: unless its path names its day (and hour), it
     * may, and its records are filtered by event time.
     */
    static boolean holdsRange(String path, TimeRange range) {
        Matcher m = DAY.matcher(path.replace('\\', '/'));
        String day = null;
        String hour = null;
        while (m.find()) { // the innermost dt= of the path
            day = m.group(1);
            hour = m.group(2);
        }
        if (day == null) {
            return true;
        }
        long start;
        try {
            start = LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return true; // not a date after all: read it and let event time decide
        }
        long end = start + 24 * HOUR;
        if (hour != null) {
            start += Integer.parseInt(hour) * HOUR;
            end = start + HOUR;
        }
        return start < range.to() && end > range.readFrom();
    }

    /** Lines in all the files, from the bytes per line of the first 256 KiB of the first file. */
    private static long estimateLines(List<FileSourceSplit> files, long bytes) throws IOException {
        if (files.isEmpty()) {
            return 0;
        }
        org.apache.flink.core.fs.Path first = files.get(0).path();
        byte[] buffer = new byte[256 * 1024];
        int read = 0;
        // Lines per byte of the first file as stored (for a gzip file, per compressed byte read so far).
        long[] stored = {0};
        try (InputStream raw = first.getFileSystem().open(first);
                InputStream counted = new java.io.FilterInputStream(raw) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        stored[0] += Math.max(n, 0);
                        return n;
                    }

                    @Override
                    public int read() throws IOException {
                        int c = super.read();
                        stored[0] += c >= 0 ? 1 : 0;
                        return c;
                    }
                };
                InputStream in = dev.perfwatch.io.LineFormat.decompressed(counted, first.getPath())) {
            int n;
            while (read < buffer.length && (n = in.read(buffer, read, buffer.length - read)) > 0) {
                read += n;
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // a gzip file that is not one, or cut short: the estimate is from what was read; the job reports it
        }
        int lines = 0;
        for (int i = 0; i < read; i++) {
            if (buffer[i] == '\n') {
                lines++;
            }
        }
        return lines == 0 || stored[0] == 0 ? Math.max(1, bytes / 100) : Math.round((double) bytes * lines / stored[0]);
    }

    String describe() {
        return String.format("%,d input files (%,d bytes, about %,d lines)%s", files.size(), bytes, estimatedLines,
                pruned > 0 ? String.format("; %,d files of other days skipped by their dt= path", pruned) : "");
    }
}
