package dev.perfwatch.pipeline;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.util.List;

/** The pipeline as the commands build it, for tests: the same builder, the same inputs. */
public final class TestPipelines {

    private TestPipelines() {}

    /**
     * Cancels a running job and waits until it has stopped: the cancellation is acknowledged before the
     * tasks stop, and a file sink still writing then keeps a test's temporary folder from being deleted.
     */
    public static void cancelAndWait(org.apache.flink.core.execution.JobClient job) throws Exception {
        job.cancel().get();
        try {
            job.getJobExecutionResult().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException cancelled) {
            // it ends cancelled, as asked
        }
    }

    public static MetricInput generator(PerfwatchConfig config, DemoGenerator generator) {
        return Inputs.generator(generator, ParserSettings.from(config.ingest, null, null));
    }

    public static MetricInput files(PerfwatchConfig config, List<Path> paths) {
        return Inputs.files(paths.stream().map(Path::toString).toList(), LineFormat.samples(config.ingest.maxLineBytes, null,
                ParserSettings.from(config.ingest, null, null)), null, config.ingest.maxOpenFiles);
    }

    public static Outputs build(StreamExecutionEnvironment env, PerfwatchConfig config, MetricInput input) {
        return PerfwatchPipeline.build(env, List.of(input), config);
    }
}
