package dev.perfwatch.pipeline;

/**
 * Names of what the job counts. Each is a Flink metric (group {@value #GROUP}: visible in the web UI
 * and the REST API while a job runs) and an accumulator of the same name prefixed with
 * {@code perfwatch.} (read back when a bounded run ends).
 */
public final class Counters {

    private Counters() {}

    public static final String GROUP = "perfwatch";
    public static final String LINES = "lines";
    public static final String SAMPLES = "samples";
    public static final String BLANK_LINES = "blankLines";
    public static final String DEAD_LETTERS = "deadLetters";
    public static final String LATE = "late";
    /** Control commands read (valid ones; bad ones are dead letters). */
    public static final String COMMANDS = "commands";
    /** Per reason: {@code deadLettersByReason.<reason>}. */
    public static final String DEAD_LETTERS_BY_REASON = "deadLettersByReason";
    /** Records per output kind: {@code output.<kind>}. */
    public static final String OUTPUT = "output";
    /** Regression evaluations that had enough data (a reason when none did). */
    public static final String REGRESSION_EVALUATIONS = "regressionEvaluations";
    /** Series sampled less often than regression detection's longest stride (never evaluated), once each. */
    public static final String REGRESSION_TOO_SPARSE = "regressionTooSparse";
    /** Windows scored after the anomaly scores' cold start. */
    public static final String ANOMALY_SCORED = "anomalyScored";
    /** Samples (and dead letters) outside the event time a backfill reads: counted, not passed on. */
    public static final String OUTSIDE_RANGE = "outsideRange";
    /** Input files read to their end. */
    public static final String FILES_DONE = "filesDone";
    /** Samples read before a backfill's range only to warm the detectors. */
    public static final String WARMUP_SAMPLES = "warmupSamples";
    /** Earliest and latest event time of the accepted samples (accumulators only). */
    public static final String FIRST_EVENT = "firstEvent";
    public static final String LAST_EVENT = "lastEvent";

    /** The accumulator name of a counter. */
    public static String accumulator(String name) {
        return GROUP + "." + name;
    }
}
