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

    /** ingest.epoch-unit as its unit (milliseconds when not set). */
    public EpochUnit epochUnit() {
        return epochUnit == null ? EpochUnit.MILLISECONDS : EpochUnit.of(epochUnit);
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
        if (epochUnit != null && EpochUnit.of(epochUnit) == null) {
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
