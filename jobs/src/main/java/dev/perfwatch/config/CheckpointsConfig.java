package dev.perfwatch.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * {@code checkpoints}: how streaming runs checkpoint (their interval is {@code output.checkpoint-interval},
 * at which output files become final). Storage and state backend left unset keep the cluster's own
 * settings ({@code execution.checkpointing.dir}, {@code state.backend.type}).
 */
public class CheckpointsConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Set<String> MODES = Set.of("exactly-once", "at-least-once");
    private static final Set<String> BACKENDS = Set.of("hashmap", "rocksdb");

    /** exactly-once or at-least-once. */
    public String mode;
    /** Directory (URI) of checkpoints and savepoints, or null for Flink's setting. */
    public String storage;
    /** hashmap or rocksdb, or null for Flink's setting. */
    public String stateBackend;
    /** RocksDB: upload only the files that changed since the last checkpoint. */
    public boolean incremental;
    /** Keep the last checkpoint when the job is cancelled, to resume from it. */
    public boolean retainOnCancel;
    public Duration timeout;
    public Duration minPause;

    void validate(Check c) {
        mode = oneOf(c, "mode", mode, MODES, false);
        stateBackend = oneOf(c, "state-backend", stateBackend, BACKENDS, true);
        if (storage != null && storage.isBlank()) {
            storage = null;
        }
        if (storage != null && !storage.contains(":/")) {
            throw c.fail("storage", "expected a URI with a scheme (file:///var/perfwatch/checkpoints, s3://bucket/checkpoints),"
                    + " got '" + storage + "'");
        }
        c.positive(timeout, "timeout");
        c.nonNegative(minPause, "min-pause");
    }

    private static String oneOf(Check c, String key, String value, Set<String> allowed, boolean optional) {
        if (value == null || value.isBlank()) {
            if (optional) {
                return null;
            }
            throw c.fail(key, "expected one of " + new java.util.TreeSet<>(allowed));
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw c.fail(key, "expected one of " + new java.util.TreeSet<>(allowed) + ", got '" + value + "'");
        }
        return v;
    }
}
