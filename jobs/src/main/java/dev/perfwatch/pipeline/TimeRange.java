package dev.perfwatch.pipeline;

import java.io.Serializable;

/**
 * The event time a run covers. Samples from {@code readFrom} (inclusive) to {@code to} (exclusive) are
 * read, the earlier ones only to warm the detectors' baselines; records from {@code writeFrom} to
 * {@code to} are written. A backfill of a day reads the history its detectors need before the day
 * and writes only the day, so runs of adjacent days neither overlap nor leave gaps.
 */
public record TimeRange(long readFrom, long writeFrom, long to) implements Serializable {

    /** Everything: what a monitor run covers. */
    public static final TimeRange ALL = new TimeRange(Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);

    public TimeRange {
        if (readFrom > writeFrom || writeFrom >= to) {
            throw new IllegalArgumentException("a time range needs readFrom <= writeFrom < to: " + readFrom + ", " + writeFrom + ", " + to);
        }
    }

    public boolean isAll() {
        return readFrom == Long.MIN_VALUE && to == Long.MAX_VALUE && writeFrom == Long.MIN_VALUE;
    }

    /** Whether a sample at {@code t} is read. */
    public boolean reads(long t) {
        return t >= readFrom && t < to;
    }

    /** Whether a record at {@code t} is written; records without an event time ({@code Long.MIN_VALUE}) always are. */
    public boolean writes(long t) {
        return t == Long.MIN_VALUE || (t >= writeFrom && t < to);
    }
}
