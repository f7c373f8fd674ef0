package dev.perfwatch.io;

import dev.perfwatch.model.DeadLetter.Reason;
import dev.perfwatch.model.MetricKind;
import dev.perfwatch.model.MetricSample;

import java.time.Instant;

import static dev.perfwatch.io.Texts.clip;

/**
 * The checks every sample passes whatever its format: timestamps in range, names, value range, the
 * unit of a known metric; and the timestamp parsing both formats share.
 */
final class SampleValidator {

    private final ParserSettings settings;
    /** ingest.time-zone, or null. */
    private final java.time.ZoneId zone;

    SampleValidator(ParserSettings settings) {
        this.settings = settings;
        this.zone = settings.timeZone == null ? null : java.time.ZoneId.of(settings.timeZone);
    }

    /** Whether epoch timestamps are milliseconds (ingest.epoch-unit's default). */
    boolean epochInMillis() {
        return "ms".equals(settings.epochUnit);
    }

    /** Whether the text is an epoch number: digits, perhaps with a fraction (checked without a regex: every CSV line's timestamp comes here). */
    static boolean epochNumber(String t) {
        int n = t.length();
        int dot = -1;
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            if (c == '.' && dot < 0 && i > 0 && i < n - 1) {
                dot = i;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return n > 0;
    }

    long parseTimestamp(String text) throws Rejection {
        String t = text.trim();
        // (in milliseconds, digits are TimestampParser's; a fraction is refused naming the unit that reads it)
        if ((!"ms".equals(settings.epochUnit) || t.indexOf('.') > 0) && epochNumber(t)) {
            return checkTimestampRange(epochMillis(new java.math.BigDecimal(t), text), text);
        }
        long millis;
        try {
            millis = TimestampParser.parse(text, zone);
        } catch (IllegalArgumentException e) {
            throw new Rejection(Reason.BAD_TIMESTAMP, e.getMessage());
        }
        return checkTimestampRange(millis, text);
    }

    long checkTimestampRange(long millis, String text) throws Rejection {
        if (millis < settings.earliestTimestamp || millis >= settings.latestTimestamp) {
            throw new Rejection(Reason.TIMESTAMP_OUT_OF_RANGE, "timestamp " + clip(text) + " is outside ["
                    + Instant.ofEpochMilli(settings.earliestTimestamp) + ", "
                    + Instant.ofEpochMilli(settings.latestTimestamp) + ") (ingest.earliest-timestamp, ingest.latest-timestamp)"
                    + secondsHint(millis));
        }
        return millis;
    }

    /**
     * An epoch number in ingest.epoch-unit as milliseconds, truncated (microseconds and nanoseconds, and
     * fractions of seconds, to the millisecond before them). A fraction of any other unit is refused.
     */
    long epochMillis(java.math.BigDecimal v, String text) throws Rejection {
        String unit = settings.epochUnit;
        if (v.signum() != 0 && v.stripTrailingZeros().scale() > 0 && !"s".equals(unit)) {
            throw new Rejection(Reason.WRONG_TYPE, "timestamp " + clip(text) + " is a fractional number; epoch timestamps must be whole "
                    + unitName(unit) + " (ingest.epoch-unit" + ("ms".equals(unit) ? "; fractional seconds: --set ingest.epoch-unit=seconds)" : ")"));
        }
        java.math.BigDecimal ms = switch (unit) {
            case "s" -> v.movePointRight(3);
            case "us" -> v.movePointLeft(3);
            case "ns" -> v.movePointLeft(6);
            default -> v;
        };
        ms = ms.setScale(0, java.math.RoundingMode.FLOOR);
        if (ms.toBigInteger().bitLength() > 63) {
            throw new Rejection(Reason.TIMESTAMP_OUT_OF_RANGE, "timestamp " + clip(text) + " is too large for epoch " + unitName(unit));
        }
        return ms.longValueExact();
    }

    /** ingest.epoch-unit's word for a short form. */
    static String unitName(String unit) {
        return switch (unit) {
            case "s" -> "seconds";
            case "us" -> "microseconds";
            case "ns" -> "nanoseconds";
            default -> "milliseconds";
        };
    }

    /** For an epoch number that is in range only in another unit: say which, and the option that reads it so. */
    private String secondsHint(long millis) {
        if (!"ms".equals(settings.epochUnit)) {
            return "";
        }
        boolean asSeconds = millis > 0 && millis <= Long.MAX_VALUE / 1000
                && millis * 1000 >= settings.earliestTimestamp && millis * 1000 < settings.latestTimestamp;
        long micros = millis / 1000;
        long nanos = millis / 1_000_000;
        if (asSeconds) {
            return "; epoch timestamps are milliseconds, and read as seconds it would be " + Instant.ofEpochSecond(millis)
                    + " (--set ingest.epoch-unit=seconds, or multiply by 1000)";
        }
        if (micros >= settings.earliestTimestamp && micros < settings.latestTimestamp) {
            return "; epoch timestamps are milliseconds, and read as microseconds it would be " + Instant.ofEpochMilli(micros)
                    + " (--set ingest.epoch-unit=microseconds)";
        }
        if (nanos >= settings.earliestTimestamp && nanos < settings.latestTimestamp) {
            return "; epoch timestamps are milliseconds, and read as nanoseconds it would be " + Instant.ofEpochMilli(nanos)
                    + " (--set ingest.epoch-unit=nanoseconds)";
        }
        return "";
    }

    void validate(MetricSample s) throws Rejection {
        Long ts = s.timestamp;
        checkName("metric", s.metric, ts);
        checkName("component", s.component, ts);
        if (s.host != null) {
            checkName("host", s.host, ts);
        }
        if (Math.abs(s.value) > settings.maxAbsValue) {
            throw new Rejection(Reason.OUT_OF_RANGE, "value " + s.value + " of " + s.metric
                    + " is beyond +/-" + settings.maxAbsValue + " (ingest.max-abs-value)", ts);
        }
        MetricKind kind = MetricKind.of(s.metric);
        if (s.unit != null) {
            if (s.unit.length() > 32) {
                throw new Rejection(Reason.INVALID_NAME, "unit is " + s.unit.length() + " characters long, the limit is 32", ts);
            }
            if (kind != null && !kind.unit().accepts(s.unit)) {
                throw new Rejection(Reason.UNIT_MISMATCH, "unit '" + clip(s.unit) + "' does not match " + s.metric
                        + ", which is measured in " + kind.unit().canonical(), ts);
            }
        }
        if (kind != null) {
            MetricKind.Unit unit = kind.unit();
            if (s.value < unit.min() || s.value > unit.max()) {
                throw new Rejection(Reason.OUT_OF_RANGE, s.metric + " value " + s.value + " must be "
                        + unit.describeRange() + " (" + unit.canonical() + ")", ts);
            }
        }
    }

    /** Adds a tag to a sorted map, refusing bad keys, long values, repeats and too many tags. */
    void putTag(java.util.Map<String, String> tags, String key, String value, Long ts) throws Rejection {
        String problem = Names.problem(key, settings.maxNameLength);
        if (problem != null) {
            throw new Rejection(Reason.INVALID_TAGS, "tag key '" + clip(key) + "' is not valid: " + problem, ts);
        }
        if (value.length() > 256) {
            throw new Rejection(Reason.INVALID_TAGS, "tag '" + key + "' value is " + value.length() + " characters long, the limit is 256", ts);
        }
        if (tags.put(key, value) != null) {
            throw new Rejection(Reason.DUPLICATE_KEY, "tag '" + key + "' appears more than once", ts);
        }
        if (tags.size() > settings.maxTags) {
            throw new Rejection(Reason.INVALID_TAGS, "more than " + settings.maxTags + " tags (ingest.max-tags)", ts);
        }
    }

    private void checkName(String field, String name, Long ts) throws Rejection {
        String problem = Names.problem(name, settings.maxNameLength);
        if (problem != null) {
            throw new Rejection(Reason.INVALID_NAME, field + " '" + clip(name) + "' is not valid: " + problem, ts);
        }
    }
}
