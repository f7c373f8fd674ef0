package dev.perfwatch.config;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed configuration, bound from {@code conf/perfwatch.yaml} (the defaults, bundled in the jar)
 * with a user's file and command-line overrides merged over it (see {@link ConfigLoader}). One class
 * per section, each validating itself; an operator receives the sections it uses, not this whole.
 */
public class PerfwatchConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public IngestConfig ingest;
    public EventTimeConfig eventTime;
    public WindowsConfig windows;
    public OutputConfig output;
    public CheckpointsConfig checkpoints;
    public KafkaConfig kafka;
    /** Per metric name: levels and direction. Every known metric has an entry in the defaults. */
    public Map<String, MetricThresholds> metrics = new LinkedHashMap<>();
    /** Per component, then metric: keys that override {@link #metrics} for that component only. */
    public Map<String, Map<String, MetricThresholds>> components = new LinkedHashMap<>();
    public AlertsConfig alerts;
    public RegressionConfig regression;
    public AnalysisConfig analysis;
    public LifecycleConfig lifecycle;
    public NotificationsConfig notifications;

    @JsonIgnore
    private MetricLevels levels;
    /** The suggestion catalogue: the bundled one with analysis.suggestions-file merged over it (set by ConfigLoader). */
    @JsonIgnore
    private dev.perfwatch.suggest.SuggestionCatalogue catalogue;

    public dev.perfwatch.suggest.SuggestionCatalogue catalogue() {
        if (catalogue == null) {
            catalogue = dev.perfwatch.suggest.SuggestionCatalogue.load(
                    analysis == null || analysis.suggestionsFile == null ? null : java.nio.file.Path.of(analysis.suggestionsFile));
        }
        return catalogue;
    }

    /**
     * How much history before a moment the detectors use to judge it: the regression baseline and
     * comparison windows, the anomaly scores' baseline windows, the component analysis' history, the
     * lifecycle's longest hold, whichever is longest. A backfill reads this much before its range.
     */
    @JsonIgnore
    public java.time.Duration history() {
        java.time.Duration longest = windows.summary.multipliedBy(alerts.anomaly.baselineWindows);
        // The anomaly scores judge a value against the range of the last range-days days, and the stuck rule against
        // a week of history: a range backfilled on its own decides as one run over everything only when its warm-up
        // holds those days, and a day more for the running estimates (the score distribution's, the sequential
        // test's noise) to settle on the same values.
        java.time.Duration day = java.time.Duration.ofDays(1);
        if (alerts.anomaly.rangeDays > 0) {
            longest = max(longest, day.multipliedBy(alerts.anomaly.rangeDays + 1L));
        }
        if (alerts.anomaly.stuck.enabled) {
            longest = max(longest, alerts.anomaly.stuck.minHistory.plus(day));
        }
        if (alerts.anomaly.volatility.enabled) { // the jitter of the hours of the days before the range's first day
            longest = max(longest, day.multipliedBy(alerts.anomaly.volatility.days + 1L));
        }
        if (regression.enabled) {
            longest = max(longest, regression.baselineWindow.plus(regression.comparisonWindow));
        }
        if (analysis.enabled) {
            longest = max(longest, analysis.profileWindow.multipliedBy(analysis.historyWindows));
        }
        return max(longest, alerts.retention);
    }

    private static java.time.Duration max(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The levels of every series (metrics with the components' overrides). */
    public MetricLevels levels() {
        if (levels == null) {
            levels = new MetricLevels(metrics, components);
        }
        return levels;
    }

    void validate(Check c) {
        c.section(ingest, "ingest");
        ingest.validate(c.in("ingest"));
        c.section(checkpoints, "checkpoints");
        checkpoints.validate(c.in("checkpoints"));
        c.section(eventTime, "event-time");
        eventTime.validate(c.in("event-time"));
        c.section(windows, "windows");
        windows.validate(c.in("windows"));
        c.section(output, "output");
        output.validate(c.in("output"));
        c.section(kafka, "kafka");
        kafka.validate(c.in("kafka"), output.checkpointInterval);
        c.section(alerts, "alerts");
        alerts.validate(c.in("alerts"));
        c.section(regression, "regression");
        regression.validate(c.in("regression"));
        c.section(analysis, "analysis");
        analysis.validate(c.in("analysis"));
        c.section(lifecycle, "lifecycle");
        lifecycle.validate(c.in("lifecycle"));
        c.section(notifications, "notifications");
        notifications.validate(c.in("notifications"));
        levels().validate(c, ingest.maxNameLength);
    }
}
