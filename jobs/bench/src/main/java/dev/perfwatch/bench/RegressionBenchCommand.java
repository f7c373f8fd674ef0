package dev.perfwatch.bench;

import dev.perfwatch.cli.CommonOptions;
import dev.perfwatch.config.PerfwatchConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "regression-bench", mixinStandardHelpOptions = true,
        description = {"Measure regression detection on labelled synthetic series.",
            "Series of --days days (3 by default; one sample every --spacing, 10 s by default), the change on the last day:",
            "null series, steps and ramps of 5%% to 100%%, transient spikes; daily cycles, heavy tails.",
            "Prints recall by change size and type, false findings on null series, detection delay and",
            "classification accuracy, with the configuration's regression settings."})
public class RegressionBenchCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--series", defaultValue = "400", description = "Number of series (default: ${DEFAULT-VALUE}).")
    int series;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the series (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "N",
            description = "Run N seeds, --seed to --seed + N - 1: one summary row each, then the report over all of them (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--days", defaultValue = "3", paramLabel = "DAYS",
            description = "Days per series, the change on the last one (default: ${DEFAULT-VALUE}; 2 to 14).")
    int days;

    @Option(names = "--spacing", defaultValue = "10s", paramLabel = "DURATION",
            description = "Time between two samples of a series (default: ${DEFAULT-VALUE}; e.g. 1m, 5m for sparse series).")
    String spacing;

    @Option(names = "--calibrate",
            description = {"Instead: the sequential test alone on --series unchanged series (independent normal values, a 20%% daily cycle)",
                "at --spacing over --days days: its false alarms per series-day against regression.alpha, the rate its",
                "thresholds are set for (e.g. --set regression.alpha=0.05 --series 1000)."})
    boolean calibrate;

    @Option(names = "--phi", defaultValue = "0", paramLabel = "PHI",
            description = {"For --calibrate: the noise's correlation from one value to the next, AR(1) (default: ${DEFAULT-VALUE},",
                "independent values; e.g. 0.8: metrics sampled often carry much of each value into the next)."})
    double phi;

    @Option(names = "--anomaly",
            description = {"Instead: the anomaly alerts (alerts.anomaly) on the same series: alerts before any change per series-day,",
                "on the first day and after it, and the spikes found (an alert starting within 5 minutes after the spike's end); per seed, then per metric."})
    boolean anomaly;

    @Option(names = "--outage", defaultValue = "0s", paramLabel = "DURATION",
            description = "Give every series an outage of this long, no samples (default: none): a changed series' ends as its change "
                + "begins (the data comes back changed), an unchanged series' is on the day before the last (the last day is the one "
                + "after it). What an outage costs: false findings the day after it, and the delay of a change as the data comes back.")
    String outage;

    @Option(names = "--details", description = "Also print one line per series: the change injected and what was found.")
    boolean details;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Also write the report to this markdown file.")
    Path output;

    @Override
    public Integer call() throws Exception {
        PerfwatchConfig config = common.load(List.of());
        long started = System.nanoTime();
        long spacingMillis;
        try {
            spacingMillis = dev.perfwatch.config.ConfigLoader.parseDuration(spacing).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--spacing: " + e.getMessage());
        }
        long outageMillis;
        try {
            outageMillis = dev.perfwatch.config.ConfigLoader.parseDuration(outage).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--outage: " + e.getMessage());
        }
        if (outageMillis > 0 && (calibrate || anomaly)) {
            throw new IllegalArgumentException("--outage: only for the detection benchmark, not with " + (calibrate ? "--calibrate" : "--anomaly"));
        }
        if (outageMillis < 0 || outageMillis > LabelledSeries.MAX_OUTAGE) {
            throw new IllegalArgumentException("--outage: expected 0 to 22h (an outage within a day before the change), got " + outage);
        }
        if (anomaly && (calibrate || details)) {
            throw new IllegalArgumentException("--anomaly: not with " + (calibrate ? "--calibrate" : "--details")
                    + " (it reports counts over all series; run them separately)");
        }
        if (phi != 0 && !calibrate) {
            throw new IllegalArgumentException("--phi: only with --calibrate (the benchmark's own series have independent noise)");
        }
        if (!(phi > -1 && phi < 1)) {
            throw new IllegalArgumentException("--phi: expected a correlation strictly between -1 and 1, got " + phi);
        }
        if (calibrate) {
            SequentialCalibration.Result r = SequentialCalibration.run(series, seed, spacingMillis, days,
                    config.regression.evaluationInterval.toMillis(), config.regression.alpha, phi);
            System.out.printf("| one sample every | noise's correlation (AR(1)) | series | series-days counted | alarms | alarms per series-day | stated (regression.alpha) |%n"
                    + "|---|---:|---:|---:|---:|---:|---:|%n| %s | %s | %d | %.0f | %d | %.4f | %.4f |%n", spacing, phi, series, r.seriesDays(), r.alarms(),
                    r.perSeriesDay(), config.regression.alpha);
            return 0;
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds: expected at least 1, got " + seeds);
        }
        if (anomaly) {
            StringBuilder report = new StringBuilder(AnomalyBenchmark.HEADER);
            AnomalyBenchmark.Result all = null;
            java.util.Map<String, AnomalyBenchmark.Result> byMetric = new java.util.TreeMap<>();
            for (long sd = seed; sd < seed + seeds; sd++) {
                AnomalyBenchmark.Result r = AnomalyBenchmark.run(LabelledSeries.generate(series, sd, spacingMillis, days), config, byMetric);
                report.append(AnomalyBenchmark.row(String.valueOf(sd), r));
                all = all == null ? r : all.plus(r);
            }
            if (seeds > 1) {
                report.append(AnomalyBenchmark.row("all", all));
            }
            report.append("\nBy metric, every seed:\n\n").append(AnomalyBenchmark.HEADER.replace("| seed |", "| metric |"));
            byMetric.forEach((metric, r) -> report.append(AnomalyBenchmark.row(metric, r)));
            System.out.print(report);
            System.out.printf("%n(anomaly alerts: %d series x %d seed(s) from %d, %d days, one sample every %s, range-days %d, %.1f s)%n", series, seeds,
                    seed, days, spacing, config.alerts.anomaly.rangeDays, (System.nanoTime() - started) / 1e9);
            if (output != null) {
                Files.writeString(output, report.toString());
            }
            return 0;
        }
        List<RegressionBenchmark.Outcome> outcomes = new java.util.ArrayList<>();
        StringBuilder rows = new StringBuilder();
        for (long sd = seed; sd < seed + seeds; sd++) {
            List<RegressionBenchmark.Outcome> one = RegressionBenchmark.run(LabelledSeries.generate(series, sd, spacingMillis, days, outageMillis),
                    config.regression, config.levels());
            if (details) {
                System.out.print(RegressionBenchmark.details(one));
            }
            rows.append(RegressionBenchmark.row(String.valueOf(sd), RegressionBenchmark.summarize(one, config.regression)));
            outcomes.addAll(one);
        }
        String report = (seeds > 1 ? "### Seeds\n\n" + RegressionBenchmark.ROW_HEADER + rows
                + RegressionBenchmark.row("all", RegressionBenchmark.summarize(outcomes, config.regression)) + "\n## All seeds together\n\n" : "")
                + RegressionBenchmark.report(outcomes, config.regression);
        System.out.print(report);
        System.out.printf("%n(%d series x %d seed(s) from %d, %d days, one sample every %s%s, %.1f s)%n", series, seeds, seed, days, spacing,
                outageMillis > 0 ? ", an outage of " + outage + " each" : "", (System.nanoTime() - started) / 1e9);
        if (output != null) {
            Files.writeString(output, report);
        }
        return 0;
    }
}
