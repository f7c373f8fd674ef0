package dev.perfwatch.analyze;

import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.WindowSummary;

/**
 * What the per-series operator sends to the per-component stages, on one exchange keyed by component (in
 * BATCH mode each exchange a task writes holds 512 network buffers while it runs): either a window summary
 * for a component pattern ({@link #summary}), or one series' part of a profile window ({@link #profile}: its
 * metric's {@link MetricWindow}, folded from its summaries in time order, as the component's profile window
 * would fold them); or an alert candidate of the series' detectors ({@link #alert}), on its way to the alert
 * lifecycle, which is keyed by component too (a BATCH task that writes one exchange fewer: two such tasks side by
 * side fit a default TaskManager's network buffers).
 */
public class ComponentInput {

    public String component;
    /** A window summary, or null. */
    public WindowSummary summary;
    /** A profile window's part: the series' metric, the window's start and its folded summaries; null for a summary. */
    public String metric;
    public long profileStart;
    public MetricWindow profile;

    /** An alert candidate, or null. */
    public AlertCandidate alert;

    public ComponentInput() {}

    public static ComponentInput of(AlertCandidate alert) {
        ComponentInput in = new ComponentInput();
        in.component = alert.component;
        in.alert = alert;
        return in;
    }

    public static ComponentInput of(WindowSummary summary) {
        ComponentInput in = new ComponentInput();
        in.component = summary.component;
        in.summary = summary;
        return in;
    }

    public static ComponentInput profilePart(String component, String metric, long profileStart) {
        ComponentInput in = new ComponentInput();
        in.component = component;
        in.metric = metric;
        in.profileStart = profileStart;
        in.profile = new MetricWindow();
        return in;
    }
}
