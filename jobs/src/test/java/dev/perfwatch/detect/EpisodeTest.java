package dev.perfwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.model.ChangeDirection;
import dev.perfwatch.model.FindingType;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.model.Severity;
import dev.perfwatch.suggest.SuggestionCatalogue;
import org.junit.jupiter.api.Test;

/**
 * One finding per change: a change found again from a change point before its closed finding's detection continues that
 * finding; a change that undoes an opposite one of the day before it reverts it.
 */
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
        closeQuietly(e, 14 * HOUR);
        return first;
    }

    /** Closes the open finding with CLOSE_AFTER quiet evaluations, 5 minutes apart from {@code from}. */
    private static void closeQuietly(Episode e, long from) {
        for (int i = 0; i < CLOSE_AFTER; i++) {
            assertNull(e.next(quiet(from + i * 5 * MIN), from + i * 5 * MIN, CLOSE_AFTER, CATALOGUE));
        }
        assertNull(e.finding, "closed");
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

    /** A significant evaluation: the series moved from {@code from} to {@code to} (its reference and its comparison mean). */
    private static RegressionEvaluator.Evaluation moved(long t, long changePoint, double from, double to, Severity severity) {
        RegressionFinding f = finding(t, changePoint);
        f.direction = to > from ? ChangeDirection.REGRESSION : ChangeDirection.IMPROVEMENT;
        f.baseline.mean = from;
        f.comparison.mean = to;
        f.baseline.n = 12;
        f.comparison.n = 12;
        f.relativeChange = (to - from) / from;
        f.severity = severity;
        f.confidence = 0.9;
        RegressionEvaluator.Verdict v = to > from ? RegressionEvaluator.Verdict.REGRESSION : RegressionEvaluator.Verdict.IMPROVEMENT;
        return new RegressionEvaluator.Evaluation(v, () -> v, RegressionEvaluator.Verdict.NONE, f, 1e-5, from, to, to, 1);
    }

    /** The evaluation at {@code t} of a move from {@code from} to {@code to} since {@code changePoint}, as its own severity critical. */
    private static RegressionFinding look(Episode e, long t, long changePoint, double from, double to) {
        return e.next(moved(t, changePoint, from, to, Severity.CRITICAL), t, CLOSE_AFTER, CATALOGUE);
    }

    /** Response time falls from 100 to 60 at 9 h (found at 10 h): the improvement the tests below come back from. */
    private static RegressionFinding fell(Episode e) {
        RegressionFinding down = e.next(moved(10 * HOUR, 9 * HOUR, 100, 60, Severity.INFO), 10 * HOUR, CLOSE_AFTER, CATALOGUE);
        assertNotNull(down);
        assertEquals(ChangeDirection.IMPROVEMENT, down.direction);
        assertNull(down.reverts);
        return down;
    }

    @Test
    void aReturnWithinADayOfAnOppositeChangeRevertsItAndRaisesNoAlert() {
        Episode e = episode();
        RegressionFinding down = fell(e);
        // Back up at 30 h (within a day and the comparison window of 9 h), measured against the lower level: +67%.
        RegressionFinding up = look(e, 31 * HOUR, 30 * HOUR, 60, 100);
        assertNotNull(up);
        assertEquals(ChangeDirection.REGRESSION, up.direction);
        assertEquals(down.findingId, up.reverts);
        assertEquals(Severity.INFO, up.severity);
        assertFalse(RegressionDetector.alerted(up), "a return raises no alert");
        assertEquals("config-series-back", up.suggestions.get(0), up.suggestions.toString());
        assertFalse(up.suggestions.contains("config-look-at-the-change-point"), up.suggestions.toString());
        // Still a return at the next look, a little past the old level (shift 55 <= 1.5 x 40): no new version.
        assertNull(look(e, 31 * HOUR + 5 * MIN, 30 * HOUR, 60, 115));
        // Well past it (shift 70 > 60): a change in its own right, with its own severity, alerted.
        RegressionFinding past = look(e, 31 * HOUR + 10 * MIN, 30 * HOUR, 60, 130);
        assertNotNull(past);
        assertEquals(up.findingId, past.findingId);
        assertEquals(2, past.version);
        assertNull(past.reverts);
        assertEquals(Severity.CRITICAL, past.severity);
        assertTrue(RegressionDetector.alerted(past));
    }

    @Test
    void aRiseWellPastTheEarlierLevelIsAChangeInItsOwnRight() {
        Episode e = episode();
        fell(e);
        RegressionFinding up = look(e, 20 * HOUR, 19 * HOUR, 60, 130);
        assertNotNull(up);
        assertNull(up.reverts, "shift 70 against the fall's 40");
        assertEquals(Severity.CRITICAL, up.severity);
        assertTrue(RegressionDetector.alerted(up));
    }

    @Test
    void anOppositeChangeMoreThanADayEarlierIsNotReverted() {
        Episode e = episode();
        fell(e);
        // change point 9 h + 1 day + 1 h (the comparison window) + 5 min: too late to be the fall's return
        long cp = 9 * HOUR + 25 * HOUR + 5 * MIN;
        RegressionFinding up = look(e, cp + HOUR, cp, 60, 100);
        assertNotNull(up);
        assertNull(up.reverts);
        assertTrue(RegressionDetector.alerted(up));
    }

    @Test
    void aReturnFoundAgainAfterItsEpisodeClosedStaysAReturn() {
        Episode e = episode();
        RegressionFinding down = fell(e);
        RegressionFinding up = look(e, 20 * HOUR, 19 * HOUR, 60, 100);
        assertEquals(down.findingId, up.reverts);
        closeQuietly(e, 22 * HOUR);
        RegressionFinding again = look(e, 23 * HOUR, 19 * HOUR, 60, 105);
        assertNotNull(again);
        assertEquals(up.findingId, again.findingId);
        assertEquals(down.findingId, again.reverts);
        assertEquals(Severity.INFO, again.severity);
        assertFalse(RegressionDetector.alerted(again));
    }
}
