package dev.perfwatch.config;

import java.io.Serializable;
import java.time.Instant;

/** {@code ingest}: what input lines may be. */
public class IngestConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Longer lines go to dead letters as line_too_long. */
    public int maxLineBytes;
    /** Samples with |value| above this are out of range, whatever the metric. */
    public double maxAbsValue;
    public Instant earliestTimestamp;
    public Instant latestTimestamp;
    public int maxNameLength;
    public int maxTags;
    /** Files one source reader reads side by side (so files of one period are read together). */
    public int maxOpenFiles;
    /** The zone of timestamps written without an offset, or null (ISO ones refused, the space-separated form UTC). */
    public String timeZone;
    /** The unit of epoch timestamps (numbers): seconds, milliseconds (the default), microseconds or nanoseconds. */
    public String epochUnit;

    /** The epoch units ingest.epoch-unit takes, with their short forms. */
    public static final java.util.Map<String, String> EPOCH_UNITS = java.util.Map.of("seconds", "s", "s", "s",
            "milliseconds", "ms", "ms", "ms", "microseconds", "us", "us", "us", "nanoseconds", "ns", "ns", "ns");

    /** The short form of epoch-unit: s, ms, us or ns (ms when not set). */
    public String epochUnitCode() {
        return epochUnit == null ? "ms" : EPOCH_UNITS.get(epochUnit.trim().toLowerCase(java.util.Locale.ROOT));
    }

    void validate(Check c) {
        c.positive(maxLineBytes, "max-line-bytes");
        c.positive(maxAbsValue, "max-abs-value");
        c.positive(maxNameLength, "max-name-length");
        if (maxTags < 0) {
            throw c.fail("max-tags", "expected 0 or more, got " + maxTags);
        }
        c.atLeast(maxOpenFiles, 1, "max-open-files");
        if (timeZone != null) {
            try {
                java.time.ZoneId.of(timeZone.trim());
            } catch (java.time.DateTimeException e) {
                throw c.fail("time-zone", "expected a zone like UTC, Europe/Berlin or +01:00, got '" + timeZone + "'");
            }
        }
        if (epochUnit != null && !EPOCH_UNITS.containsKey(epochUnit.trim().toLowerCase(java.util.Locale.ROOT))) {
            throw c.fail("epoch-unit", "expected seconds, milliseconds, microseconds or nanoseconds, got '" + epochUnit + "'");
        }
        c.required(earliestTimestamp, "earliest-timestamp");
        c.required(latestTimestamp, "latest-timestamp");
        if (!earliestTimestamp.isBefore(latestTimestamp)) {
            throw c.fail("latest-timestamp", "expected a time after ingest.earliest-timestamp (" + earliestTimestamp
                    + "), got " + latestTimestamp);
        }
    }
}
