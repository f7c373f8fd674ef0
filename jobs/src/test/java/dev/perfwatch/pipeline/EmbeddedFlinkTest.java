package dev.perfwatch.pipeline;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

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
    void anEmbeddedJobsClusterIsShutDownAndLeavesNoFilesOnceAwaited() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Configuration conf = new Configuration();
        conf.set(ClusterOptions.PROCESS_WORKING_DIR_BASE, work.toString());
        conf.set(CoreOptions.TMP_DIRS, tmp.toString());
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        StreamExecutionEnvironment env = EmbeddedFlink.environment(conf);
        assertFalse(env instanceof LocalStreamEnvironment, "an environment whose clusters are tracked");
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
}
