package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a bottleneck report stands: it started, its severity moved, or it ended. */
public enum BottleneckStatus {
    OPEN, ONGOING, RESOLVED;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
