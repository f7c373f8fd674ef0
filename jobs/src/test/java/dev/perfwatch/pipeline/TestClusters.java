package dev.perfwatch.pipeline;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The embedded cluster of the pipeline tests: one TaskManager of two slots with the network memory of a
 * default 1.5 GB TaskManager (the test cluster's own default, 64 MiB, holds only one batch task's
 * sort-merge partitions at a time), and patience for buffers on a busy 2-core machine.
 */
public final class TestClusters {

    private TestClusters() {}

    public static Configuration configuration() {
        Configuration c = new Configuration();
        c.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(128));
        c.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(128));
        c.set(NettyShuffleEnvironmentOptions.NETWORK_BUFFERS_REQUEST_TIMEOUT, java.time.Duration.ofMinutes(3));
        return c;
    }

    public static MiniClusterExtension twoSlots() {
        return twoSlots(new Configuration());
    }

    public static MiniClusterExtension twoSlots(Configuration extra) {
        Configuration c = configuration();
        c.addAll(extra);
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(c).build());
    }
}
