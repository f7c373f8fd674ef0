package dev.perfwatch.config;

import java.io.Serializable;
import java.time.Duration;

/** {@code analysis}: component profiles, bottlenecks, health scores and optimization suggestions. */
public class AnalysisConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public boolean enabled;
    /** Tumbling event-time window of the component profiles (over the window summaries). */
    public Duration profileWindow;
    /** Profile windows kept per component: baselines, trends and forecasts are taken over them. */
    public int historyWindows;
    /** The baseline of a signal is the median of up to this many earlier windows (those where it was not elevated). */
    public int baselineWindows;
    /** A latency or query time at least this many times its baseline counts as elevated. */
    public double elevatedRatio;
    /** A database bottleneck needs database time to be at least this share of the response time (when both are measured). */
    public double databaseShare;
    /** Queue growth (items per minute) that counts as a backlog building up, with a significant trend. */
    public double queueGrowthPerMinute;
    /** A resource forecast to reach its critical level within this horizon is being exhausted. */
    public Duration exhaustionHorizon;
    /** Windows in a row without the condition that resolve a bottleneck. */
    public int resolveAfter;
    /** A change of severity at least this large is reported for an ongoing bottleneck. */
    public double severityStep;
    /** A suggestion that keeps applying with the same evidence is reported again after this long. */
    public Duration suggestionRepeat;
    /** A catalogue of suggestions merged over the bundled one by id (entries added or replaced), or null. */
    public String suggestionsFile;

    void validate(Check c) {
        c.positive(profileWindow, "profile-window");
        c.atLeast(historyWindows, 6, "history-windows");
        c.atLeast(baselineWindows, 3, "baseline-windows");
        if (baselineWindows > historyWindows) {
            throw c.fail("baseline-windows", "expected at most analysis.history-windows (" + historyWindows + "), got " + baselineWindows);
        }
        if (!(elevatedRatio > 1)) {
            throw c.fail("elevated-ratio", "expected a ratio greater than 1, got " + elevatedRatio);
        }
        c.probability(databaseShare, "database-share");
        c.positive(queueGrowthPerMinute, "queue-growth-per-minute");
        c.positive(exhaustionHorizon, "exhaustion-horizon");
        c.atLeast(resolveAfter, 1, "resolve-after");
        c.probability(severityStep, "severity-step");
        c.positive(suggestionRepeat, "suggestion-repeat");
    }
}
