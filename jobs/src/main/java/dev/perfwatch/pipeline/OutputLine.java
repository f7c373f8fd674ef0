package dev.perfwatch.pipeline;

import dev.perfwatch.model.JsonRecord;
import dev.perfwatch.model.OutputJson;

/** One output record as it is written: its partition ({@code dt=.../hour=...}) and its JSON text. */
public class OutputLine {

    public String partition;
    public String json;

    public OutputLine() {}

    public OutputLine(String partition, String json) {
        this.partition = partition;
        this.json = json;
    }

    public static OutputLine of(JsonRecord record) {
        return new OutputLine(EventTimeBuckets.bucketOf(record.partitionTime()), OutputJson.toJson(record));
    }
}
