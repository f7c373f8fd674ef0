package dev.perfwatch.sql;

import dev.perfwatch.Perfwatch;
import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.demo.Scenario;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.pipeline.FlinkSettings;
import dev.perfwatch.pipeline.Inputs;
import dev.perfwatch.pipeline.PerfwatchPipeline;
import dev.perfwatch.pipeline.Sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real files of sql/ on the demo's data: raw samples and the job's window summaries. */
class SqlQueriesTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = dev.perfwatch.pipeline.TestClusters.twoSlots();

    static final Path REPO = SqlFunctionsTest.REPO;
    static final DemoGenerator DEMO = new DemoGenerator(42, Instant.parse("2026-11-26T08:00:00Z"),
            java.time.Duration.ofHours(2), java.time.Duration.ofSeconds(2), 0.0);

    @TempDir
    static Path dir;

    @BeforeAll
    static void demoData() throws Exception {
        Path metrics = Files.createDirectories(dir.resolve("metrics"));
        try (BufferedWriter w = Files.newBufferedWriter(metrics.resolve("all.jsonl"))) {
            for (long i = 0; i < DEMO.count(); i++) {
                w.write(DEMO.line(i).text);
                w.write('\n');
            }
        }
        // As ./perfwatch demo runs it: regressions after 30 minutes of baseline (the data is 2 hours long).
        PerfwatchConfig config = ConfigLoader.load(null, List.of("output.checkpoint-interval=500ms", "regression.min-baseline=30m"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING));
        env.setParallelism(2);
        // Someone acknowledged the cache's critical alert at 09:30 (a control command, as 'perfwatch alerts ack' writes it).
        Path control = Files.createDirectories(dir.resolve("control"));
        Files.writeString(control.resolve("ack.jsonl"), "{\"command\":\"ack\",\"alert_id\":\"" + CACHE_ALERT
                + "\",\"by\":\"ana\",\"comment\":\"warming the cache\",\"at\":\"2026-11-26T09:30:00Z\"}\n");
        Sinks.toFiles(dev.perfwatch.pipeline.PerfwatchPipeline.build(env, List.of(dev.perfwatch.pipeline.TestPipelines.generator(config, DEMO)),
                dev.perfwatch.pipeline.ControlInput.directory(control.toString(), null, 4096), config),
                dir.resolve("out").toString(), org.apache.flink.api.common.RuntimeExecutionMode.STREAMING);
        env.execute("demo for SQL");
    }

    static final String CACHE_ALERT = dev.perfwatch.model.AlertCandidate.fingerprint("threshold:cache_hit_rate:critical", "cache", "cache_hit_rate");

    @Test
    void alertHistorySaysWhyItFiredWhoAcknowledgedItAndWhenItCleared() throws Exception {
        List<Row> rows = runner().collect("alert_history", Files.readString(REPO.resolve("sql/queries/alert_history.sql")));
        Row cache = rows.stream().filter(r -> CACHE_ALERT.equals(r.getField("alert_id"))).findFirst().orElseThrow(() -> new AssertionError(rows));
        assertEquals("cache", cache.getField("component"));
        assertEquals("threshold:cache_hit_rate:critical", cache.getField("rule"));
        assertTrue(((String) cache.getField("fired_because")).startsWith("raised: cache/cache_hit_rate threshold:cache_hit_rate:critical"),
                cache.toString());
        Scenario drop = DEMO.scenarios().stream().filter(s -> s.name.equals("cache-hit-rate-drop")).findFirst().orElseThrow();
        Instant fired = (Instant) cache.getField("fired_at");
        assertTrue(!fired.isBefore(Instant.ofEpochMilli(drop.startMillis)), cache.toString());
        assertEquals(Instant.parse("2026-11-26T09:30:00Z"), cache.getField("acknowledged_at"));
        assertEquals("ana", cache.getField("acknowledged_by"));
        assertEquals("warming the cache", cache.getField("acknowledged_comment"));
        assertNotNull(cache.getField("resolved_at"), "it clears when the data ends: " + cache);
        // an alert nobody acknowledged: no one in its row
        assertTrue(rows.stream().anyMatch(r -> r.getField("acknowledged_by") == null && r.getField("fired_at") != null));
        // the events are ordered by first firing
        Instant previous = null;
        for (Row r : rows) {
            Instant at = (Instant) r.getField("fired_at");
            if (at != null && previous != null) {
                assertFalse(at.isBefore(previous), rows.toString());
            }
            previous = at == null ? previous : at;
        }
    }

    /**
     * Every file of sql/queries/ in Flink's own SQL client (its own JVM, the init file of
     * ./perfwatch sql-init, the functions from ADD JAR) over the demo's data gives the rows ./perfwatch sql
     * gives: the same number, with the same first column, query by query.
     */
    @Test
    void everyShippedQueryGivesTheSameRowsInFlinksSqlClient() throws Exception {
        List<Path> queries;
        try (Stream<Path> files = Files.list(REPO.resolve("sql/queries"))) {
            queries = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        Path jar = SqlClientTest.jarOf(REPO.resolve("udfs/target/classes"), dir.resolve("client-udfs.jar"));
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, dev.perfwatch.Perfwatch.run("sql-init", "--output", dir.resolve("out").toString(), "--input",
                    dir.resolve("metrics").toString(), "--functions-jar", jar.toString()));
        } finally {
            System.setOut(stdout);
        }
        Path init = Files.writeString(dir.resolve("client-init.sql"), printed.toString(java.nio.charset.StandardCharsets.UTF_8)
                + "SET 'table.local-time-zone' = 'UTC';\n");
        StringBuilder all = new StringBuilder();
        for (Path q : queries) {
            all.append(Files.readString(q)).append('\n');
        }
        Path script = Files.writeString(dir.resolve("all-queries.sql"), all.toString());
        Path work = Files.createDirectories(dir.resolve("client"));
        String log = SqlClientTest.runClient(work, List.of("-i", init.toString(), "-f", script.toString()));
        List<List<String>> clientFirstColumns = tableauFirstColumns(log);
        assertEquals(queries.size(), clientFirstColumns.size(), "a result per query: " + SqlClientTest.tail(log));
        for (int i = 0; i < queries.size(); i++) {
            List<Row> rows = runner().collect(queries.get(i).getFileName().toString(), Files.readString(queries.get(i)));
            List<String> expected = rows.stream().map(r -> String.valueOf(r.getField(0))).toList();
            assertFalse(expected.isEmpty(), queries.get(i) + " returns rows on the demo's data");
            assertEquals(expected, clientFirstColumns.get(i), queries.get(i) + " in the SQL client");
        }
    }

    /** The first column of each table the SQL client printed (tableau mode), in order; an empty list for "Empty set". */
    static List<List<String>> tableauFirstColumns(String log) {
        List<List<String>> tables = new ArrayList<>();
        List<String> current = new ArrayList<>();
        boolean header = true;
        for (String line : log.split("\n")) {
            String l = line.replaceAll("\u001B\\[[;\\d]*m", "");
            if (l.startsWith("|")) {
                if (header) {
                    header = false;
                } else {
                    current.add(l.substring(1, l.indexOf('|', 1)).trim());
                }
            } else if (l.matches("\\d+ rows? in set.*") || l.contains("Empty set (")) {
                tables.add(current);
                current = new ArrayList<>();
                header = true;
            }
        }
        return tables;
    }

    private static SqlRunner runner() throws Exception {
        SqlRunner runner = new SqlRunner(true, ConfigLoader.defaults(),
                Map.of("input", dir.resolve("metrics").toString(), "output", dir.resolve("out").toString(), "kafka", "127.0.0.1:1", "kafka_bounded", "latest-offset"));
        runner.run("set", "SET 'table.local-time-zone' = 'UTC';");
        runner.run("sql/tables.sql", Files.readString(REPO.resolve("sql/tables.sql")));
        return runner;
    }

    private static Map<String, Row> query(String file) throws Exception {
        Map<String, Row> out = new HashMap<>();
        for (Row r : runner().collect(file, Files.readString(REPO.resolve(file)))) {
            out.put(r.getField("component") + "/" + r.getField("metric"), r);
        }
        return out;
    }

    @Test
    void theMetricsTableSkipsLinesThatAreNotJsonAndMetricsSkippedCountsThem() throws Exception {
        Path input = Files.createDirectories(dir.resolve("with-bad-lines"));
        String good = "{\"timestamp\":\"2026-11-26T08:00:0%dZ\",\"metric\":\"cpu_usage\",\"value\":4%d.5,\"component\":\"web\"}";
        Files.write(input.resolve("m.jsonl"), List.of(String.format(good, 1, 1), "{\"timestamp\":\"2026-11-26T08:00:02Z\",\"met",
                String.format(good, 3, 3), "not json", "", "[1, 2]", String.format(good, 5, 5)));
        SqlRunner runner = new SqlRunner(true, ConfigLoader.defaults(), Map.of("input", input.toString(), "output", dir.resolve("out").toString(),
                "kafka", "127.0.0.1:1", "kafka_bounded", "latest-offset"));
        runner.run("sql/tables.sql", Files.readString(REPO.resolve("sql/tables.sql")));
        List<Row> read = runner.collect("q", "SELECT `value` FROM metrics ORDER BY `value`;");
        assertEquals(List.of(41.5, 43.5, 45.5), read.stream().map(r -> r.getField(0)).toList(), "the good lines, the bad ones skipped");
        assertEquals(3L, runner.collect("q", "SELECT COUNT(*) FROM metrics_skipped;").get(0).getField(0),
                "the truncated line, the text and the array (the blank line is no record)");
    }

    @Test
    void regressionsCurrentHoldsTheNewestVersionOfEachFinding() throws Exception {
        // Three versions of one finding (it grew from info to critical, the last an hour later) and one of another.
        Path out = dir.resolve("versions");
        Path nine = Files.createDirectories(out.resolve("regressions/dt=2026-11-26/hour=09"));
        Path ten = Files.createDirectories(out.resolve("regressions/dt=2026-11-26/hour=10"));
        Files.writeString(nine.resolve("part-a.jsonl"), String.join("\n",
                finding("aaaa", 1, "09:20", "info", -0.08), finding("aaaa", 2, "09:40", "warning", -0.31),
                finding("bbbb", 1, "09:25", "warning", 0.22), ""));
        Files.writeString(ten.resolve("part-b.jsonl"), finding("aaaa", 3, "10:05", "critical", -0.41) + "\n");
        SqlRunner runner = new SqlRunner(true, ConfigLoader.defaults(), Map.of("input", dir.resolve("metrics").toString(),
                "output", out.toString(), "kafka", "127.0.0.1:1", "kafka_bounded", "latest-offset"));
        runner.run("set", "SET 'table.local-time-zone' = 'UTC';");
        runner.run("sql/tables.sql", Files.readString(REPO.resolve("sql/tables.sql")));
        Map<String, Row> current = new HashMap<>();
        for (Row r : runner.collect("current", "SELECT finding_id, version, severity, relative_change, detected_at, updated_at,"
                + " r.detection.test AS detected_by, r.detection.cusum_threshold AS threshold FROM regressions_current AS r;")) {
            assertNull(current.put((String) r.getField("finding_id"), r), "one row per finding");
        }
        assertEquals(2, current.size(), current.toString());
        Row a = current.get("aaaa");
        assertEquals(3, a.getField("version"));
        assertEquals("critical", a.getField("severity"));
        assertEquals(-0.41, (Double) a.getField("relative_change"), 1e-12);
        assertEquals(Instant.parse("2026-11-26T09:20:00Z"), a.getField("detected_at"), "detected_at stays the first detection");
        assertEquals(Instant.parse("2026-11-26T10:05:00Z"), a.getField("updated_at"));
        assertEquals("sequential", a.getField("detected_by"));
        assertEquals(8.25, (Double) a.getField("threshold"), 1e-12);
        assertEquals(1, current.get("bbbb").getField("version"));
    }

    private static String finding(String id, int version, String updated, String severity, double change) {
        return "{\"finding_id\":\"" + id + "\",\"component\":\"cache\",\"metric\":\"cache_hit_rate\",\"type\":\"sudden\","
                + "\"direction\":\"regression\",\"detected_at\":\"2026-11-26T09:" + (id.equals("aaaa") ? "20" : "25") + ":00Z\","
                + "\"version\":" + version + ",\"updated_at\":\"2026-11-26T" + updated + ":00Z\",\"relative_change\":" + change
                + ",\"severity\":\"" + severity + "\",\"detection\":{\"test\":\"" + (version == 3 ? "sequential" : "window")
                + "\",\"cusum\":9.5,\"cusum_threshold\":8.25,\"false_alarms_per_day\":0.01,\"variance_inflation\":1.0}}";
    }

    @Test
    void lastHourAgainstTheDayBeforeFindsTheInjectedDegradations() throws Exception {
        Map<String, Row> rows = query("sql/queries/regression_last_hour.sql");
        assertEquals(DEMO.seriesCount(), rows.size());
        for (String degraded : new String[] {"api/response_time", "database/database_query_time", "document-processor/memory_usage",
            "document-processor/queue_depth", "cache/cache_hit_rate"}) {
            Row r = rows.get(degraded);
            assertTrue((Double) r.getField("welch_p") < 1e-10 && (Double) r.getField("mwu_p") < 1e-10, degraded + ": " + r);
            assertTrue(Math.abs((Double) r.getField("cohens_d")) > 0.8, degraded + ": " + r);
        }
        assertTrue((Double) rows.get("cache/cache_hit_rate").getField("relative_change") < -0.2);
        Row clean = rows.get("web/error_rate");
        assertTrue((Double) clean.getField("welch_p") > 0.001 && Math.abs((Double) clean.getField("cohens_d")) < 0.1, clean.toString());
        assertEquals(1800L, rows.get("api/response_time").getField("n_comparison"), "one hour at 2 s spacing");
    }

    @Test
    void mostDegradedRanksByEffectInTheWorseDirection() throws Exception {
        List<Row> rows = runner().collect("most_degraded", Files.readString(REPO.resolve("sql/queries/most_degraded.sql")));
        assertEquals(10, rows.size());
        assertEquals("document-processor", rows.get(0).getField("component"));
        assertEquals("memory_usage", rows.get(0).getField("metric"));
        List<String> top5 = new ArrayList<>();
        rows.subList(0, 5).forEach(r -> top5.add(r.getField("component") + "/" + r.getField("metric")));
        assertTrue(top5.contains("cache/cache_hit_rate"), "a falling hit rate is a degradation: " + top5);
        for (Row r : rows) {
            assertTrue((Double) r.getField("degradation_d") > 0);
        }
    }

    @Test
    void consecutiveBreachesMatchRecognize() throws Exception {
        List<Row> rows = runner().collect("consecutive_breaches", Files.readString(REPO.resolve("sql/queries/consecutive_breaches.sql")));
        Scenario cacheDrop = DEMO.scenarios().stream().filter(s -> s.name.equals("cache-hit-rate-drop")).findFirst().orElseThrow();
        int cacheMatches = 0;
        for (Row r : rows) {
            String series = r.getField("component") + "/" + r.getField("metric");
            assertFalse(series.equals("web/error_rate") || series.equals("search/search_response_time"), "clean series: " + r);
            if (series.equals("cache/cache_hit_rate")) {
                cacheMatches++;
                long first = ((Instant) r.getField("first_breach")).toEpochMilli();
                assertTrue(first >= cacheDrop.startMillis, "no breach before the drop: " + r);
                assertEquals(3L, r.getField("breaches"));
            }
        }
        // The drop lasts 42 minutes: 14 non-overlapping runs of three windows.
        assertEquals(14, cacheMatches);
    }

    @Test
    void currentBottlenecksWithTheirTopSuggestion() throws Exception {
        List<Row> rows = runner().collect("current_bottlenecks", Files.readString(REPO.resolve("sql/queries/current_bottlenecks.sql")));
        java.util.Set<String> found = new java.util.TreeSet<>();
        double previous = Double.POSITIVE_INFINITY;
        for (Row r : rows) {
            found.add(r.getField("component") + "/" + r.getField("type"));
            assertNotNull(r.getField("top_suggestion"), r.toString());
            assertNotNull(r.getField("top_suggestion_title"), "the title comes from the suggestions table: " + r);
            double severity = (Double) r.getField("severity");
            assertTrue(severity <= previous, "worst first");
            previous = severity;
        }
        // The demo's changes last to its end: their bottlenecks are still open there.
        assertTrue(found.containsAll(java.util.Set.of("api/database", "database/database", "cache/resource_exhaustion",
                "document-processor/queue_backlog", "document-processor/memory_bound")), found.toString());
        assertFalse(found.contains("web/cpu_bound"), "the CPU spikes ended long before: " + found);
    }

    @Test
    void trendAndForecastPerSeries() throws Exception {
        Map<String, Row> rows = query("sql/queries/trend_forecast.sql");
        Row leak = rows.get("document-processor/memory_usage");
        assertTrue((Double) leak.getField("slope_per_hour") > 15 && (Double) leak.getField("trend_p") < 1e-10, leak.toString());
        assertNotNull(leak.getField("hours_to_breach"), "the leak reaches 95% within a day: " + leak);
        Row step = rows.get("database/database_query_time");
        Scenario slow = DEMO.scenarios().stream().filter(s -> s.name.equals("slow-database-queries")).findFirst().orElseThrow();
        assertEquals(Instant.ofEpochMilli(slow.startMillis).atZone(ZoneOffset.UTC).toLocalDateTime(), step.getField("change_ts"),
                "the step is dated to its minute");
        assertTrue((Double) step.getField("shift_p") < 1e-10);
    }

    @Test
    void theCommandLineRunsFilesWithInsertsAndNamesAFailingStatement() throws Exception {
        Path script = dir.resolve("report.sql");
        Files.writeString(script, ""
                + "-- hourly p95 per component, written to a file\n"
                + "CREATE TABLE report (component STRING, metric STRING, p95 DOUBLE, slope DOUBLE) WITH (\n"
                + "  'connector' = 'filesystem', 'path' = '${output}/report', 'format' = 'json');\n"
                + "INSERT INTO report\n"
                + "SELECT component, metric, approx_quantile(p95, 0.95), linear_trend(window_start, mean).slope_per_hour\n"
                + "FROM summaries GROUP BY component, metric;\n");
        int code = Perfwatch.run("sql", "--init", REPO.resolve("sql/tables.sql").toString(),
                "--define", "output=" + dir.resolve("out"), "--define", "input=" + dir.resolve("metrics"), "-f", script.toString());
        assertEquals(0, code);
        List<JsonNode> written = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("out/report"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    written.add(new ObjectMapper().readTree(line));
                }
            }
        }
        assertEquals(DEMO.seriesCount(), written.size());

        Path broken = dir.resolve("broken.sql");
        Files.writeString(broken, "SELECT 1;\n\nSELECT no_such_function(1);\n");
        SqlRunner.SqlException e = assertThrows(SqlRunner.SqlException.class,
                () -> runner().run(broken.toString(), Files.readString(broken)));
        assertTrue(e.getMessage().startsWith(broken + ", statement 2 (line 3): "), e.getMessage());
        assertTrue(e.getMessage().contains("no_such_function"), e.getMessage());
        assertEquals(2, Perfwatch.run("sql", "-f", broken.toString()));
        IllegalArgumentException undefined = assertThrows(IllegalArgumentException.class,
                () -> SqlScript.parse("x.sql", "SELECT '${nope}';", Map.of()));
        assertTrue(undefined.getMessage().contains("${nope} is not defined"), undefined.getMessage());
    }
}
