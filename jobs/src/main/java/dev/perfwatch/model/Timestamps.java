package dev.perfwatch.model;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** ISO-8601 UTC rendering of epoch milliseconds, as every output record writes time. */
public final class Timestamps {

    private Timestamps() {}

    public static String iso(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
    }
}
