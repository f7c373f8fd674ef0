package dev.perfwatch.cli;

import dev.perfwatch.pipeline.Counters;
import dev.perfwatch.pipeline.OutputKind;

import org.apache.flink.util.TimeUtils;

import java.io.PrintStream;
import java.time.Duration;

/** The progress line of a bounded run over files (monitor, backfill): files and lines read of the estimate, the rate, and the reading time left. */
final class Progress {
    private final int files;
    private final long estimatedLines;
    private final long startNanos;
    private String done;
    private long doneNanos;

    Progress(int files, long estimatedLines, long startNanos) {
        this.files = files;
        this.estimatedLines = estimatedLines;
        this.startNanos = startNanos;
    }

    /** Prints the line for a run's counts, with the time of day. */
    java.util.function.Consumer<RunReport> printer(PrintStream out) {
        return now -> out.println(java.time.LocalTime.now().withNano(0) + "  " + line(now, System.nanoTime()));
    }

    /** The line for a run's counts now. */
    String line(RunReport now, long nowNanos) {
        String line = line(now.count(Counters.FILES_DONE), now.count(Counters.LINES), nowNanos);
        long summaries = now.count(Counters.OUTPUT + "." + OutputKind.SUMMARIES.name);
        return done == null || summaries == 0 ? line : line + String.format(", %,d summaries written", summaries);
    }

    String line(long filesDone, long lines, long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - startNanos) / 1e9);
        double rate = lines / seconds;
        if (filesDone >= files) {
            if (done == null) { // the rate when reading ended, not diluted by the time after
                done = String.format("files %d of %d done, read %,d lines in %.0f s (%,.0f lines/s); detecting and writing",
                        filesDone, files, lines, seconds, rate);
                doneNanos = nowNanos;
            }
            return nowNanos == doneNanos ? done : done + String.format(" for %.0f s", (nowNanos - doneNanos) / 1e9);
        }
        long expected = Math.max(estimatedLines, lines);
        String left = rate > 0 ? ", about " + TimeUtils.formatWithHighestUnit(
                Duration.ofSeconds((long) Math.ceil((expected - lines) / rate))) + " of reading left" : "";
        return String.format("files %d of %d done, read %,d of about %,d lines (%.0f%%), %,.0f lines/s%s", filesDone, files,
                lines, expected, 100.0 * lines / Math.max(1, expected), rate, left);
    }
}
