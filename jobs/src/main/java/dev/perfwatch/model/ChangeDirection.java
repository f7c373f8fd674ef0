package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Whether a change made a series worse or better. */
public enum ChangeDirection {
    REGRESSION, IMPROVEMENT;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
