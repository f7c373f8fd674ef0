package dev.perfwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfwatch.config.ConfigLoader;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The run report's notes say why a detector did nothing, truthfully for the input at hand. */
class RunReportTest {

    private static final long HOUR = 3_600_000L;

    private static List<String> notes(long spanHours) {
        return new RunReport(Map.of("perfwatch.samples", 1_000L, "perfwatch.firstEvent", 0L, "perfwatch.lastEvent", spanHours * HOUR,
                "perfwatch.anomalyScored", 10L), ConfigLoader.defaults(), -1).notes();
    }

    @Test
    void noRegressionEvaluationOverAShortInputAsksForHistoryOverALongOneForDenserSamplesOrSettings() {
        List<String> shortRun = notes(10);
        assertEquals(1, shortRun.size(), shortRun.toString());
        assertTrue(shortRun.get(0).contains("needs regression.min-baseline (1 d) of history") && shortRun.get(0).contains("spans 10.0 h"), shortRun.get(0));
        // Five days without an evaluation: not a history problem, a sampling sparser than the longest stride.
        List<String> sparse = notes(120);
        assertEquals(1, sparse.size(), sparse.toString());
        assertTrue(sparse.get(0).contains("though the input spans 120.0 h: a series is evaluated every regression.evaluation-interval"
                + " (5 min) or, sampled less often, every multiple of it that its samples fill, up to 2 h") && sparse.get(0).contains(
                "--set regression.baseline-window=7d --set regression.min-baseline=7d"), sparse.get(0));
    }

    @Test
    void seriesTooSparseToEvaluateAmongOthersAreCountedAndTheNoteSaysWhatToSet() {
        List<String> notes = new RunReport(Map.of("perfwatch.samples", 1_000L, "perfwatch.firstEvent", 0L, "perfwatch.lastEvent", 120 * HOUR,
                "perfwatch.anomalyScored", 10L, "perfwatch.regressionEvaluations", 500L, "perfwatch.regressionTooSparse", 3L),
                ConfigLoader.defaults(), -1).notes();
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("3 series are sampled less often than every 2 h, the longest interval a series is evaluated over")
                && notes.get(0).contains("--set regression.baseline-window=7d --set regression.min-baseline=7d"), notes.get(0));
        // None of them: no note.
        assertEquals(List.of(), new RunReport(Map.of("perfwatch.samples", 1_000L, "perfwatch.firstEvent", 0L, "perfwatch.lastEvent", 120 * HOUR,
                "perfwatch.anomalyScored", 10L, "perfwatch.regressionEvaluations", 500L), ConfigLoader.defaults(), -1).notes());
    }
}
