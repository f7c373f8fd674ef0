package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where an alert stands in its lifecycle. */
public enum LifecycleState {
    /** Raised, waiting lifecycle.pending-for before it fires. */
    PENDING,
    FIRING,
    /** Firing, and a person acknowledged it: no repeats until it resolves or worsens. */
    ACKNOWLEDGED,
    /** Firing, but silenced or inhibited: not notified. */
    SUPPRESSED,
    /** Changing state too often: notifications held until it settles. */
    FLAPPING,
    RESOLVED;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
