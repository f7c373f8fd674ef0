package dev.perfwatch.pipeline;

/** Names of the job's accumulators, read back after a bounded run to report what happened. */
public final class Counters {

    private Counters() {}

    public static final String LINES = "perfwatch.lines";
    public static final String SAMPLES = "perfwatch.samples";
    public static final String BLANK_LINES = "perfwatch.blank-lines";
    public static final String DEAD_LETTERS = "perfwatch.dead-letters";
    public static final String LATE = "perfwatch.late";
}
