package dev.perfwatch.detect;

import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.FindingType;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.model.Severity;
import dev.perfwatch.suggest.FindingAdvice;
import dev.perfwatch.suggest.SuggestionCatalogue;

/**
 * The regression episode of one series: one finding per episode. The first significant evaluation
 * opens it and emits the finding (version 1); later confirmations extend it silently, except that a
 * confirmation whose severity is higher than the finding's or whose relative change is {@link #GROWTH} times the
 * finding's (the change grew), or, within a few comparison
 * windows of the change point, that sees a different type, updates the finding: the same finding_id and
 * detected_at with the current figures, the next version and updated_at. It closes after
 * {@code closeAfter} evaluations in a row in which the change does not hold even at the uncorrected
 * alpha (hysteresis: a change near the corrected threshold does not open a new episode every few
 * evaluations; evaluations without enough data do not count) and, unless it is an anomaly, the
 * sequential statistic is below half its threshold. A young episode (within twice the comparison
 * window of its opening, plus the time the sequential statistic holds it after a return) whose series is back, significantly, was a transient excursion:
 * at an evaluation that holds only at the looser standard, back means nearer the baseline than a
 * quarter of the comparison window's shift; at the close, nearer than half the finding's shift. Its
 * finding is then updated to type {@code anomaly} if it was not already. A change found again after its
 * episode closed, from a change point before that finding's detection, is the same change: it reopens the
 * finding (its next version), not a second one. A change opposite to the previous finding, within a day (and
 * a comparison window) of its change point, whose shift is at most {@link #REVERT_SHARE} times that
 * finding's, is the series coming back: it {@link RegressionFinding#reverts reverts} it (severity info, no
 * alert) for as long as it stays within that share.
 */
public class Episode {
    /** For this many comparison windows after its change point, a finding's type may still be revised. */
    static final int SETTLE_WINDOWS = 3;
    /** A confirmation whose relative change is this many times the finding's updates it (the change grew). */
    static final double GROWTH = 1.5;
    /** A change reverts an opposite one within a day before it if its shift is at most this share of that one's. */
    static final double REVERT_SHARE = 1.5;
    public String component;
    public String metric;
    /** The open episode's finding, or null when none is open. */
    public RegressionFinding finding;
    /**
     * The last finding closed (null: none since the last one opened): a change found again from a change point
     * before that finding's detection is the same change, and continues it (its next version) instead of
     * opening a second finding. Dropped by the detector once its detection is older than the buckets held.
     */
    public RegressionFinding closed;
    /**
     * While the open finding reverts an earlier opposite change ({@link RegressionFinding#reverts}): the
     * size of that change's shift (absolute), to tell whether it still does.
     */
    public double revertedShift;
    public long openedAt;
    public int misses;
    public int confirmations;
    /** The comparison window and evaluation interval in use, the series' stride applied (set by the detector before each evaluation). */
    public long comparisonMillis;
    public long intervalMillis;
    /**
     * Evaluation intervals per evaluation for this series (0 or 1: every interval): a series sampled less
     * often than the interval is evaluated over buckets of this many intervals, as measured from its buckets
     * ({@link RegressionDetector#stride}).
     */
    public int stride;
    /** Found sampled less often than the longest stride allows (counted once, for the run's report). */
    public boolean sparser;
    /** Hourly means of the last eight days: the week-ago reference. */
    public HourlyMeans week = new HourlyMeans();
    /** The sequential test's statistics. */
    public SequentialTest.Cusum cusum = new SequentialTest.Cusum();
    /** The predictive alert: the forecast reaches the critical level within the horizon. */
    public AlertState forecast = new AlertState();
    /**
     * The forecast's smoothing parameters and seasonal period (0: Holt), and when they were last fitted
     * by grid search (Long.MIN_VALUE: never): refitted hourly, reused by the evaluations between.
     */
    public double forecastAlpha;
    public double forecastBeta;
    public double forecastGamma;
    public int forecastPeriod;
    public long forecastFittedAt = Long.MIN_VALUE;
    /** Buckets starting before this have been evaluated (moved to the closed buckets); a sample for one is late. */
    public long closedBefore = Long.MIN_VALUE;
    /** Start of the newest bucket seen (its cleanup timer is the live one). */
    public long newestBucket = Long.MIN_VALUE;
    /**
     * No bucket not yet evaluated starts before this (the oldest one's start, or a lower bound when the
     * oldest is far ahead of the watermark; Long.MAX_VALUE: none), so an evaluation with nothing to move
     * need not walk them; Long.MIN_VALUE: not known (a new episode, or state from before the field), the
     * next evaluation walks them and learns it.
     */
    public long oldestOpen = Long.MIN_VALUE;
    /**
     * The closed buckets' starts and means in arrays, kept between evaluations ({@link BucketIndex}); not state
     * (transient: Flink's POJO serializer skips it, and a copy of the episode comes without it).
     */
    transient BucketIndex bucketIndex;

    /** Applies one evaluation at time t; returns the finding to emit, or null. */
    public RegressionFinding next(RegressionEvaluator.Evaluation ev, long t, int closeAfter, SuggestionCatalogue catalogue) {
        boolean significant = ev != null && ev.verdict() != RegressionEvaluator.Verdict.NONE;
        if (significant) {
            RegressionFinding f = ev.finding();
            if (finding != null && finding.direction == f.direction) {
                misses = 0;
                confirmations++;
                // Until SETTLE_WINDOWS comparison windows have passed since the change point, the later look
                // (with more data after the change: a ramp shows its length) decides the type; a change of
                // type is an update of the finding.
                // (a change found late, the sequential test's weak ones, gets the same time from its detection)
                boolean settling = t - Math.max(finding.changePointAt, finding.detectedAt - comparisonMillis) <= SETTLE_WINDOWS * comparisonMillis;
                boolean retyped = settling && f.type != finding.type && finding.type != FindingType.ANOMALY;
                // Grown: a higher severity, or a shift half as large again as the finding's (a change that is
                // critical from its first look, as a hit rate whose misses doubled is, still reports its growth).
                boolean grown = f.severity.compareTo(finding.severity) > 0
                        || Math.signum(f.relativeChange) == Math.signum(finding.relativeChange)
                                && Math.abs(f.relativeChange) >= GROWTH * Math.abs(finding.relativeChange);
                if (finding.reverts != null) {
                    grown = !carryReverts(f, catalogue);
                }
                if (!retyped && !grown) {
                    return null;
                }
                if (!retyped) {
                    // The same change, grown: its type and change point stay (they steer the type's revision).
                    f.type = finding.type;
                    f.changePointAt = finding.changePointAt;
                    FindingAdvice.apply(f, catalogue);
                }
                return update(f, t);
            }
            if (finding == null && closed != null && closed.direction == f.direction && f.changePointAt <= closed.detectedAt) {
                finding = closed; // the same change, seen again: its next version
                closed = null;
                if (finding.reverts != null) {
                    carryReverts(f, catalogue);
                }
                misses = 0;
                confirmations++;
                return update(f, t);
            }
            RegressionFinding prior = finding != null ? finding : closed;
            closed = null;
            if (prior != null && prior.direction != f.direction && prior.comparison.n > 0 && prior.baseline.n > 0
                    && prior.changePointAt >= f.changePointAt - RegressionEvaluator.DAY - comparisonMillis) {
                // An opposite change within the day before this one (the day the references look back; a comparison
                // window more for where change points fall): this may be the series coming back.
                revertedShift = Math.abs(prior.comparison.mean - prior.baseline.mean);
                if (stillReverts(f)) {
                    f.reverts = prior.findingId;
                    f.severity = Severity.INFO;
                    FindingAdvice.apply(f, catalogue);
                }
            }
            f.findingId = AlertCandidate.fingerprint("regression:" + f.direction.code() + ":" + t, component, metric);
            f.version = 1;
            f.updatedAt = t;
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
            // (and the sequential statistic no longer holds it: a noisy quarter hour in a sustained change is not a return)
            boolean back = ev.sequentialHolds() != ev.holds() && transientExcursion(ev.comparisonMean(), ev, t, RegressionEvaluator.ANOMALY_RETURN);
            return back ? asAnomaly(finding, t, catalogue) : null;
        }
        if (finding != null && finding.type != FindingType.ANOMALY && finding.direction == ev.sequentialHolds().direction) {
            misses = 0; // a sustained change is held by the sequential statistic too (half its threshold)
            return null;
        }
        if (finding != null && ++misses >= closeAfter) {
            RegressionFinding last = finding;
            boolean excursion = transientExcursion(last.comparison.mean, ev, t, 0.5);
            finding = null;
            closed = last;
            return excursion ? asAnomaly(last, t, catalogue) : null;
        }
        return null;
    }

    /**
     * A later look at the open finding that reverts an earlier change: while it still does, it stays a
     * return (info, no alert; true); past that level it is a change in its own right, with its own severity.
     */
    private boolean carryReverts(RegressionFinding f, SuggestionCatalogue catalogue) {
        if (stillReverts(f)) {
            f.reverts = finding.reverts;
            f.severity = Severity.INFO;
            FindingAdvice.apply(f, catalogue);
            return true;
        }
        return false;
    }

    /**
     * Whether {@code f}'s shift is at most one and a half times the reverted change's: back, part of the way
     * back, or just past where the series was. Shifts, not levels: each is measured against its own
     * reference (on a daily cycle, the same hours a day earlier), so they compare where levels at different
     * times of day do not.
     */
    private boolean stillReverts(RegressionFinding f) {
        return Math.abs(f.comparison.mean - f.baseline.mean) <= REVERT_SHARE * revertedShift;
    }

    /**
     * A young episode (at most two comparison windows, plus the sequential statistic's hold) whose series is back nearer the baseline than
     * {@code share} of the shift, significantly.
     */
    private boolean transientExcursion(double level, RegressionEvaluator.Evaluation ev, long t, double share) {
        return finding.type != FindingType.ANOMALY && t - openedAt <= 2 * comparisonMillis + sequentialRelease() && ev.returnedFrom(level, share);
    }

    /**
     * How long the sequential statistic, capped at its threshold, holds an episode after the series is
     * back (it falls by k a bucket to half the threshold): the time an excursion is held beyond its end.
     */
    private long sequentialRelease() {
        SequentialTest.Statistic slow = cusum == null ? null : cusum.slow;
        return slow == null || slow.k <= 0 ? 0 : (long) Math.ceil(slow.h * (1 - SequentialTest.HOLD_SHARE) / slow.k) * intervalMillis;
    }

    /** {@code f} as the next version of the open finding, made at {@code t}. */
    private RegressionFinding update(RegressionFinding f, long t) {
        f.findingId = finding.findingId;
        f.detectedAt = finding.detectedAt;
        f.version = finding.version + 1;
        f.updatedAt = t;
        finding = f;
        return f;
    }

    /** The finding retyped as an anomaly: its next version, made at {@code t}; detected_at stays the first detection. */
    private static RegressionFinding asAnomaly(RegressionFinding f, long t, SuggestionCatalogue catalogue) {
        f.type = FindingType.ANOMALY;
        FindingAdvice.apply(f, catalogue);
        f.version++;
        f.updatedAt = t;
        return f;
    }
}
