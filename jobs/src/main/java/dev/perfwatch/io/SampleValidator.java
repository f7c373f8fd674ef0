package dev.perfwatch.io;

import dev.perfwatch.config.EpochUnit;
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
        return settings.epochUnit == EpochUnit.MILLISECONDS;
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
        if ((settings.epochUnit != EpochUnit.MILLISECONDS || t.indexOf('.') > 0) && epochNumber(t)) {
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
        EpochUnit unit = settings.epochUnit;
        if (v.signum() != 0 && v.stripTrailingZeros().scale() > 0 && unit != EpochUnit.SECONDS) {
            throw new Rejection(Reason.WRONG_TYPE, "timestamp " + clip(text) + " is a fractional number; epoch timestamps must be whole "
                    + unit.yaml() + " (ingest.epoch-unit" + (unit == EpochUnit.MILLISECONDS ? "; fractional seconds: --set ingest.epoch-unit=seconds)" : ")"));
        }
        java.math.BigDecimal ms = unit.millis(v).setScale(0, java.math.RoundingMode.FLOOR);
        if (ms.toBigInteger().bitLength() > 63) {
            throw new Rejection(Reason.TIMESTAMP_OUT_OF_RANGE, "timestamp " + clip(text) + " is too large for epoch " + unit.yaml());
        }
        return ms.longValueExact();
    }

    /** For an epoch number that is in range only in another unit: say which, and the option that reads it so. */
    private String secondsHint(long millis) {
        if (settings.epochUnit != EpochUnit.MILLISECONDS || millis <= 0) {
            return "";
        }
        for (EpochUnit other : new EpochUnit[] {EpochUnit.SECONDS, EpochUnit.MICROSECONDS, EpochUnit.NANOSECONDS}) {
            java.math.BigDecimal as = other.millis(java.math.BigDecimal.valueOf(millis)).setScale(0, java.math.RoundingMode.FLOOR);
            if (as.compareTo(java.math.BigDecimal.valueOf(settings.earliestTimestamp)) >= 0
                    && as.compareTo(java.math.BigDecimal.valueOf(settings.latestTimestamp)) < 0) {
                return "; epoch timestamps are milliseconds, and read as " + other.yaml() + " it would be " + Instant.ofEpochMilli(as.longValue())
                        + " (--set ingest.epoch-unit=" + other.yaml() + (other == EpochUnit.SECONDS ? ", or multiply by 1000)" : ")");
            }
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
