package dev.perfwatch.config;

import java.io.Serializable;
import java.time.Duration;

/** {@code output}: where results go and how often streaming runs finalize files. */
public class OutputConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public String path;
    /** Output files are finalized at each checkpoint (and at the end of bounded input). */
    public Duration checkpointInterval;
    /**
     * Streaming runs: the longest a record waits in a part-filled network buffer before it is sent on
     * (Flink's {@code execution.buffer-timeout}, 100 ms by default). An alert crosses several exchanges
     * that carry few records, and at Flink's default it waits at each.
     */
    public Duration bufferTimeout;

    void validate(Check c) {
        if (path == null || path.isBlank()) {
            throw c.fail("path", "expected a directory path");
        }
        c.positive(checkpointInterval, "checkpoint-interval");
        c.nonNegative(bufferTimeout, "buffer-timeout");
    }
}
