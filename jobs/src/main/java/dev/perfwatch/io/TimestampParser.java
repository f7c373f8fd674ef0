package dev.perfwatch.io;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * Reads the timestamps perfwatch accepts: ISO-8601 with an offset ({@code 2026-11-26T10:00:00Z},
 * {@code 2026-11-26T11:00:00.250+01:00}; also {@code +0100} or {@code +01}, and a space for the T, as
 * databases and strftime write them), epoch milliseconds as digits, and the zone-less
 * {@code YYYY-MM-DD HH:MM:SS} of CloudWatch/NAB exports, taken as UTC. An ISO local time without an
 * offset ({@code 2026-11-26T10:00:00}) is refused: it is ambiguous.
 */
public final class TimestampParser {

    /** Strict: the default (smart) resolver reads 2014-02-30 as 2014-02-28, another day's sample. */
    private static final DateTimeFormatter SPACE_SEPARATED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss[.SSS]").withResolverStyle(ResolverStyle.STRICT);

    /** Date, T or space, time, and an optional Z or offset of +HH, +HHMM or +HH:MM (groups: date, time, offset). */
    private static final java.util.regex.Pattern DATE_TIME = java.util.regex.Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)(Z|z|[+-]\\d{2}(?::?\\d{2})?)?");

    /** A local ISO time (seconds and fraction optional), strictly: no day moved to another. */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME.withResolverStyle(ResolverStyle.STRICT);

    private TimestampParser() {}

    /** Epoch milliseconds, or an {@link IllegalArgumentException} saying what is wrong. */
    public static long parse(String text) {
        return parse(text, null);
    }

    /**
     * As {@link #parse(String)}, with the times written without an offset (ISO's {@code 2026-11-26T10:00:00} and
     * the space-separated form) read in {@code zone} when it is not null: daylight saving as the zone's rules say,
     * the repeated hour of a change back read as its first occurrence, a time in the skipped hour moved on by it.
     */
    public static long parse(String text, java.time.ZoneId zone) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("timestamp is empty");
        }
        long fast = parseCanonicalIso(t);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        java.util.regex.Matcher m = DATE_TIME.matcher(t);
        boolean dateTime = m.matches();
        String offset = dateTime ? m.group(3) : null;
        if (dateTime && offset == null && zone != null) {
            try {
                return LocalDateTime.parse(t.replace(' ', 'T'), LOCAL).atZone(zone).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // not a valid local time: the forms below say what is wrong
            }
        }
        if (allDigits(t)) {
            if (t.length() > 15) {
                throw new IllegalArgumentException("timestamp '" + text + "' is too large for epoch milliseconds");
            }
            return Long.parseLong(t);
        }
        if (offset != null && (t.charAt(10) == ' ' || !offset.equalsIgnoreCase("z") && offset.length() != 6)) {
            // The same instant written as databases and strftime's %z write it: a space for the T
            // (2026-11-26 10:00:00+00), an offset without its colon (+0100) or without minutes (+01).
            String iso = m.group(1) + "T" + m.group(2) + (offset.equalsIgnoreCase("z") ? "Z"
                    : offset.substring(0, 3) + ":" + (offset.length() == 3 ? "00" : offset.substring(offset.length() - 2)));
            try {
                return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("timestamp '" + text + "' is not a valid time (read as " + iso + ")");
            }
        }
        if (t.length() >= 19 && t.charAt(10) == ' ') {
            try {
                return LocalDateTime.parse(t, SPACE_SEPARATED).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("timestamp '" + text + "' is not a valid YYYY-MM-DD HH:MM:SS time");
            }
        }
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
                throw new IllegalArgumentException("timestamp '" + text
                        + "' has no UTC offset; add 'Z' or an offset like '+01:00', or say the zone of such times with"
                        + " ingest.time-zone (e.g. --set ingest.time-zone=UTC)");
            } catch (DateTimeParseException notLocalEither) {
                throw new IllegalArgumentException("timestamp '" + text
                        + "' is not ISO-8601 with an offset, epoch milliseconds, or YYYY-MM-DD HH:MM:SS");
            }
        }
    }

    private static boolean allDigits(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The common form {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)} without the cost of a
     * formatter; Long.MIN_VALUE when the text is not in that form (the slow path then decides).
     */
    static long parseCanonicalIso(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        int millis = 0;
        if (t.charAt(i) == '.') {
            i++;
            int start = i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                if (i - start < 3) {
                    millis = millis * 10 + (t.charAt(i) - '0');
                }
                i++;
            }
            int fractionDigits = i - start;
            if (fractionDigits == 0 || fractionDigits > 9) {
                return Long.MIN_VALUE;
            }
            for (int k = fractionDigits; k < 3; k++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, i + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (t.charAt(i) == '-' ? -1 : 1);
        } else {
            return Long.MIN_VALUE;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
        long seconds = epochDay * 86_400L + hour * 3_600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000L + millis;
    }

    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
