package dev.perfwatch.cli;

import dev.perfwatch.pipeline.Counters;

import org.apache.flink.api.common.JobExecutionResult;

import java.io.PrintStream;

/** What a finished bounded run counted. */
final class RunReport {

    final long lines;
    final long samples;
    final long blankLines;
    final long deadLetters;
    final long late;
    final long millis;

    private RunReport(JobExecutionResult r) {
        lines = counter(r, Counters.LINES);
        samples = counter(r, Counters.SAMPLES);
        blankLines = counter(r, Counters.BLANK_LINES);
        deadLetters = counter(r, Counters.DEAD_LETTERS);
        late = counter(r, Counters.LATE);
        millis = r.getNetRuntime();
    }

    /** Null when the job was submitted detached (no results to read). */
    static RunReport of(JobExecutionResult r) {
        return r == null || r.getClass().getSimpleName().startsWith("Detached") ? null : new RunReport(r);
    }

    private static long counter(JobExecutionResult r, String name) {
        Object v = r.getAccumulatorResult(name);
        return v instanceof Number ? ((Number) v).longValue() : 0L;
    }

    void print(PrintStream out) {
        out.printf("lines read        %,d (%,d blank)%n", lines, blankLines);
        out.printf("samples accepted  %,d%n", samples - late);
        out.printf("dead letters      %,d refused + %,d late%n", deadLetters, late);
        out.printf("run time          %.1f s%n", millis / 1000.0);
    }
}
