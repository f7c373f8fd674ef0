package dev.perfwatch.cli;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options every job command takes: configuration and parallelism. */
public class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:PERFWATCH_CONFIG}",
            description = "YAML merged over the built-in defaults (conf/perfwatch.yaml). "
                    + "Default: $PERFWATCH_CONFIG, else the built-in defaults alone.")
    public Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set windows.summary=30s (repeatable).")
    public List<String> overrides = new ArrayList<>();

    @Option(names = {"-p", "--parallelism"}, paramLabel = "N",
            description = "Parallelism of the job (default: Flink's: parallelism.default on a cluster, or flink run -p;"
                    + " the number of cores when embedded).")
    public Integer parallelism;

    /** Sets the parallelism when given; else the environment keeps Flink's. Returns the one in effect. */
    public int apply(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env) {
        if (parallelism != null) {
            if (parallelism < 1) {
                throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
            }
            env.setParallelism(parallelism);
        }
        return env.getParallelism();
    }

    /** Loads the configuration with these options' overrides plus a command's own, applied last. */
    public PerfwatchConfig load(List<String> commandOverrides) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(commandOverrides);
        return ConfigLoader.load(config, all);
    }
}
