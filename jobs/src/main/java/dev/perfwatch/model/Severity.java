package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How much an alert or finding matters, least first. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
