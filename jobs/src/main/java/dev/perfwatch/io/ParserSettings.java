package dev.perfwatch.io;


import dev.perfwatch.config.EpochUnit;

import java.io.Serializable;

/** What the parser needs: validation limits and, for CSV exports, default metric and component. */
public final class ParserSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    public final int maxNameLength;
    public final int maxTags;
    public final double maxAbsValue;
    public final long earliestTimestamp;
    public final long latestTimestamp;
    /** For CSV files without a metric column, or null. */
    public final String csvMetric;
    /** For CSV files without a component column, or null. */
    public final String csvComponent;

    /** The zone of timestamps without an offset (ingest.time-zone), or null. */
    public final String timeZone;
    /** The unit of epoch timestamps (ingest.epoch-unit). */
    public final EpochUnit epochUnit;

    public ParserSettings(
            int maxNameLength, int maxTags, double maxAbsValue, long earliestTimestamp,
            long latestTimestamp, String csvMetric, String csvComponent, String timeZone, EpochUnit epochUnit) {
        this.epochUnit = epochUnit == null ? EpochUnit.MILLISECONDS : epochUnit;
        this.timeZone = timeZone == null || timeZone.isBlank() ? null : timeZone.trim();
        this.maxNameLength = maxNameLength;
        this.maxTags = maxTags;
        this.maxAbsValue = maxAbsValue;
        this.earliestTimestamp = earliestTimestamp;
        this.latestTimestamp = latestTimestamp;
        this.csvMetric = csvMetric;
        this.csvComponent = csvComponent;
    }

    public static ParserSettings from(dev.perfwatch.config.IngestConfig ingest, String csvMetric, String csvComponent) {
        return new ParserSettings(ingest.maxNameLength, ingest.maxTags, ingest.maxAbsValue,
                ingest.earliestTimestamp.toEpochMilli(), ingest.latestTimestamp.toEpochMilli(),
                csvMetric, csvComponent, ingest.timeZone, ingest.epochUnit());
    }
}
