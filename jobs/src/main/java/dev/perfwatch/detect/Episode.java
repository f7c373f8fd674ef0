package dev.perfwatch.detect;

import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.FindingType;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.suggest.FindingAdvice;
import dev.perfwatch.suggest.SuggestionCatalogue;

/**
 * The regression episode of one series: one finding per episode. The first significant evaluation
 * opens it and emits the finding; later confirmations extend it silently, except that within a
 * few comparison windows of the change point a confirmation that sees a different type updates the finding
 * (same finding_id and detected_at, emitted again). It closes after
 * {@code closeAfter} evaluations in a row in which the change does not hold even at the uncorrected
 * alpha (hysteresis: a change near the corrected threshold does not open a new episode every few
 * evaluations; evaluations without enough data do not count). A young episode (within twice the
 * comparison window of its opening) whose series is back, significantly, was a transient excursion:
 * at an evaluation that holds only at the looser standard, back means nearer the baseline than a
 * quarter of the comparison window's shift; at the close, nearer than half the finding's shift. Its
 * finding is then updated to type {@code anomaly} if it was not already.
 */
public class Episode {
    /** For this many comparison windows after its change point, a finding's type may still be revised. */
    static final int SETTLE_WINDOWS = 3;
    public String component;
    public String metric;
    /** The open episode's finding, or null when none is open. */
    public RegressionFinding finding;
    public long openedAt;
    public int misses;
    public int confirmations;
    public long comparisonMillis;
    /** The predictive alert: the forecast reaches the critical level within the horizon. */
    public AlertState forecast = new AlertState();
    /** Start of the newest bucket seen (its cleanup timer is the live one). */
    public long newestBucket = Long.MIN_VALUE;

    /** Applies one evaluation at time t; returns the finding to emit, or null. */
    public RegressionFinding next(RegressionEvaluator.Evaluation ev, long t, int closeAfter, SuggestionCatalogue catalogue) {
        boolean significant = ev != null && ev.verdict() != RegressionEvaluator.Verdict.NONE;
        if (significant) {
            RegressionFinding f = ev.finding();
            comparisonMillis = f.comparisonEnd - f.comparisonStart;
            if (finding != null && finding.direction == f.direction) {
                misses = 0;
                confirmations++;
                // Until SETTLE_WINDOWS comparison windows have passed since the change point, the later look
                // (with more data after the change: a ramp shows its length) decides the type; a change of
                // type is an update of the finding.
                boolean settling = t - finding.changePointAt <= SETTLE_WINDOWS * comparisonMillis;
                if (settling && f.type != finding.type && finding.type != FindingType.ANOMALY) {
                    f.findingId = finding.findingId;
                    f.detectedAt = finding.detectedAt;
                    finding = f;
                    return f;
                }
                return null;
            }
            f.findingId = AlertCandidate.fingerprint("regression:" + f.direction.code() + ":" + t, component, metric);
            finding = f;
            openedAt = t;
            misses = 0;
            confirmations = 1;
            return f;
        }
        if (ev == null) {
            return null; // not enough data to say either way (e.g. after the input ended)
        }
        if (finding != null && ev.holds() != RegressionEvaluator.Verdict.NONE
                && finding.direction == ev.holds().direction) {
            misses = 0; // the change is still there, short of the corrected alpha: the episode goes on
            // ... unless only because an excursion is still inside the comparison window: the series is
            // back (the rule classify applies at detection, against the current window)
            return transientExcursion(ev.comparisonMean(), ev, t, RegressionEvaluator.ANOMALY_RETURN) ? asAnomaly(finding, catalogue) : null;
        }
        if (finding != null && ++misses >= closeAfter) {
            RegressionFinding last = finding;
            boolean excursion = transientExcursion(last.comparison.mean, ev, t, 0.5);
            finding = null;
            return excursion ? asAnomaly(last, catalogue) : null;
        }
        return null;
    }

    /**
     * A young episode (at most two comparison windows) whose series is back nearer the baseline than
     * {@code share} of the shift, significantly.
     */
    private boolean transientExcursion(double level, RegressionEvaluator.Evaluation ev, long t, double share) {
        return finding.type != FindingType.ANOMALY && t - openedAt <= 2 * comparisonMillis && ev.returnedFrom(level, share);
    }

    /** The finding retyped as an anomaly: an update of the same finding_id; detected_at stays the first detection. */
    private static RegressionFinding asAnomaly(RegressionFinding f, SuggestionCatalogue catalogue) {
        f.type = FindingType.ANOMALY;
        FindingAdvice.apply(f, catalogue);
        return f;
    }
}
