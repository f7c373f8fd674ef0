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
        // Five days of half-hourly samples (the baseline counts 5-minute intervals with data): not a history problem.
        List<String> sparse = notes(120);
        assertEquals(1, sparse.size(), sparse.toString());
        assertTrue(sparse.get(0).contains("though the input spans 120.0 h: its series are sampled less often than every"
                + " regression.evaluation-interval (5 min)") && sparse.get(0).contains("--set regression.evaluation-interval=30m"), sparse.get(0));
    }
}
