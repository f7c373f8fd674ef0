package dev.perfwatch.pipeline;

import dev.perfwatch.config.CheckpointsConfig;
import dev.perfwatch.config.PerfwatchConfig;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;

import java.time.Duration;

/** The Flink settings every perfwatch job runs with. */
public final class FlinkSettings {

    /** Fixed so keyed state can be rescaled without losing it; change only with a savepoint migration. */
    public static final int MAX_PARALLELISM = 128;

    private FlinkSettings() {}

    public static Configuration forJob(PerfwatchConfig config, RuntimeExecutionMode mode) {
        Configuration conf = new Configuration();
        // State and events must never fall back to Kryo, and every operator has a stable uid.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        conf.set(ExecutionOptions.RUNTIME_MODE, mode);
        if (mode == RuntimeExecutionMode.STREAMING) {
            // An alert crosses several exchanges that carry few records; at Flink's default (100 ms) it
            // waits for a buffer to fill or time out at each (jobs/BENCHMARKS.md, streaming latency).
            conf.set(ExecutionOptions.BUFFER_TIMEOUT, config.output.bufferTimeout);
            // Output files are committed at checkpoints, and at the end of bounded input.
            CheckpointsConfig c = config.checkpoints;
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.output.checkpointInterval);
            conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    c.mode.equals("at-least-once") ? CheckpointingMode.AT_LEAST_ONCE : CheckpointingMode.EXACTLY_ONCE);
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, c.retainOnCancel
                    ? ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION : ExternalizedCheckpointRetention.DELETE_ON_CANCELLATION);
            conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, c.timeout);
            conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, c.minPause);
            if (c.storage != null) {
                conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
                conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, c.storage);
                conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, c.storage + (c.storage.endsWith("/") ? "" : "/") + "savepoints");
            }
            if (c.stateBackend != null) {
                conf.set(StateBackendOptions.STATE_BACKEND, c.stateBackend);
                conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, c.incremental);
            }
        }
        // An embedded run's TaskManager gets the network memory of a default 1.5 GB one (the embedded default,
        // 64 MiB, holds one batch task's sort-merge partitions at a time), and patience for buffers on a busy
        // machine. (On a cluster these are the TaskManagers' own settings; a job cannot change them.)
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(128));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(128));
        conf.set(NettyShuffleEnvironmentOptions.NETWORK_BUFFERS_REQUEST_TIMEOUT, Duration.ofMinutes(3));
        // An embedded run's REST endpoint (and web UI) listens on loopback only.
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        return conf;
    }
}
