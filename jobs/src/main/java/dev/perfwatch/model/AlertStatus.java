package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Whether a candidate starts (firing) or ends (cleared) an alert. */
public enum AlertStatus {
    FIRING, CLEARED;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
