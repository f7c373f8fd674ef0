package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The shape of a regression finding's change. */
public enum FindingType {
    /** A step: the new level was reached within {@code regression.gradual-min-duration}. */
    SUDDEN,
    /** A ramp that took longer. */
    GRADUAL,
    /** A transient excursion that returned. */
    ANOMALY,
    /** A gradual change turning around a significant trend of the hour before. */
    TREND_REVERSAL;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
