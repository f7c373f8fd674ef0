package dev.perfwatch.config;

import java.math.BigDecimal;

/** The unit of epoch timestamps given as numbers ({@code ingest.epoch-unit}). */
public enum EpochUnit {
    SECONDS("seconds", "s", 3),
    MILLISECONDS("milliseconds", "ms", 0),
    MICROSECONDS("microseconds", "us", -3),
    NANOSECONDS("nanoseconds", "ns", -6);

    private final String yaml;
    private final String shortForm;
    /** Decimal places from this unit to milliseconds. */
    private final int toMillis;

    EpochUnit(String yaml, String shortForm, int toMillis) {
        this.yaml = yaml;
        this.shortForm = shortForm;
        this.toMillis = toMillis;
    }

    /** Its name in the configuration (and in messages). */
    public String yaml() {
        return yaml;
    }

    /** The unit a configuration value names (its name or short form, any case), or null for none. */
    public static EpochUnit of(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        for (EpochUnit u : values()) {
            if (u.yaml.equals(t) || u.shortForm.equals(t)) {
                return u;
            }
        }
        return null;
    }

    /** A value in this unit as milliseconds, with any fraction left (the caller rounds). */
    public BigDecimal millis(BigDecimal value) {
        return value.movePointRight(toMillis);
    }
}
