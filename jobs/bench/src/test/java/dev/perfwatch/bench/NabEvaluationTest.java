package dev.perfwatch.bench;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scoring of ./perfwatch nab: hits per labelled window and alerts outside every window. */
class NabEvaluationTest {

    @TempDir
    Path dir;

    @Test
    void countsHitWindowsAndAlertsOutside() throws Exception {
        Path labels = Files.writeString(dir.resolve("windows.json"), "{\"realAWSCloudwatch/a.csv\": ["
                + "[\"2014-02-01 00:00:00.000000\", \"2014-02-01 10:00:00.000000\"],"
                + "[\"2014-02-02 00:00:00.000000\", \"2014-02-02 10:00:00.000000\"]], \"realAWSCloudwatch/b.csv\": []}");
        Path alerts = Files.createDirectories(dir.resolve("alerts/dt=2014-02-01/hour=00"));
        Files.write(alerts.resolve("part-0.jsonl"), List.of(
                alert("a", "anomaly", "firing", "2014-02-01T05:00:00Z"),
                alert("a", "anomaly", "cleared", "2014-02-01T05:05:00Z"),
                alert("a", "anomaly", "firing", "2014-02-01T06:00:00Z"),
                alert("a", "anomaly", "firing", "2014-02-03T06:00:00Z"),
                alert("a", "threshold", "firing", "2014-02-02T05:00:00Z"),
                alert("b", "anomaly", "firing", "2014-02-01T05:00:00Z")));
        String table = NabEvaluation.evaluate(labels, dir);
        assertTrue(table.contains("| a | 2 | 1 | 3 | 1 |"), table);
        assertTrue(table.contains("| b | 0 | 0 | 1 | 1 |"), table);
        assertTrue(table.contains("| **all 2 series** | 2 | 1 | 4 | 2 |"), table);
    }

    @Test
    void theCommittedNabSeries() throws Exception {
        Path repo = Path.of(System.getProperty("perfwatch.repo", "../..")).toAbsolutePath().normalize();
        Path nab = repo.resolve("jobs/bench/nab");
        Path table = dir.resolve("nab.md");
        assertTrue(dev.perfwatch.Perfwatch.run("nab", "--dataset", nab.toString(), "--output", table.toString()) == 0);
        List<String> all = Files.readAllLines(table);
        assertTrue(all.get(0).equals("NAB scores (17 series: realAWSCloudwatch):") && all.get(2).startsWith("| alerts scored | standard |"), all.toString());
        assertTrue(all.get(4).startsWith("| every alert raised (alert-events) | "), all.get(4));
        double standard = Double.parseDouble(all.get(4).split("\\|")[2].trim());
        assertTrue(standard > 0, "above the null detector's 0: " + all.get(4));
        int perSeries = all.indexOf("Anomaly alerts per series:") + 2;
        List<String> lines = all.subList(perSeries, all.subList(perSeries, all.size()).indexOf("") + perSeries);
        assertTrue(lines.size() == 2 + 17 + 1, "a row per series and a total: " + lines);
        String regressions = all.get(all.size() - 1);
        assertTrue(regressions.startsWith("| **all 17 series** | 30 | "), "the regression table's total: " + regressions);
        String[] total = lines.get(lines.size() - 1).split("\\|");
        int labelled = Integer.parseInt(total[2].trim());
        int hit = Integer.parseInt(total[3].trim());
        assertTrue(labelled == 30 && hit > 0 && hit <= labelled, lines.get(lines.size() - 1));
        assertTrue(dev.perfwatch.Perfwatch.run("nab", "--dataset", dir.resolve("nowhere").toString()) == 2, "a missing dataset is a usage error");
    }

    @Test
    void scoresTheAlertsTheLifecycleRaised() throws Exception {
        // 200 rows 5 minutes apart (probation: the first 30), one labelled window of 20 rows (rows 100 to 119).
        Path series = Files.createDirectories(dir.resolve("series"));
        List<String> csv = new java.util.ArrayList<>(List.of("timestamp,value"));
        java.time.LocalDateTime t0 = java.time.LocalDateTime.of(2014, 2, 1, 0, 0);
        for (int i = 0; i < 200; i++) {
            csv.add(t0.plusMinutes(5L * i).toString().replace('T', ' ') + ":00,1.0");
        }
        Files.write(series.resolve("a.csv"), csv);
        Path labels = Files.writeString(dir.resolve("windows.json"), "{\"realAWSCloudwatch/a.csv\": ["
                + "[\"2014-02-01 08:20:00.000000\", \"2014-02-01 09:55:00.000000\"]]}");
        Path events = Files.createDirectories(dir.resolve("alert-events/dt=2014-02-01/hour=09"));
        Files.write(events.resolve("part-0.jsonl"), List.of(
                event("anomaly", "anomaly:robust-z", null, "firing", "2014-02-01T09:10:00Z"),        // row 110: raised inside
                event("anomaly", "anomaly:robust-z", "firing", "resolved", "2014-02-01T09:35:00Z"),  // not a raise
                event("regression", "regression", "resolved", "firing", "2014-02-01T12:30:00Z"),     // row 150: raised again, outside
                event("regression", "regression", "firing", "acknowledged", "2014-02-01T12:35:00Z"), // not a raise
                event("regression", "regression", "acknowledged", "firing", "2014-02-01T12:40:00Z")  // row 152: shown firing again
        ));
        String table = NabEvaluation.scores(labels, series, dir);
        // NAB's rules, worked by hand: the detection at row 110 of the window's 20 scores S(-0.5) / S(-1) = 0.85980
        // (S(x) = 2 / (1 + e^(5x)) - 1); rows 150 and 152, 31 and 33 rows past the window, cost 0.11 S(31/19) = -0.10994
        // and 0.11 S(33/19) = -0.10996 (0.22 for reward-low-FP); normalised 100 (raw - null) / (perfect - null) with
        // null -1 (-2 for reward-low-FN) and perfect 1.
        assertTrue(table.contains("| every alert raised (alert-events) | 82.0 | 71.0 | 88.0 | 1 / 1 | 3 |"), table);
        assertTrue(table.contains("| `anomaly:robust-z` alone | 93.0 | 93.0 | 95.3 | 1 / 1 | 1 |"), table);
        assertTrue(table.contains("| `regression` alone | -11.0 | -22.0 | -7.3 | 0 / 1 | 2 |"), table);
        // One series is not the 17 the published scoreboard was computed on: no scoreboard beside it.
        assertTrue(table.contains("these 1 series are another set, so none are shown beside them"), table);
        assertTrue(!table.contains("Numenta HTM"), table);
    }

    @Test
    void readsACheckoutOfNabAndScoresEachCategoryItFinds() throws Exception {
        // NAB's own layout: labels/combined_windows.json and data/<category>/<file>.csv. One real AWS series with its two
        // labelled windows, a flat artificial one without windows, and a labelled series whose file is not there.
        Path repo = Path.of(System.getProperty("perfwatch.repo", "../..")).toAbsolutePath().normalize();
        Path nab = Files.createDirectories(dir.resolve("NAB"));
        Path aws = Files.createDirectories(nab.resolve("data/realAWSCloudwatch"));
        Files.copy(repo.resolve("jobs/bench/nab/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv"), aws.resolve("ec2_cpu_utilization_24ae8d.csv"));
        List<String> flat = new java.util.ArrayList<>(List.of("timestamp,value"));
        java.time.LocalDateTime t0 = java.time.LocalDateTime.of(2014, 4, 1, 0, 0);
        for (int i = 0; i < 2000; i++) {
            flat.add(t0.plusMinutes(5L * i).toString().replace('T', ' ') + ":00,20.0");
        }
        Files.write(Files.createDirectories(nab.resolve("data/artificialNoAnomaly")).resolve("art_flat.csv"), flat);
        Files.createDirectories(nab.resolve("labels"));
        Files.writeString(nab.resolve("labels/combined_windows.json"), "{\"artificialNoAnomaly/art_flat.csv\": [],"
                + " \"realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv\": "
                + new com.fasterxml.jackson.databind.ObjectMapper().readTree(repo.resolve("jobs/bench/nab/combined_windows.json").toFile())
                        .get("realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv")
                + ", \"realKnownCause/not_here.csv\": [[\"2014-04-02 00:00:00.000000\", \"2014-04-02 01:00:00.000000\"]]}");
        Path table = dir.resolve("nab.md");
        Path runOutput = dir.resolve("run");
        assertTrue(dev.perfwatch.Perfwatch.run("nab", "--dataset", nab.toString(), "--output", table.toString(),
                "--run-output", runOutput.toString()) == 0);
        List<String> all = Files.readAllLines(table);
        assertTrue(all.get(0).equals("NAB scores (2 series: artificialNoAnomaly, realAWSCloudwatch):"), all.get(0));
        String total = all.get(4);
        assertTrue(total.startsWith("| every alert raised (alert-events) | "), total);
        int perCategory = all.indexOf("Every alert raised, per category (each scored on its own):");
        assertTrue(perCategory > 0, all.toString());
        // The flat series raises nothing and has no window; the AWS series is the whole score: its own row (scored
        // on its own) equals the total's.
        assertTrue(all.get(perCategory + 4).equals("| artificialNoAnomaly | 1 | - | - | - | 0 / 0 | 0 | 0 |"), all.get(perCategory + 4));
        String[] awsRow = all.get(perCategory + 5).split("\\|");
        String[] totalRow = total.split("\\|");
        assertTrue(awsRow[1].trim().equals("realAWSCloudwatch") && awsRow[2].trim().equals("1"), all.get(perCategory + 5));
        for (int c = 0; c < 3; c++) {
            assertTrue(awsRow[3 + c].trim().equals(totalRow[2 + c].trim()), "profile " + c + ": " + all.get(perCategory + 5) + " vs " + total);
        }
        assertTrue(awsRow[6].trim().endsWith("/ 2"), "24ae8d has two labelled windows: " + all.get(perCategory + 5));
        assertTrue(!String.join("\n", all).contains("not_here"), "a series not found is not scored");
        // --run-output keeps every table, the summaries too.
        assertTrue(Files.isDirectory(runOutput.resolve("summaries")) && Files.isDirectory(runOutput.resolve("alert-events")));
        // A re-run into the same folder replaces the earlier run's tables: the same files, the same table, nothing twice.
        List<String> files = partFiles(runOutput);
        assertTrue(files.stream().anyMatch(f -> f.startsWith("alerts/")), files.toString());
        assertTrue(dev.perfwatch.Perfwatch.run("nab", "--dataset", nab.toString(), "--output", table.toString(),
                "--run-output", runOutput.toString()) == 0);
        assertTrue(Files.readAllLines(table).equals(all), "the same table again: " + Files.readAllLines(table));
        assertTrue(partFiles(runOutput).equals(files), partFiles(runOutput) + " after a re-run, " + files + " before");
        // Only some categories; a category the labels do not name, or none of whose files is there, is a usage error.
        assertTrue(dev.perfwatch.Perfwatch.run("nab", "--dataset", nab.toString(), "--category", "nosuch") == 2);
        assertTrue(dev.perfwatch.Perfwatch.run("nab", "--dataset", nab.toString(), "--category", "realKnownCause") == 2);
    }

    /** Every part file under {@code root}, relative, sorted (staging folders are gone after a run). */
    private static List<String> partFiles(Path root) throws java.io.IOException {
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    @Test
    void theWholeCorpusIsScoredBesideNabsOwnScoreboard() throws Exception {
        // 58 labelled files in NAB's seven categories (ten rows each, nothing fired): the corpus the published
        // scoreboard is for; without one of them, another set.
        String[] categories = {"artificialNoAnomaly", "artificialWithAnomaly", "realAdExchange", "realAWSCloudwatch",
            "realKnownCause", "realTraffic", "realTweets"};
        StringBuilder labels = new StringBuilder("{");
        for (int i = 0; i < 58; i++) {
            String key = categories[i % 7] + "/s" + i + ".csv";
            Path csv = Files.createDirectories(dir.resolve("data").resolve(categories[i % 7])).resolve("s" + i + ".csv");
            List<String> rows = new java.util.ArrayList<>(List.of("timestamp,value"));
            for (int r = 0; r < 10; r++) {
                rows.add("2014-04-01 00:0" + r + ":00,1.0");
            }
            Files.write(csv, rows);
            labels.append(i == 0 ? "" : ",").append('"').append(key).append("\": [[\"2014-04-01 00:05:00.000000\", \"2014-04-01 00:06:00.000000\"]]");
        }
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("labels/combined_windows.json"), labels.append('}').toString());
        NabDataset corpus = NabDataset.open(dir, List.of());
        assertTrue(corpus.files().size() == 58 && corpus.isWholeCorpus() && corpus.missing().isEmpty());
        Files.createDirectories(dir.resolve("run/alert-events"));
        String table = NabEvaluation.scores(corpus, dir.resolve("run"));
        assertTrue(table.contains("| every alert raised (alert-events) | 0.0 | 0.0 | 0.0 | 0 / 58 | 0 | 0 |"), table);
        assertTrue(table.contains("Published standard scores on NAB's whole corpus (these 58 files): ARTime 74.9, Numenta HTM 70.5"), table);
        assertTrue(table.contains("| realTweets | 8 | 0.0 | 0.0 | 0.0 | 0 / 8 | 0 | 0 |"), table);
        Files.delete(dir.resolve("data/realTweets/s6.csv"));
        NabDataset some = NabDataset.open(dir, List.of());
        assertTrue(some.files().size() == 57 && !some.isWholeCorpus() && some.missing().equals(List.of("realTweets/s6.csv")));
        assertTrue(!NabEvaluation.scores(some, dir.resolve("run")).contains("Published"));
        NabDataset tweets = NabDataset.open(dir, List.of("realTweets"));
        assertTrue(tweets.files().size() == 7 && tweets.categorySet().equals(java.util.Set.of("realTweets")));
    }

    private static String event(String kind, String rule, String from, String to, String at) {
        return "{\"kind\":\"" + kind + "\",\"rule\":\"" + rule + "\",\"component\":\"a\",\"from\":"
                + (from == null ? "null" : "\"" + from + "\"") + ",\"to\":\"" + to + "\",\"at\":\"" + at + "\"}";
    }

    @Test
    void countsRegressionFindingsOutsideTheWindows() throws Exception {
        Path labels = Files.writeString(dir.resolve("windows.json"), "{\"realAWSCloudwatch/a.csv\": ["
                + "[\"2014-02-01 00:00:00.000000\", \"2014-02-01 10:00:00.000000\"]]}");
        Path regressions = Files.createDirectories(dir.resolve("regressions/dt=2014-02-01/hour=00"));
        Files.write(regressions.resolve("part-0.jsonl"), List.of(
                finding("a", "f1", "2014-02-01T05:00:00Z", "2014-02-01T06:00:00Z"),   // inside
                finding("a", "f1", "2014-02-01T05:00:00Z", "2014-02-01T06:00:00Z"),   // its update: the same finding
                finding("a", "f2", "2014-01-31T23:00:00Z", "2014-02-01T01:00:00Z"),   // detected inside
                finding("a", "f3", "2014-02-03T05:00:00Z", "2014-02-03T06:00:00Z"))); // outside
        String table = NabEvaluation.evaluateRegressions(labels, dir);
        assertTrue(table.contains("| a | 1 | 3 | 1 |"), table);
        assertTrue(table.contains("| **all 1 series** | 1 | 3 | 1 |"), table);
    }

    private static String finding(String component, String id, String changePoint, String detected) {
        return "{\"component\":\"" + component + "\",\"finding_id\":\"" + id + "\",\"change_point_at\":\"" + changePoint
                + "\",\"detected_at\":\"" + detected + "\"}";
    }

    private static String alert(String component, String kind, String status, String startedAt) {
        return "{\"kind\":\"" + kind + "\",\"status\":\"" + status + "\",\"component\":\"" + component
                + "\",\"rule\":\"anomaly:robust-z\",\"started_at\":\"" + startedAt + "\"}";
    }
}
