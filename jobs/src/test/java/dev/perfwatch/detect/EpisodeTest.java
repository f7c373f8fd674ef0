package dev.perfwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.model.ChangeDirection;
import dev.perfwatch.model.FindingType;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.model.Severity;
import dev.perfwatch.suggest.SuggestionCatalogue;
import org.junit.jupiter.api.Test;

/** One finding per change: a change found again from a change point before its closed finding's detection continues that finding. */
class EpisodeTest {

    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final SuggestionCatalogue CATALOGUE = ConfigLoader.defaults().catalogue();
    private static final int CLOSE_AFTER = 3;

    private static Episode episode() {
        Episode e = new Episode();
        e.component = "svc";
        e.metric = "response_time";
        e.comparisonMillis = HOUR;
        e.intervalMillis = 5 * MIN;
        return e;
    }

    private static RegressionFinding finding(long t, long changePoint) {
        RegressionFinding f = new RegressionFinding();
        f.component = "svc";
        f.metric = "response_time";
        f.type = FindingType.SUDDEN;
        f.direction = ChangeDirection.REGRESSION;
        f.severity = Severity.WARNING;
        f.detectedAt = t;
        f.changePointAt = changePoint;
        f.baseline.mean = 100;
        f.comparison.mean = 130;
        return f;
    }

    /** A significant evaluation at t with a change point. */
    private static RegressionEvaluator.Evaluation found(long t, long changePoint) {
        return new RegressionEvaluator.Evaluation(RegressionEvaluator.Verdict.REGRESSION, () -> RegressionEvaluator.Verdict.REGRESSION,
                RegressionEvaluator.Verdict.NONE, finding(t, changePoint), 1e-5, 100, 130, 130, 1);
    }

    /** An evaluation where the change does not hold even loosely (the series still at 130: not a return). */
    private static RegressionEvaluator.Evaluation quiet(long t) {
        return new RegressionEvaluator.Evaluation(RegressionEvaluator.Verdict.NONE, () -> RegressionEvaluator.Verdict.NONE,
                RegressionEvaluator.Verdict.NONE, null, 1e-5, 100, 130, 130, 1);
    }

    /** Opens a finding at 10 h (change point 9 h), closes it with three quiet evaluations from 14 h. */
    private static RegressionFinding openAndClose(Episode e) {
        RegressionFinding first = e.next(found(10 * HOUR, 9 * HOUR), 10 * HOUR, CLOSE_AFTER, CATALOGUE);
        assertNotNull(first);
        for (int i = 0; i < CLOSE_AFTER; i++) {
            assertNull(e.next(quiet(14 * HOUR + i * 5 * MIN), 14 * HOUR + i * 5 * MIN, CLOSE_AFTER, CATALOGUE));
        }
        assertNull(e.finding, "closed");
        return first;
    }

    @Test
    void theSameChangeFoundAgainIsTheNextVersionOfItsFinding() {
        Episode e = episode();
        RegressionFinding first = openAndClose(e);
        String id = first.findingId;
        int version = first.version;
        // Found again at 16 h, from the same change point (9 h, before the first detection at 10 h).
        RegressionFinding again = e.next(found(16 * HOUR, 9 * HOUR), 16 * HOUR, CLOSE_AFTER, CATALOGUE);
        assertNotNull(again);
        assertEquals(id, again.findingId);
        assertEquals(version + 1, again.version);
        assertEquals(10 * HOUR, again.detectedAt, "detected when first found");
        assertEquals(16 * HOUR, again.updatedAt);
    }

    @Test
    void aChangeThatBeganAfterTheLastDetectionIsANewFinding() {
        Episode e = episode();
        RegressionFinding first = openAndClose(e);
        String id = first.findingId;
        RegressionFinding next = e.next(found(20 * HOUR, 18 * HOUR), 20 * HOUR, CLOSE_AFTER, CATALOGUE);
        assertNotNull(next);
        assertNotEquals(id, next.findingId);
        assertEquals(1, next.version);
        // ... and once a new finding has opened, the old one is not continued any more.
        for (int i = 0; i < CLOSE_AFTER; i++) {
            e.next(quiet(24 * HOUR + i * 5 * MIN), 24 * HOUR + i * 5 * MIN, CLOSE_AFTER, CATALOGUE);
        }
        RegressionFinding later = e.next(found(26 * HOUR, 9 * HOUR), 26 * HOUR, CLOSE_AFTER, CATALOGUE);
        assertEquals(next.findingId, later.findingId, "the newest closed finding is the one continued");
    }
}
