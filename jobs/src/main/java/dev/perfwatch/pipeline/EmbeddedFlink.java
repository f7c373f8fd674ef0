package dev.perfwatch.pipeline;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The execution environment of a job: Flink's own where there is one (a job run by {@code flink run} or
 * submitted through the REST API, a test's MiniCluster), else an embedded MiniCluster per job, as Flink's
 * local environment makes, whose shutdown {@link #awaitShutdown} can wait for. Flink shuts an embedded
 * MiniCluster down when the job's result is in, without waiting for it; a launcher run that then exits
 * the JVM at once cut that short and left the cluster's working directory and Flink's extracted RPC jar
 * (about 23 MB) in the temporary directory at every run.
 *
 * <p>A streaming job on an embedded MiniCluster checkpoints to a temporary directory of its own (unless
 * {@code checkpoints.storage} says where), removed when the clusters have shut down: Flink's default there
 * keeps checkpoints in the JobManager's memory, at most 5 MB of state per task, and a job with a few hundred
 * series' state failed every checkpoint and restarted without end.
 */
public final class EmbeddedFlink {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFlink.class);

    /** The embedded MiniClusters made, until seen shut down. */
    private static final Set<MiniCluster> RUNNING = ConcurrentHashMap.newKeySet();
    /** The checkpoint directories of embedded streaming jobs, removed once their clusters have shut down. */
    private static final Set<Path> CHECKPOINT_DIRS = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean CLEANUP_HOOK_ADDED = new AtomicBoolean();

    private EmbeddedFlink() {}

    /** The environment for {@code conf}: the context's, or an embedded MiniCluster's. */
    public static StreamExecutionEnvironment environment(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (!(env instanceof LocalStreamEnvironment)) {
            // flink run, the REST API, a test's MiniCluster
            checkpointStorageWarning(env.getConfiguration()).ifPresent(warning -> {
                LOG.warn(warning);
                System.err.println("perfwatch: " + warning); // (flink run's console; the JobManager's .out file)
            });
            return env;
        }
        Configuration local = new Configuration(conf);
        if (!local.contains(CoreOptions.DEFAULT_PARALLELISM)) {
            // Flink's local default, as its local environment has it: the number of cores.
            local.set(CoreOptions.DEFAULT_PARALLELISM, env.getParallelism());
        }
        local.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
        local.set(DeploymentOptions.ATTACHED, true);
        if (local.get(ExecutionOptions.RUNTIME_MODE) != RuntimeExecutionMode.BATCH && !local.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            Path dir = checkpointDir();
            local.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            local.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
        }
        return new StreamExecutionEnvironment(new TrackedLocalExecutors(), local, Thread.currentThread().getContextClassLoader());
    }

    /**
     * Waits until every embedded MiniCluster has shut down (each is asked to, again), at most {@code bound} in
     * all: its working directory and the RPC jar are removed by then.
     */
    public static void awaitShutdown(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        for (MiniCluster cluster : RUNNING) {
            try {
                // (closing one that is closing or closed only returns its termination)
                cluster.closeAsync().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                RUNNING.remove(cluster);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                return; // not shut down in time, or failing to: the JVM exits anyway (the directories go then)
            }
        }
        removeCheckpointDirs();
    }

    /**
     * What to tell the user of a streaming job on a cluster that keeps its checkpoints in the JobManager's
     * memory (Flink's default when no checkpoint directory is set): empty when it does not.
     */
    static Optional<String> checkpointStorageWarning(ReadableConfig conf) {
        if (conf.get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH
                || conf.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isPresent()
                || !conf.getOptional(CheckpointingOptions.CHECKPOINT_STORAGE).orElse("jobmanager").equalsIgnoreCase("jobmanager")) {
            return Optional.empty();
        }
        return Optional.of("this streaming job keeps its checkpoints in the JobManager's memory (neither checkpoints.storage "
                + "nor the cluster's execution.checkpointing.dir is set): at most 5 MB of state per task, a few hundred series; "
                + "beyond that every checkpoint fails and the job restarts without end. Set checkpoints.storage "
                + "(e.g. --set checkpoints.storage=s3://bucket/perfwatch/checkpoints) or execution.checkpointing.dir.");
    }

    /** A new temporary checkpoint directory, removed after the clusters have shut down, or at the JVM's exit. */
    private static Path checkpointDir() {
        try {
            Path dir = Files.createTempDirectory("perfwatch-checkpoints-");
            if (CLEANUP_HOOK_ADDED.compareAndSet(false, true)) {
                Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedFlink::removeCheckpointDirs, "perfwatch-checkpoints-cleanup"));
            }
            CHECKPOINT_DIRS.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a checkpoint directory in " + System.getProperty("java.io.tmpdir")
                    + " (set checkpoints.storage): " + e.getMessage(), e);
        }
    }

    /** Removes the checkpoint directories of embedded jobs (their clusters have shut down, or the JVM exits). */
    private static void removeCheckpointDirs() {
        for (Path dir : CHECKPOINT_DIRS) {
            FileUtils.deleteDirectoryQuietly(dir.toFile());
            CHECKPOINT_DIRS.remove(dir);
        }
    }

    /** The checkpoint directories not yet removed (tests). */
    static Set<Path> checkpointDirs() {
        return Set.copyOf(CHECKPOINT_DIRS);
    }

    /** How many embedded MiniClusters are running (tests). */
    static int running() {
        return RUNNING.size();
    }

    /** Flink's local executor, with MiniClusters that are tracked until they have shut down. */
    private static final class TrackedLocalExecutors implements PipelineExecutorServiceLoader {
        @Override
        public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
            return new PipelineExecutorFactory() {
                @Override
                public String getName() {
                    return LocalExecutor.NAME;
                }

                @Override
                public boolean isCompatibleWith(Configuration c) {
                    return LocalExecutor.NAME.equalsIgnoreCase(c.get(DeploymentOptions.TARGET));
                }

                @Override
                public PipelineExecutor getExecutor(Configuration c) {
                    return LocalExecutor.createWithFactory(c, clusterConfig -> {
                        // those of earlier jobs that have shut down are forgotten (one not running returns its
                        // termination, done once shut down)
                        RUNNING.removeIf(old -> !old.isRunning() && old.closeAsync().isDone());
                        MiniCluster cluster = new MiniCluster(clusterConfig);
                        RUNNING.add(cluster);
                        return cluster;
                    });
                }
            };
        }

        @Override
        public Stream<String> getExecutorNames() {
            return Stream.of(LocalExecutor.NAME);
        }
    }
}
