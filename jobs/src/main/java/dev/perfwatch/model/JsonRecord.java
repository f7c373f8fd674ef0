package dev.perfwatch.model;

/** An output record: written as one JSON line by {@link OutputJson} and partitioned by its event time. */
public interface JsonRecord {

    /** Event time that decides the output partition, or {@link Long#MIN_VALUE} when unknown. */
    long partitionTime();
}
