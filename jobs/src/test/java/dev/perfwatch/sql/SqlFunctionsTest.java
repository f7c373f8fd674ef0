package dev.perfwatch.sql;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.stats.Forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The SQL functions through a real TableEnvironment, against the scipy fixtures of udfs/. */
class SqlFunctionsTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = dev.perfwatch.pipeline.TestClusters.twoSlots();

    static final Path REPO = Path.of(System.getProperty("perfwatch.repo", "..")).toAbsolutePath().normalize();
    static JsonNode fixtures;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeInputs() throws IOException {
        fixtures = new ObjectMapper().readTree(REPO.resolve("udfs/src/test/resources/stats/fixtures.json").toFile());
        List<String> samples = new ArrayList<>();
        for (JsonNode c : fixtures.get("two_sample")) {
            for (JsonNode v : c.get("baseline")) {
                samples.add("{\"name\":\"" + c.get("name").asText() + "\",\"v\":" + v.asDouble() + ",\"in_cmp\":false}");
            }
            for (JsonNode v : c.get("comparison")) {
                samples.add("{\"name\":\"" + c.get("name").asText() + "\",\"v\":" + v.asDouble() + ",\"in_cmp\":true}");
            }
        }
        Files.write(Files.createDirectories(dir.resolve("samples")).resolve("s.jsonl"), samples);
        List<String> series = new ArrayList<>();
        for (JsonNode c : fixtures.get("sql_trend")) {
            for (int i = 0; i < c.get("ts_ms").size(); i++) {
                series.add("{\"name\":\"" + c.get("name").asText() + "\",\"ts\":\"" + Instant.ofEpochMilli(c.get("ts_ms").get(i).asLong())
                        + "\",\"y\":" + c.get("y").get(i).asDouble() + "}");
            }
        }
        Files.write(Files.createDirectories(dir.resolve("series")).resolve("s.jsonl"), series);
    }

    private static SqlRunner runner() {
        SqlRunner runner = new SqlRunner(true, ConfigLoader.defaults(), Map.of("dir", dir.toString()));
        runner.run("test tables", ""
                + "SET 'table.local-time-zone' = 'UTC';"
                + "CREATE TABLE samples (name STRING, v DOUBLE, in_cmp BOOLEAN) WITH ("
                + " 'connector' = 'filesystem', 'path' = '${dir}/samples', 'format' = 'json');"
                + "CREATE TABLE series (name STRING, ts TIMESTAMP_LTZ(3), y DOUBLE) WITH ("
                + " 'connector' = 'filesystem', 'path' = '${dir}/series', 'format' = 'json',"
                + " 'json.timestamp-format.standard' = 'ISO-8601');");
        return runner;
    }

    static void close(JsonNode expected, Object actual, double relative, String what) {
        if (expected == null || expected.isNull()) {
            assertNull(actual, what);
            return;
        }
        double e = expected.asDouble();
        double a = ((Number) actual).doubleValue();
        if (e != a && !(Math.abs(e - a) <= relative * Math.max(Math.abs(e), Math.abs(a)))) {
            fail(what + ": expected " + e + ", got " + a);
        }
    }

    @Test
    void twoSampleTestsMatchScipy() {
        List<Row> rows = runner().collect("test", "SELECT name, welch_t_test(v, in_cmp) AS w, mann_whitney_u(v, in_cmp) AS m, "
                + "cohens_d(v, in_cmp) AS d FROM samples GROUP BY name");
        Map<String, Row> byName = new HashMap<>();
        rows.forEach(r -> byName.put((String) r.getField("name"), r));
        assertEquals(fixtures.get("two_sample").size(), byName.size());
        for (JsonNode c : fixtures.get("two_sample")) {
            String name = c.get("name").asText();
            Row r = byName.get(name);
            Row w = (Row) r.getField("w");
            Row m = (Row) r.getField("m");
            close(c.get("welch").get("t"), w.getField("t"), 1e-9, name + " t");
            close(c.get("welch").get("df"), w.getField("df"), 1e-9, name + " df");
            close(c.get("welch").get("p"), w.getField("p_value"), 1e-9, name + " welch p");
            close(c.get("mann_whitney").get("u"), m.getField("u"), 1e-9, name + " U");
            close(c.get("mann_whitney").get("z"), m.getField("z"), 1e-9, name + " z");
            close(c.get("mann_whitney").get("p"), m.getField("p_value"), 1e-9, name + " MWU p");
            close(c.get("cohens_d"), r.getField("d"), 1e-9, name + " d");
        }
    }

    @Test
    void trendAcceptsBothTimestampTypesAndMatchesLinregress() {
        List<Row> rows = runner().collect("test", "SELECT name, linear_trend(ts, y) AS ltz, "
                + "linear_trend(CAST(ts AS TIMESTAMP(3)), y) AS ntz FROM series GROUP BY name");
        assertEquals(fixtures.get("sql_trend").size(), rows.size());
        for (Row r : rows) {
            String name = (String) r.getField("name");
            JsonNode c = null;
            for (JsonNode candidate : fixtures.get("sql_trend")) {
                if (candidate.get("name").asText().equals(name)) {
                    c = candidate;
                }
            }
            for (String field : new String[] {"ltz", "ntz"}) {
                Row t = (Row) r.getField(field);
                close(c.get("slope"), t.getField("slope_per_hour"), 1e-9, name + " slope " + field);
                close(c.get("intercept"), t.getField("intercept"), 1e-9, name + " intercept " + field);
                close(c.get("r2"), t.getField("r2"), 1e-9, name + " r2 " + field);
                close(c.get("p"), t.getField("p_value"), 1e-9, name + " p " + field);
            }
        }
    }

    @Test
    void changePointQuantileAndForecastOverWindowTvfs() {
        SqlRunner runner = runner();
        // A step in the middle of sql-trend-0 would be hidden by its slope: build a stepped series in SQL.
        List<Row> rows = runner.collect("test", ""
                + "CREATE TEMPORARY VIEW stepped AS SELECT ts, CAST(ts AS TIMESTAMP(3)) AS local_ts, "
                + "  CASE WHEN ts >= TIMESTAMP '2025-11-25 12:00:00' THEN y + 40 ELSE y END AS y "
                + "FROM series WHERE name = 'sql-trend-2';"
                + "SELECT window_start, COUNT(*) AS n, change_point(local_ts, y) AS cp, approx_quantile(y, 0.95) AS p95 "
                + "FROM TABLE(TUMBLE(TABLE stepped, DESCRIPTOR(local_ts), INTERVAL '1' DAY)) "
                + "GROUP BY window_start, window_end");
        assertTrue(rows.size() >= 3, "one row per day: " + rows);
        boolean sawStep = false;
        for (Row r : rows) {
            Row cp = (Row) r.getField("cp");
            LocalDateTime day = (LocalDateTime) r.getField("window_start");
            if (day.equals(LocalDateTime.of(2025, 11, 25, 0, 0))) {
                sawStep = true;
                LocalDateTime change = (LocalDateTime) cp.getField("change_ts");
                assertTrue(!change.isBefore(LocalDateTime.of(2025, 11, 25, 11, 0)) && !change.isAfter(LocalDateTime.of(2025, 11, 25, 13, 0)),
                        "the step at noon is found: " + change);
                assertTrue((Double) cp.getField("p_value") < 1e-6, cp.toString());
                assertTrue((Double) cp.getField("mean_after") - (Double) cp.getField("mean_before") > 30, cp.toString());
            }
            assertTrue((Double) r.getField("p95") > 0);
        }
        assertTrue(sawStep, "the day with the step has a window: " + rows);

        // approx_quantile against the exact quantile within its stated accuracy, forecast against the library.
        JsonNode c = fixtures.get("sql_trend").get(2);
        double[] y = new double[c.get("y").size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = c.get("y").get(i).asDouble();
        }
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        Row q = runner.collect("test", "SELECT approx_quantile(y, 0.9) AS q, forecast_breach(ts, y, 20.0, 240.0) AS f "
                + "FROM series WHERE name = 'sql-trend-2'").get(0);
        double exact = sorted[(int) Math.floor(0.9 * (sorted.length - 1))];
        assertTrue(Math.abs((Double) q.getField("q") - exact) <= 0.005 * Math.abs(exact), q + " vs " + exact);
        Row f = (Row) q.getField("f");
        // The same forecast from the library, at the series' median spacing (the function's contract).
        long[] ts = new long[y.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = c.get("ts_ms").get(i).asLong();
        }
        long[] steps = new long[ts.length - 1];
        for (int i = 1; i < ts.length; i++) {
            steps[i - 1] = ts[i] - ts[i - 1];
        }
        Arrays.sort(steps);
        double stepHours = steps[steps.length / 2] / 3_600_000.0;
        Forecast.Breach b = Forecast.fit(y).timeToThreshold(20.0, (int) Math.floor(240.0 / stepHours));
        assertTrue(b.pointSteps() > 0, "the rising series reaches 20 within 240 h: " + b);
        assertEquals(b.pointSteps() * stepHours, (Double) f.getField("hours_to_breach"), 1e-9);
        assertEquals(b.earliestSteps() * stepHours, (Double) f.getField("lower_hours"), 1e-9);
        assertEquals(LocalDateTime.ofInstant(Instant.ofEpochMilli(ts[ts.length - 1] + b.pointSteps() * steps[steps.length / 2]), ZoneOffset.UTC),
                f.getField("breach_ts"));
    }

    @Test
    void undefinedResultsAreNull() {
        Row r = runner().collect("test", "SELECT welch_t_test(v, in_cmp) AS w, cohens_d(v, in_cmp) AS d, "
                + "mann_whitney_u(v, in_cmp) AS m, approx_quantile(v, 2.0) AS q "
                + "FROM (VALUES (CAST(1.0 AS DOUBLE), TRUE), (CAST(NULL AS DOUBLE), FALSE)) AS t(v, in_cmp)").get(0);
        Row w = (Row) r.getField("w");
        assertNull(w.getField("t"));
        assertNull(w.getField("p_value"));
        assertNull(w.getField("mean_baseline"));
        assertEquals(1.0, w.getField("mean_comparison"));
        assertNull(r.getField("d"));
        assertNull(((Row) r.getField("m")).getField("p_value"));
        assertNull(r.getField("q"), "q outside [0, 1]");
    }

    @Test
    void levelFunctionsUseTheComponentsOverridesAsTheJobDoes() {
        dev.perfwatch.config.PerfwatchConfig config = ConfigLoader.load(null, List.of(
                "components.edge-cache.cache_hit_rate.warning=0.9", "components.edge.response_time.critical=700"));
        SqlRunner runner = new SqlRunner(true, config, Map.of());
        Row r = runner.collect("levels", "SELECT warning_level('edge-cache', 'cache_hit_rate') AS edge, "
                + "warning_level('cache', 'cache_hit_rate') AS other, warning_level('cache_hit_rate') AS metric_only, "
                + "critical_level('edge', 'response_time') AS edge_critical, worse_direction('edge-cache', 'cache_hit_rate') AS dir, "
                + "breaches('edge-cache', 'cache_hit_rate', 0.85, warning_level('edge-cache', 'cache_hit_rate')) AS edge_breach, "
                + "breaches('cache', 'cache_hit_rate', 0.85, warning_level('cache', 'cache_hit_rate')) AS other_breach").get(0);
        assertEquals(0.9, r.getField("edge"));
        assertEquals(0.8, r.getField("other"));
        assertEquals(0.8, r.getField("metric_only"));
        assertEquals(700.0, r.getField("edge_critical"));
        assertEquals(-1, r.getField("dir"));
        assertEquals(true, r.getField("edge_breach"), "0.85 is below edge-cache's own warning level 0.9");
        assertEquals(false, r.getField("other_breach"));
        assertEquals(config.levels().of("edge-cache", "cache_hit_rate").warning, r.getField("edge"), "the job's own levels");
    }
}
