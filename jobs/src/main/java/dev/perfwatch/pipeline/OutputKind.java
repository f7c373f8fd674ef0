package dev.perfwatch.pipeline;

import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertEvent;
import dev.perfwatch.model.Notification;
import dev.perfwatch.model.BottleneckReport;
import dev.perfwatch.model.HealthScore;
import dev.perfwatch.model.SuggestionReport;
import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.JsonRecord;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.model.WindowSummary;

import java.io.Serializable;
import java.util.List;

/**
 * One kind of output the pipeline produces: its name (the output folder, the SQL table) and record
 * type. A new output kind is a constant here and a line in {@link PerfwatchPipeline#build}; sinks,
 * counts and the end-of-run report follow from {@link #ALL}.
 */
public final class OutputKind<T extends JsonRecord> implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final OutputKind<WindowSummary> SUMMARIES = new OutputKind<>("summaries", WindowSummary.class);
    public static final OutputKind<DeadLetter> DEAD_LETTERS = new OutputKind<>("dead-letters", DeadLetter.class);
    public static final OutputKind<AlertCandidate> ALERTS = new OutputKind<>("alerts", AlertCandidate.class);
    public static final OutputKind<RegressionFinding> REGRESSIONS = new OutputKind<>("regressions", RegressionFinding.class);
    public static final OutputKind<BottleneckReport> BOTTLENECKS = new OutputKind<>("bottlenecks", BottleneckReport.class);
    public static final OutputKind<HealthScore> HEALTH = new OutputKind<>("health", HealthScore.class);
    public static final OutputKind<SuggestionReport> SUGGESTIONS = new OutputKind<>("suggestions", SuggestionReport.class);

    public static final OutputKind<AlertEvent> ALERT_EVENTS = new OutputKind<>("alert-events", AlertEvent.class);
    public static final OutputKind<Notification> NOTIFICATIONS = new OutputKind<>("notifications", Notification.class);

    /** Every kind, in the order reports list them. */
    public static final List<OutputKind<?>> ALL = List.of(SUMMARIES, ALERTS, REGRESSIONS, BOTTLENECKS, HEALTH, SUGGESTIONS,
            ALERT_EVENTS, NOTIFICATIONS, DEAD_LETTERS);

    /** The folder and table name, e.g. {@code dead-letters}. */
    public final String name;
    public final Class<T> type;

    private OutputKind(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    public static OutputKind<?> named(String name) {
        for (OutputKind<?> kind : ALL) {
            if (kind.name.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no output kind '" + name + "'");
    }

    private Object readResolve() {
        return named(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
