package dev.perfwatch.cli;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.pipeline.StagedOutput;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;

/** Runs a built job: bounded runs stage their output and commit it on success; watched runs report progress. */
public final class JobRun {

    private JobRun() {}

    /**
     * Whether the job is submitted without anyone waiting for it: a jar run through Flink's REST API (its
     * main runs in the JobManager, detached) or {@code flink run -d}. Then nothing can happen after the
     * job in this process (no staged commit, no report).
     */
    static boolean detached(StreamExecutionEnvironment env) {
        return env instanceof org.apache.flink.client.program.StreamContextEnvironment
                && !env.getConfiguration().get(org.apache.flink.configuration.DeploymentOptions.ATTACHED);
    }

    /** Submits the job and returns at once (see {@link #detached}). */
    static void submitDetached(StreamExecutionEnvironment env, String name, java.io.PrintStream out) throws Exception {
        JobExecutionResult result = env.execute(name);
        out.println("perfwatch: submitted job " + result.getJobID() + " (detached); its output is written in place");
    }

    /**
     * Executes a bounded job that writes to {@code staged}; on success replaces the partitions it
     * covers, on failure leaves the earlier output as it was.
     */
    public static RunReport bounded(StreamExecutionEnvironment env, String name, StagedOutput staged, PerfwatchConfig config) throws Exception {
        return bounded(env, name, staged, config, null, null);
    }

    /** As above, calling {@code progress} with the job's counts every {@code every} (null: never) while it runs. */
    static RunReport bounded(StreamExecutionEnvironment env, String name, StagedOutput staged, PerfwatchConfig config,
            Duration every, Consumer<RunReport> progress) throws Exception {
        RunReport report = staged(env, name, staged, config, every, progress);
        staged.commit(report.first(), report.last());
        return report;
    }

    /**
     * Executes a job that writes to {@code staged} and returns its report, committing nothing (the caller
     * decides what to replace); on failure the staged output is removed. With {@code every}, calls
     * {@code progress} with the job's counts at that pace while it runs.
     */
    static RunReport staged(StreamExecutionEnvironment env, String name, StagedOutput staged, PerfwatchConfig config,
            Duration every, Consumer<RunReport> progress) throws Exception {
        JobExecutionResult result;
        try {
            result = every == null ? env.execute(name) : await(env.executeAsync(name), config, every, progress);
        } catch (Exception e) {
            staged.abort();
            throw e;
        }
        return new RunReport(result.getAllAccumulatorResults(), config, result.getNetRuntime());
    }

    /** Waits for the job's end, calling {@code progress} with its counts every {@code every} until then. */
    private static JobExecutionResult await(JobClient client, PerfwatchConfig config, Duration every, Consumer<RunReport> progress)
            throws Exception {
        while (true) {
            try {
                return client.getJobExecutionResult().get(every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                progress.accept(new RunReport(client.getAccumulators().get(), config, -1));
            }
        }
    }

    /** Starts an unbounded job and prints its counts every {@code every} until it ends. */
    static void watched(StreamExecutionEnvironment env, String name, PerfwatchConfig config, Duration every, PrintStream out)
            throws Exception {
        JobClient client = env.executeAsync(name);
        out.println("job " + client.getJobID() + " running; Ctrl-C stops it (output files are final up to the last checkpoint)");
        String[] last = {null};
        long[] lastPrinted = {0};
        JobExecutionResult result = await(client, config, every, report -> {
            String line = report.progress();
            // Every interval when something moved, at least once a minute when nothing did.
            if (!line.equals(last[0]) || System.currentTimeMillis() - lastPrinted[0] >= 60_000) {
                out.println(java.time.LocalTime.now().withNano(0) + "  " + line);
                last[0] = line;
                lastPrinted[0] = System.currentTimeMillis();
            }
        });
        new RunReport(result.getAllAccumulatorResults(), config, result.getNetRuntime()).print(out);
    }
}
