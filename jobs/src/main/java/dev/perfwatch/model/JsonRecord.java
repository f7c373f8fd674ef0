package dev.perfwatch.model;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/** An output record written as one JSON line and partitioned by its event time. */
public interface JsonRecord {

    /** Writes this record's fields into an object the caller has opened. */
    void writeFields(JsonGenerator json) throws IOException;

    /** Event time that decides the output partition, or {@link Long#MIN_VALUE} when unknown. */
    long partitionTime();

    /** Writes a number field, or null where the value is NaN or infinite (JSON has neither). */
    static void number(JsonGenerator json, String field, double value) throws IOException {
        if (Double.isFinite(value)) {
            json.writeNumberField(field, value);
        } else {
            json.writeNullField(field);
        }
    }
}
