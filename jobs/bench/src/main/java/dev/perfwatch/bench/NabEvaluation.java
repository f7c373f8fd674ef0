package dev.perfwatch.bench;

import dev.perfwatch.cli.OutputTables;
import dev.perfwatch.pipeline.OutputKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Scores anomaly alerts and regression findings against NAB's labelled windows. */
public final class NabEvaluation {

    private static final DateTimeFormatter LABEL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private NabEvaluation() {}

    /** The markdown table of hits and false alarms per series, from the anomaly alerts a run wrote under {@code runOutput}. */
    public static String evaluate(Path labelsFile, Path runOutput) throws IOException {
        return evaluate(windows(labelsFile), runOutput);
    }

    /** The same, for the series {@code windows} names. */
    static String evaluate(Map<String, List<long[]>> windows, Path runOutput) throws IOException {
        Map<String, List<long[]>> alerts = new TreeMap<>();
        for (JsonNode a : new OutputTables(runOutput).rows(OutputKind.ALERTS)) {
            if (a.get("kind").asText().equals("anomaly") && a.get("status").asText().equals("firing")) {
                alerts.computeIfAbsent(a.get("component").asText(), k -> new ArrayList<>()).add(new long[] {
                    java.time.Instant.parse(a.get("started_at").asText()).toEpochMilli(),
                    a.get("rule").asText().equals("anomaly:rcf") ? 1 : 0});
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| series | labelled windows | windows with an alert | alerts | alerts outside every window |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        int totalWindows = 0;
        int totalHit = 0;
        int totalAlerts = 0;
        int totalOutside = 0;
        for (Map.Entry<String, List<long[]>> e : windows.entrySet()) {
            List<long[]> fired = alerts.getOrDefault(e.getKey(), List.of());
            int hit = 0;
            for (long[] w : e.getValue()) {
                if (fired.stream().anyMatch(a -> a[0] >= w[0] && a[0] <= w[1])) {
                    hit++;
                }
            }
            int outside = 0;
            for (long[] a : fired) {
                if (e.getValue().stream().noneMatch(w -> a[0] >= w[0] && a[0] <= w[1])) {
                    outside++;
                }
            }
            md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().size()).append(" | ").append(hit)
                    .append(" | ").append(fired.size()).append(" | ").append(outside).append(" |\n");
            totalWindows += e.getValue().size();
            totalHit += hit;
            totalAlerts += fired.size();
            totalOutside += outside;
        }
        md.append("| **all ").append(windows.size()).append(" series** | ").append(totalWindows).append(" | ").append(totalHit)
                .append(" | ").append(totalAlerts).append(" | ").append(totalOutside).append(" |\n");
        return md.toString();
    }

    /**
     * The markdown table of regression findings per series (each finding_id once, either direction):
     * how many, and how many lie outside every labelled window (neither the change point nor the first
     * detection inside one).
     */
    public static String evaluateRegressions(Path labelsFile, Path runOutput) throws IOException {
        return evaluateRegressions(windows(labelsFile), runOutput);
    }

    /** The same, for the series {@code windows} names. */
    static String evaluateRegressions(Map<String, List<long[]>> windows, Path runOutput) throws IOException {
        Map<String, Map<String, long[]>> findings = new TreeMap<>();
        for (JsonNode r : new OutputTables(runOutput).rows(OutputKind.REGRESSIONS)) {
            findings.computeIfAbsent(r.get("component").asText(), k -> new TreeMap<>()).put(r.get("finding_id").asText(), new long[] {
                java.time.Instant.parse(r.get("change_point_at").asText()).toEpochMilli(),
                java.time.Instant.parse(r.get("detected_at").asText()).toEpochMilli()});
        }
        StringBuilder md = new StringBuilder();
        md.append("| series | labelled windows | regression findings | findings outside every window |\n|---|---:|---:|---:|\n");
        int total = 0;
        int totalOutside = 0;
        for (Map.Entry<String, List<long[]>> e : windows.entrySet()) {
            java.util.Collection<long[]> found = findings.getOrDefault(e.getKey(), Map.of()).values();
            int outside = 0;
            for (long[] f : found) {
                if (e.getValue().stream().noneMatch(w -> (f[0] >= w[0] && f[0] <= w[1]) || (f[1] >= w[0] && f[1] <= w[1]))) {
                    outside++;
                }
            }
            md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().size()).append(" | ").append(found.size())
                    .append(" | ").append(outside).append(" |\n");
            total += found.size();
            totalOutside += outside;
        }
        md.append("| **all ").append(windows.size()).append(" series** | ").append(windows.values().stream().mapToInt(List::size).sum())
                .append(" | ").append(total).append(" | ").append(totalOutside).append(" |\n");
        return md.toString();
    }

    /**
     * The published standard scores on NAB's 17 realAWSCloudwatch series (computed with the benchmark's
     * rules from the results NAB ships for each detector), for the table's comparison.
     */
    static final String[][] SCOREBOARD = {
        {"Numenta HTM", "73.4"}, {"CAD OSE", "71.5"}, {"ARTime", "69.5"}, {"Random Cut Forest", "57.6"},
        {"Twitter ADVec", "38.5"}, {"Windowed Gaussian", "31.2"}, {"null (never fires)", "0.0"}};

    /** The series the published scoreboard was computed on: NAB's realAWSCloudwatch/ files. */
    static final java.util.Set<String> AWS_SERIES = java.util.Set.of("ec2_cpu_utilization_24ae8d", "ec2_cpu_utilization_53ea38",
            "ec2_cpu_utilization_5f5533", "ec2_cpu_utilization_77c1ca", "ec2_cpu_utilization_825cc2", "ec2_cpu_utilization_ac20cd",
            "ec2_cpu_utilization_c6585a", "ec2_cpu_utilization_fe7f93", "ec2_disk_write_bytes_1ef3de", "ec2_disk_write_bytes_c0d644",
            "ec2_network_in_257a54", "ec2_network_in_5abac7", "elb_request_count_8c0756", "grok_asg_anomaly",
            "iio_us-east-1_i-a2eb1cd9_NetworkIn", "rds_cpu_utilization_cc0c53", "rds_cpu_utilization_e47b3b");


    /**
     * The published standard scores on NAB's whole corpus (58 files, seven categories: NAB's own scoreboard), for
     * the table's comparison.
     */
    static final String[][] CORPUS_SCOREBOARD = {
        {"ARTime", "74.9"}, {"Numenta HTM", "70.5"}, {"CAD OSE", "69.9"}, {"Random Cut Forest", "51.7"},
        {"Twitter ADVec", "47.1"}, {"null (never fires)", "0.0"}};

    /**
     * NAB's scores ({@link NabScore}) of the alerts that fired, as the alert lifecycle raised them
     * ({@code alert-events/}: each transition to firing, from none, pending or resolved, a detection at its
     * time {@code at}): every alert of every detector (anomaly scores, regression findings, thresholds,
     * patterns, forecasts, bottlenecks: what a user is notified of), then each rule alone; with the
     * scoreboard beside them.
     */
    public static String scores(Path labelsFile, Path seriesFolder, Path runOutput) throws IOException {
        Map<String, long[]> rows = NabScore.rowsOf(seriesFolder);
        Map<String, List<long[]>> windows = windows(labelsFile);
        windows.keySet().retainAll(rows.keySet());
        Map<String, String> categories = new TreeMap<>();
        rows.keySet().forEach(k -> categories.put(k, seriesFolder.getFileName().toString()));
        return scores(rows, windows, categories, false, runOutput);
    }

    /** The scores of the series of {@code dataset}. */
    public static String scores(NabDataset dataset, Path runOutput) throws IOException {
        return scores(NabScore.rowsOf(dataset.files()), dataset.windows(), dataset.categories(), dataset.isWholeCorpus(), runOutput);
    }

    /**
     * The scores of the series {@code rows} holds (per series its row times; {@code windows} and {@code categories}
     * per series), with a row per category when there are several; {@code corpus}: the series are NAB's whole corpus.
     */
    static String scores(Map<String, long[]> rows, Map<String, List<long[]>> windows, Map<String, String> categories, boolean corpus,
            Path runOutput) throws IOException {
        Map<String, Map<String, List<Long>>> byRule = new TreeMap<>();
        Map<String, List<Long>> all = new TreeMap<>();
        for (JsonNode e : new OutputTables(runOutput).rows(OutputKind.ALERT_EVENTS)) {
            if (!"firing".equals(e.path("to").asText()) || "firing".equals(e.path("from").asText())) {
                continue; // not a raise (an acknowledgement, a resolution, ...)
            }
            long t = java.time.Instant.parse(e.get("at").asText()).toEpochMilli();
            String component = e.get("component").asText();
            all.computeIfAbsent(component, k -> new ArrayList<>()).add(t);
            String kind = e.get("kind").asText();
            String rule = e.get("rule").asText();
            byRule.computeIfAbsent(rule.startsWith(kind) ? rule : rule + " (" + kind + ")", k -> new TreeMap<>())
                    .computeIfAbsent(component, k -> new ArrayList<>()).add(t);
        }
        StringBuilder md = new StringBuilder();
        md.append("| alerts scored | standard | reward low FP | reward low FN | windows hit | detections | of those outside every window |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        Map<String, Map<String, List<Long>>> rowsOfTable = new LinkedHashMap<>();
        rowsOfTable.put("every alert raised (alert-events)", all);
        byRule.forEach((rule, d) -> rowsOfTable.put("`" + rule + "` alone", d));
        for (Map.Entry<String, Map<String, List<Long>>> e : rowsOfTable.entrySet()) {
            Map<NabScore.Profile, NabScore.Result> r = NabScore.score(rows, windows, e.getValue());
            NabScore.Result standard = r.get(NabScore.Profile.STANDARD);
            md.append(String.format(java.util.Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d / %d | %d | %d |%n", e.getKey(), standard.score(),
                    r.get(NabScore.Profile.REWARD_LOW_FP).score(), r.get(NabScore.Profile.REWARD_LOW_FN).score(),
                    standard.windowsHit(), standard.windows(), standard.detections(), standard.outside()));
        }
        // The labelled windows no alert at all started in (whatever its rule), by series and start.
        List<String> missed = new ArrayList<>();
        windows.forEach((series, ws) -> {
            for (long[] w : ws) {
                if (rows.containsKey(series) && all.getOrDefault(series, List.of()).stream().noneMatch(t -> t >= w[0] && t <= w[1])) {
                    missed.add(series + " from " + java.time.Instant.ofEpochMilli(w[0]));
                }
            }
        });
        md.append("\nLabelled windows without any alert (").append(missed.size()).append("): ")
                .append(missed.isEmpty() ? "none" : String.join("; ", missed)).append(".\n");
        java.util.Set<String> categorySet = new java.util.TreeSet<>(categories.values());
        if (categorySet.size() > 1) {
            md.append(byCategory(rows, windows, categories, categorySet, all));
        }
        if (corpus) {
            md.append("\nPublished standard scores on NAB's whole corpus (these 58 files): ");
            for (int i = 0; i < CORPUS_SCOREBOARD.length; i++) {
                md.append(i == 0 ? "" : ", ").append(CORPUS_SCOREBOARD[i][0]).append(' ').append(CORPUS_SCOREBOARD[i][1]);
            }
            md.append(" (perfect 100).\n");
            return md.toString();
        }
        if (!rows.keySet().equals(AWS_SERIES)) {
            md.append("\nThe published scores are for NAB's 17 AWS CloudWatch series; these ").append(rows.size())
                    .append(" series are another set, so none are shown beside them (never firing scores 0, a perfect detector 100).\n");
            return md.toString();
        }
        md.append("\nPublished standard scores on these 17 series: ");
        for (int i = 0; i < SCOREBOARD.length; i++) {
            md.append(i == 0 ? "" : ", ").append(SCOREBOARD[i][0]).append(' ').append(SCOREBOARD[i][1]);
        }
        md.append(" (perfect 100; Numenta HTM's reward-low-FP score about 62).\n");
        return md.toString();
    }

    /**
     * Every alert raised, scored per category on its own (each normalised within its category: never firing 0,
     * perfect 100; a category without labelled windows has no normalised score, only its detections, each a cost).
     */
    private static String byCategory(Map<String, long[]> rows, Map<String, List<long[]>> windows, Map<String, String> categories,
            java.util.Set<String> categorySet, Map<String, List<Long>> detections) {
        StringBuilder md = new StringBuilder("\nEvery alert raised, per category (each scored on its own):\n\n");
        md.append("| category | series | standard | reward low FP | reward low FN | windows hit | detections | of those outside every window |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String category : categorySet) {
            Map<String, long[]> some = new TreeMap<>();
            rows.forEach((series, stamps) -> {
                if (category.equals(categories.get(series))) {
                    some.put(series, stamps);
                }
            });
            Map<NabScore.Profile, NabScore.Result> r = NabScore.score(some, windows, detections);
            NabScore.Result standard = r.get(NabScore.Profile.STANDARD);
            boolean scored = standard.windows() > 0;
            md.append(String.format(java.util.Locale.ROOT, "| %s | %d | %s | %s | %s | %d / %d | %d | %d |%n", category, some.size(),
                    scored ? String.format(java.util.Locale.ROOT, "%.1f", standard.score()) : "-",
                    scored ? String.format(java.util.Locale.ROOT, "%.1f", r.get(NabScore.Profile.REWARD_LOW_FP).score()) : "-",
                    scored ? String.format(java.util.Locale.ROOT, "%.1f", r.get(NabScore.Profile.REWARD_LOW_FN).score()) : "-",
                    standard.windowsHit(), standard.windows(), standard.detections(), standard.outside()));
        }
        return md.toString();
    }

    /** The labelled windows per series (file name without .csv). */
    static Map<String, List<long[]>> windows(Path labelsFile) throws IOException {
        JsonNode labels = new ObjectMapper().readTree(labelsFile.toFile());
        Map<String, List<long[]>> windows = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String file = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
            List<long[]> list = new ArrayList<>();
            for (JsonNode w : e.getValue()) {
                list.add(new long[] {millis(w.get(0).asText()), millis(w.get(1).asText())});
            }
            windows.put(file.substring(0, file.length() - ".csv".length()), list);
        }
        return windows;
    }

    private static long millis(String labelTime) {
        return LocalDateTime.parse(labelTime, LABEL_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
