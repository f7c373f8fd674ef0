package dev.perfwatch.cli;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.Timestamps;
import dev.perfwatch.pipeline.Counters;
import dev.perfwatch.pipeline.OutputKind;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a run counted (its accumulators: at the end of a bounded run, or while a watched run goes on),
 * with a sentence where a detector could not work, so an empty folder is never left unexplained.
 */
public final class RunReport {

    private final Map<String, Object> counts;
    private final PerfwatchConfig config;
    private final long millis;

    RunReport(Map<String, Object> accumulators, PerfwatchConfig config, long millis) {
        this.counts = accumulators;
        this.config = config;
        this.millis = millis;
    }

    long count(String name) {
        Object v = counts.get(Counters.accumulator(name));
        return v instanceof Number ? ((Number) v).longValue() : 0L;
    }

    long first() {
        Object v = counts.get(Counters.accumulator(Counters.FIRST_EVENT));
        return v instanceof Number ? ((Number) v).longValue() : Long.MAX_VALUE;
    }

    long last() {
        Object v = counts.get(Counters.accumulator(Counters.LAST_EVENT));
        return v instanceof Number ? ((Number) v).longValue() : Long.MIN_VALUE;
    }

    /** One line, for progress while a watched run goes on. */
    String progress() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("files done %,d, lines %,d, samples %,d, dead letters %,d (late %,d)", count(Counters.FILES_DONE),
                count(Counters.LINES),
                count(Counters.SAMPLES), count(Counters.DEAD_LETTERS), count(Counters.LATE)));
        for (OutputKind<?> kind : OutputKind.ALL) {
            if (kind != OutputKind.DEAD_LETTERS) {
                b.append(String.format(", %s %,d", kind.name, count(Counters.OUTPUT + "." + kind.name)));
            }
        }
        if (count(Counters.COMMANDS) > 0) {
            b.append(String.format(", control commands %,d", count(Counters.COMMANDS)));
        }
        if (first() <= last()) {
            b.append(", event time up to ").append(Timestamps.iso(last()));
        }
        return b.toString();
    }

    void print(PrintStream out) {
        out.printf("lines read        %,d (%,d blank)%n", count(Counters.LINES), count(Counters.BLANK_LINES));
        out.printf("samples accepted  %,d%s%n", count(Counters.SAMPLES),
                first() <= last() ? ", event time " + Timestamps.iso(first()) + " to " + Timestamps.iso(last()) : "");
        StringBuilder reasons = new StringBuilder();
        for (DeadLetter.Reason r : DeadLetter.Reason.values()) {
            long n = count(Counters.DEAD_LETTERS_BY_REASON + "." + r.code());
            if (n > 0) {
                reasons.append(reasons.length() == 0 ? " (" : ", ").append(r.code()).append(' ').append(String.format("%,d", n));
            }
        }
        out.printf("dead letters      %,d%s%n", count(Counters.DEAD_LETTERS), reasons.length() == 0 ? "" : reasons + ")");
        StringBuilder written = new StringBuilder();
        for (OutputKind<?> kind : OutputKind.ALL) {
            written.append(written.length() == 0 ? "" : ", ").append(kind.name).append(' ')
                    .append(String.format("%,d", count(Counters.OUTPUT + "." + kind.name)));
        }
        out.printf("written           %s%n", written);
        if (millis >= 0) {
            out.printf("run time          %.1f s%n", millis / 1000.0);
        }
        for (String note : notes()) {
            out.println("note: " + note);
        }
    }

    private static String human(java.time.Duration d) {
        return org.apache.flink.util.TimeUtils.formatWithHighestUnit(d);
    }

    /** The longest interval a sparse series is evaluated over (its stride's). */
    private java.time.Duration longestInterval() {
        return config.regression.evaluationInterval.multipliedBy(dev.perfwatch.detect.RegressionDetector.longestStride(config.regression));
    }

    /** How to lengthen the baseline, as the end of a sentence. */
    private String lengthen() {
        return config.regression.baselineWindow.compareTo(java.time.Duration.ofDays(7)) < 0
                ? " (e.g. --set regression.baseline-window=7d --set regression.min-baseline=7d)."
                : ": regression.baseline-window and regression.min-baseline.";
    }

    /** Why an output may be empty, or what went wrong with the input. */
    java.util.List<String> notes() {
        java.util.List<String> notes = new java.util.ArrayList<>();
        long late = count(Counters.LATE);
        if (late > 0) {
            notes.add(String.format("%,d samples (%.1f%%) came later than event-time.max-out-of-orderness (%s) behind the newest"
                    + " sample of their file and went to dead letters as 'late'. Files are read side by side (up to"
                    + " ingest.max-open-files at once); for historical files that overlap in time, run in batch mode"
                    + " (monitor without --watch or --mode streaming), or raise event-time.max-out-of-orderness.",
                    late, 100.0 * late / Math.max(1, count(Counters.SAMPLES) + late), human(config.eventTime.maxOutOfOrderness)));
        }
        if (count(Counters.SAMPLES) == 0) {
            notes.add("no sample was accepted, so nothing could be summarized or detected"
                    + (count(Counters.DEAD_LETTERS) > 0 ? "; see the dead letters for why" : ""));
            return notes;
        }
        String span = first() <= last() ? String.format("%.1f h", (last() - first()) / 3.6e6) : "no time";
        long sparser = count(Counters.REGRESSION_TOO_SPARSE);
        if (config.regression.enabled && sparser > 0 && count(Counters.REGRESSION_EVALUATIONS) > 0) {
            // Some series evaluated, some never can be: say how many, and what would let them be.
            java.time.Duration longest = longestInterval();
            notes.add(String.format("%,d series %s sampled less often than every %s, the longest interval a series is evaluated over"
                    + " (at least 12 of them in regression.baseline-window, %s), and got no regression evaluation. For such series"
                    + " lengthen the baseline%s", sparser, sparser == 1 ? "is" : "are", human(longest),
                    human(config.regression.baselineWindow), lengthen()));
        }
        if (config.regression.enabled && count(Counters.REGRESSION_EVALUATIONS) == 0) {
            long needed = config.regression.minBaseline.toMillis() + config.regression.comparisonWindow.toMillis();
            if (first() <= last() && last() - first() >= needed) {
                // History enough for a series sampled every interval: the series are sparser than the longest
                // stride (a series is evaluated over longer intervals of its own sampling, up to baseline / 12
                // that divide a day), or too short for their stride's longer comparison window.
                java.time.Duration longest = longestInterval();
                long windows = config.regression.comparisonWindow.toMillis() / config.regression.evaluationInterval.toMillis();
                notes.add("regression detection evaluated no series, though the input spans " + span + ": a series is evaluated"
                        + " every regression.evaluation-interval (" + human(config.regression.evaluationInterval) + ") or, sampled less"
                        + " often, every multiple of it that its samples fill, up to " + human(longest) + " (at least 12 of them in"
                        + " regression.baseline-window, " + human(config.regression.baselineWindow) + "), once it has"
                        + " regression.min-baseline (" + human(config.regression.minBaseline) + ") of history before a comparison window of "
                        + windows + " such intervals. For series sampled less often than every " + human(longest)
                        + " lengthen the baseline" + lengthen());
            } else {
                notes.add("regression detection evaluated no series: a series needs regression.min-baseline ("
                        + human(config.regression.minBaseline) + ") of history before the comparison window ("
                        + human(config.regression.comparisonWindow) + "); the input spans " + span + ".");
            }
        }
        if (count(Counters.ANOMALY_SCORED) == 0) {
            notes.add("anomaly scores raised nothing because no series got past the cold start of alerts.anomaly.cold-start-windows ("
                    + config.alerts.anomaly.coldStartWindows + " windows of " + human(config.windows.summary) + "); the input spans " + span + ".");
        }
        return notes;
    }
}
