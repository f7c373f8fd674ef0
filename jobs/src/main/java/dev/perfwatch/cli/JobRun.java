package dev.perfwatch.cli;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.pipeline.StagedOutput;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/** Runs a built job: bounded runs stage their output and commit it on success; watched runs report progress. */
final class JobRun {

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
    static RunReport bounded(StreamExecutionEnvironment env, String name, StagedOutput staged, PerfwatchConfig config) throws Exception {
        JobExecutionResult result;
        try {
            result = env.execute(name);
        } catch (Exception e) {
            staged.abort();
            throw e;
        }
        RunReport report = new RunReport(result.getAllAccumulatorResults(), config, result.getNetRuntime());
        staged.commit(report.first(), report.last());
        return report;
    }

    /** Starts an unbounded job and prints its counts every {@code every} until it ends. */
    static void watched(StreamExecutionEnvironment env, String name, PerfwatchConfig config, Duration every, PrintStream out)
            throws Exception {
        JobClient client = env.executeAsync(name);
        out.println("job " + client.getJobID() + " running; Ctrl-C stops it (output files are final up to the last checkpoint)");
        String last = null;
        long lastPrinted = 0;
        while (!client.getJobStatus().get().isGloballyTerminalState()) {
            try {
                client.getJobExecutionResult().get(every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // still running: report below
            }
            Map<String, Object> accumulators = client.getAccumulators().get();
            String line = new RunReport(accumulators, config, -1).progress();
            // Every interval when something moved, at least once a minute when nothing did.
            if (!line.equals(last) || System.currentTimeMillis() - lastPrinted >= 60_000) {
                out.println(java.time.LocalTime.now().withNano(0) + "  " + line);
                last = line;
                lastPrinted = System.currentTimeMillis();
            }
        }
        JobExecutionResult result = client.getJobExecutionResult().get();
        new RunReport(result.getAllAccumulatorResults(), config, result.getNetRuntime()).print(out);
    }
}
