package dev.perfwatch.detect;

import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.RegressionFinding;

/**
 * The regression episode of one series: one finding per episode. The first significant evaluation
 * opens it and emits the finding; later confirmations extend it silently, except that within a
 * few comparison windows of the change point a confirmation that sees a different type updates the finding
 * (same finding_id and detected_at, emitted again). It closes after
 * {@code closeAfter} evaluations in a row without a significant change (evaluations without enough
 * data do not count); an episode that closes within twice the comparison window, with the newest
 * data back nearer the baseline than halfway, was a transient excursion, and its finding is updated
 * to type {@code anomaly} if it was not already.
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
    /** Whether a forecast breach is being predicted (a predictive alert is firing). */
    public boolean predicting;
    /** Start of the newest bucket seen (its cleanup timer is the live one). */
    public long newestBucket = Long.MIN_VALUE;
    public long predictingSince;

    /** Applies one evaluation at time t; returns the finding to emit, or null. */
    public RegressionFinding next(RegressionEvaluator.Evaluation ev, long t, int closeAfter) {
        boolean significant = ev != null && ev.verdict() != RegressionEvaluator.Verdict.NONE;
        if (significant) {
            RegressionFinding f = ev.finding();
            comparisonMillis = f.comparisonEnd - f.comparisonStart;
            if (finding != null && finding.direction.equals(f.direction)) {
                misses = 0;
                confirmations++;
                // Until SETTLE_WINDOWS comparison windows have passed since the change point, the later look
                // (with more data after the change: a ramp shows its length) decides the type; a change of
                // type is an update of the finding.
                boolean settling = t - finding.changePointAt <= SETTLE_WINDOWS * comparisonMillis;
                if (settling && !f.type.equals(finding.type) && !finding.type.equals("anomaly")) {
                    f.findingId = finding.findingId;
                    f.detectedAt = finding.detectedAt;
                    finding = f;
                    return f;
                }
                return null;
            }
            f.findingId = AlertCandidate.fingerprint("regression:" + f.direction + ":" + t, component, metric);
            finding = f;
            openedAt = t;
            misses = 0;
            confirmations = 1;
            return f;
        }
        if (ev == null) {
            return null; // not enough data to say either way (e.g. after the input ended)
        }
        if (finding != null && ++misses >= closeAfter) {
            RegressionFinding last = finding;
            finding = null;
            boolean returned = ev.returnedFrom(last.comparisonMean, 0.5);
            boolean transientExcursion = returned && t - openedAt <= 2 * comparisonMillis;
            if (transientExcursion && !last.type.equals("anomaly")) {
                last.type = "anomaly"; // an update of the same finding_id; detected_at stays the first detection
                last.recommendation = Recommendations.of(last.metric, "anomaly", last.direction);
                return last;
            }
        }
        return null;
    }
}
