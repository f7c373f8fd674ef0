package dev.perfwatch.udf;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Conversions between the statistics' conventions (NaN, epoch millis) and SQL's (NULL, timestamps). */
final class SqlValues {

    private SqlValues() {}

    static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** TIMESTAMP(3) values are read as UTC wall-clock time. */
    static long millis(LocalDateTime ts) {
        return ts.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    static long millis(Instant ts) {
        return ts.toEpochMilli();
    }

    static LocalDateTime timestamp(long millis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }
}
