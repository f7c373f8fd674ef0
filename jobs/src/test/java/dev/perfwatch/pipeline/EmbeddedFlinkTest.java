package dev.perfwatch.pipeline;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.util.Collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An embedded run (no Flink context: the launcher's) leaves nothing behind once the launcher has waited for
 * its MiniCluster: no working directory, no extracted RPC jar. (No MiniClusterExtension here: that would be
 * the context.)
 */
class EmbeddedFlinkTest {

    @TempDir
    Path dir;

    @Test
    void aStreamingJobOnAClusterWithoutACheckpointDirectoryIsWarnedAboutTheJobManagersMemory() {
        Configuration streaming = new Configuration();
        streaming.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        assertTrue(EmbeddedFlink.checkpointStorageWarning(streaming).orElseThrow().contains("checkpoints.storage"));
        Configuration jobManager = new Configuration(streaming);
        jobManager.set(CheckpointingOptions.CHECKPOINT_STORAGE, "jobmanager");
        assertTrue(EmbeddedFlink.checkpointStorageWarning(jobManager).isPresent(), "the JobManager's memory named explicitly");
        Configuration dirSet = new Configuration(streaming);
        dirSet.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///tmp/checkpoints");
        assertEquals(Optional.empty(), EmbeddedFlink.checkpointStorageWarning(dirSet));
        Configuration other = new Configuration(streaming);
        other.set(CheckpointingOptions.CHECKPOINT_STORAGE, "com.example.OwnStorageFactory");
        assertEquals(Optional.empty(), EmbeddedFlink.checkpointStorageWarning(other), "a storage of the cluster's own");
        Configuration batch = new Configuration();
        batch.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        assertEquals(Optional.empty(), EmbeddedFlink.checkpointStorageWarning(batch), "batch jobs do not checkpoint");
    }

    @Test
    void anEmbeddedJobsClusterIsShutDownAndLeavesNoFilesOnceAwaited() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Configuration conf = new Configuration();
        conf.set(ClusterOptions.PROCESS_WORKING_DIR_BASE, work.toString());
        conf.set(CoreOptions.TMP_DIRS, tmp.toString());
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        StreamExecutionEnvironment env = EmbeddedFlink.environment(conf);
        assertFalse(env instanceof LocalStreamEnvironment, "an environment whose clusters are tracked");
        assertEquals(Runtime.getRuntime().availableProcessors(), env.getParallelism(), "Flink's local default: the cores");
        Configuration two = new Configuration(conf);
        two.set(CoreOptions.DEFAULT_PARALLELISM, 3);
        assertEquals(3, EmbeddedFlink.environment(two).getParallelism(), "parallelism.default when set");
        env.setParallelism(1);
        env.fromData(List.of(1L, 2L, 3L)).sinkTo(new DiscardingSink<>());
        env.execute("embedded");

        EmbeddedFlink.awaitShutdown(Duration.ofSeconds(30));
        assertEquals(0, EmbeddedFlink.running(), "every cluster seen shut down");
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "the cluster's working directory is removed");
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("flink-rpc")), "the RPC jar is removed");
        }
    }

    /**
     * A streaming job with more state than the JobManager's memory holds in a checkpoint (5 MB a task: a few hundred
     * series of regression state) completes its checkpoints in a temporary directory of its own, removed once the
     * cluster has shut down. Before, every checkpoint failed and the job restarted without end.
     */
    @Test
    void anEmbeddedStreamingJobCheckpointsLargeStateToATemporaryDirectoryRemovedAfterwards() throws Exception {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        Set<Path> before = EmbeddedFlink.checkpointDirs(); // (other tests' runs in this JVM)
        StreamExecutionEnvironment env = EmbeddedFlink.environment(conf);
        List<Path> dirs = EmbeddedFlink.checkpointDirs().stream().filter(d -> !before.contains(d)).toList();
        assertEquals(1, dirs.size(), dirs.toString());
        assertTrue(Files.isDirectory(dirs.get(0)));
        env.setParallelism(1);
        // One record per checkpoint: the third waits for two checkpoints holding the 8 MB of state.
        DataGeneratorSource<Long> source = new DataGeneratorSource<>(i -> i, 3, RateLimiterStrategy.perCheckpoint(1), Types.LONG);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
                .keyBy(i -> 0L)
                .process(new KeyedProcessFunction<Long, Long, Long>() {
                    private transient ValueState<byte[]> big;

                    @Override
                    public void open(org.apache.flink.api.common.functions.OpenContext context) {
                        big = getRuntimeContext().getState(new ValueStateDescriptor<>("big", org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
                    }

                    @Override
                    public void processElement(Long i, Context ctx, Collector<Long> out) throws Exception {
                        big.update(new byte[8 << 20]);
                        out.collect(i);
                    }
                }, Types.LONG)
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("large state");
        try {
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.TimeoutException e) {
            job.cancel().get();
            throw new AssertionError("the job did not finish: its checkpoints fail", e);
        }
        EmbeddedFlink.awaitShutdown(Duration.ofSeconds(30));
        assertFalse(Files.exists(dirs.get(0)), "the checkpoint directory is removed");
        assertFalse(EmbeddedFlink.checkpointDirs().contains(dirs.get(0)));

        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        Set<Path> beforeBatch = EmbeddedFlink.checkpointDirs();
        EmbeddedFlink.environment(conf);
        assertEquals(beforeBatch, EmbeddedFlink.checkpointDirs(), "no checkpoints in batch mode");
    }
}
