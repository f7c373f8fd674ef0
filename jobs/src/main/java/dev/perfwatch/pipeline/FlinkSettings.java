package dev.perfwatch.pipeline;

import dev.perfwatch.config.PerfwatchConfig;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;

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
            // Output files are committed at checkpoints, and at the end of bounded input.
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.output.checkpointInterval);
        }
        // An embedded run's REST endpoint (and web UI) listens on loopback only.
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        return conf;
    }
}
