package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Which kind of detector raised an alert candidate. */
public enum AlertKind {
    /** A window statistic beyond a configured level, held for {@code for}. */
    THRESHOLD,
    /** A CEP pattern over the window summaries. */
    PATTERN,
    /** A window far from the series' own recent windows (robust z, random cut forest). */
    ANOMALY,
    /** The forecast reaches a level within the horizon. */
    FORECAST,
    /** A regression finding (firing while its episode is open). */
    REGRESSION,
    /** A component's bottleneck (firing while it is open). */
    BOTTLENECK;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
