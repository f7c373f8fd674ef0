package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * A line perfwatch could not accept, kept with its raw text, why it was refused and where it came
 * from, so nothing is dropped silently.
 */
@JsonPropertyOrder({"reason", "detail", "origin", "line", "event_time", "raw"})
public class DeadLetter implements JsonRecord {

    /** The line as read (cut to {@link #MAX_RAW_CHARS} characters for oversized lines). */
    public String raw;
    /** Why it was refused; written as its stable code. */
    public Reason reason;
    /** A sentence naming the field and the bad value. */
    public String detail;
    public String origin;
    public long line;
    /** Event time of the record when it could be read, else null. */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public Long eventTime;

    public static final int MAX_RAW_CHARS = 4096;

    public DeadLetter() {}

    public DeadLetter(String raw, Reason reason, String detail, String origin, long line, Long eventTime) {
        this.raw = raw != null && raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) : raw;
        this.reason = reason;
        this.detail = detail;
        this.origin = origin;
        this.line = line;
        this.eventTime = eventTime;
    }

    @Override
    public long partitionTime() {
        return eventTime == null ? Long.MIN_VALUE : eventTime;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason.code() + ": " + detail + " @" + origin + ":" + line + "}";
    }

    /** Why a line was refused. The codes are part of the dead-letters contract. */
    public enum Reason {
        MALFORMED_JSON("malformed_json"),
        NOT_AN_OBJECT("not_an_object"),
        MISSING_FIELD("missing_field"),
        WRONG_TYPE("wrong_type"),
        UNKNOWN_FIELD("unknown_field"),
        DUPLICATE_KEY("duplicate_key"),
        NOT_FINITE("not_finite"),
        BAD_TIMESTAMP("bad_timestamp"),
        TIMESTAMP_OUT_OF_RANGE("timestamp_out_of_range"),
        INVALID_NAME("invalid_name"),
        OUT_OF_RANGE("out_of_range"),
        UNIT_MISMATCH("unit_mismatch"),
        INVALID_TAGS("invalid_tags"),
        LINE_TOO_LONG("line_too_long"),
        BAD_ENCODING("bad_encoding"),
        BAD_COMPRESSION("bad_compression"),
        CSV_HEADER("csv_header"),
        CSV_COLUMNS("csv_columns"),
        CSV_QUOTING("csv_quoting"),
        LATE("late"),
        BAD_COMMAND("bad_command");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String code() {
            return code;
        }
    }
}
