package dev.perfwatch.pipeline;

import dev.perfwatch.model.JsonRecord;
import dev.perfwatch.model.OutputJson;

import java.util.Arrays;

/**
 * One output record as it is written: its partition ({@code dt=.../hour=...}) and its line, the JSON
 * text in UTF-8 with a newline. Bytes, not a String: each line is shuffled to its writer and written
 * as it is (a String went through Flink's char-by-char string encoding twice, and UTF-8 once more).
 */
public class OutputLine {

    public String partition;
    /** The record's JSON text in UTF-8, then a newline. */
    public byte[] line;

    public OutputLine() {}

    public OutputLine(String partition, byte[] line) {
        this.partition = partition;
        this.line = line;
    }

    public static OutputLine of(JsonRecord record) {
        return new OutputLine(EventTimeBuckets.bucketOf(record.partitionTime()), OutputJson.toJsonLine(record));
    }

    /** The JSON text without the newline, as bytes (a Kafka record's value). */
    public byte[] jsonBytes() {
        return Arrays.copyOf(line, line.length - 1);
    }
}
