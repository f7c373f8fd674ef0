package dev.perfwatch.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sql/functions.sql in Flink's own SQL client ({@code SqlClient embedded -f}), in a separate JVM whose
 * classpath does not hold perfwatch: the functions come from {@code ADD JAR}, as an analyst would load them.
 */
class SqlClientTest {

    @TempDir
    Path dir;

    @Test
    void functionsRegisterAndRunAfterAddJar() throws Exception {
        Path repo = SqlFunctionsTest.REPO;
        JsonNode fixture = new ObjectMapper().readTree(repo.resolve("udfs/src/test/resources/stats/fixtures.json").toFile())
                .get("two_sample").get(1);
        Path jar = jarOf(repo.resolve("udfs/target/classes"), dir.resolve("perfwatch-udfs.jar"));

        StringBuilder values = new StringBuilder();
        for (JsonNode v : fixture.get("baseline")) {
            values.append(values.length() == 0 ? "" : ", ").append("(CAST(").append(v.asDouble()).append(" AS DOUBLE), FALSE)");
        }
        for (JsonNode v : fixture.get("comparison")) {
            values.append(", (CAST(").append(v.asDouble()).append(" AS DOUBLE), TRUE)");
        }
        Path out = dir.resolve("result");
        String script = "ADD JAR '" + jar + "';\n"
                + Files.readString(repo.resolve("sql/functions.sql")) + "\n"
                + "SET 'execution.runtime-mode' = 'batch';\n"
                + "SET 'table.dml-sync' = 'true';\n"
                + "CREATE TABLE stat_result (welch_p DOUBLE, u DOUBLE, mwu_p DOUBLE, d DOUBLE) WITH (\n"
                + "  'connector' = 'filesystem', 'path' = '" + out + "', 'format' = 'json');\n"
                + "INSERT INTO stat_result SELECT w.p_value, m.u, m.p_value, d FROM (\n"
                + "  SELECT welch_t_test(v, c) AS w, mann_whitney_u(v, c) AS m, cohens_d(v, c) AS d\n"
                + "  FROM (VALUES " + values + ") AS t(v, c));\n";
        Path scriptFile = Files.writeString(dir.resolve("script.sql"), script);
        String log = runClient(List.of("-f", scriptFile.toString()));
        assertTrue(Files.isDirectory(out), "the INSERT wrote its result; the SQL client said:\n" + tail(log));
        List<String> lines;
        try (Stream<Path> files = Files.walk(out)) {
            lines = new ArrayList<>();
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        assertEquals(1, lines.size(), tail(log));
        JsonNode row = new ObjectMapper().readTree(lines.get(0));
        SqlFunctionsTest.close(fixture.get("welch").get("p"), row.get("welch_p").asDouble(), 1e-9, "welch p");
        SqlFunctionsTest.close(fixture.get("mann_whitney").get("u"), row.get("u").asDouble(), 1e-9, "U");
        SqlFunctionsTest.close(fixture.get("mann_whitney").get("p"), row.get("mwu_p").asDouble(), 1e-9, "MWU p");
        SqlFunctionsTest.close(fixture.get("cohens_d"), row.get("d").asDouble(), 1e-9, "d");
    }

    /** Flink's SQL client (embedded) in its own JVM without perfwatch on its classpath; returns its output, asserting success. */
    private String runClient(List<String> args) throws Exception {
        return runClient(dir, args);
    }

    static String runClient(Path dir, List<String> args) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.yaml"), "execution.target: local\nrest.bind-address: 127.0.0.1\n"
                + "rest.address: 127.0.0.1\nparallelism.default: 1\n");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("udfs" + File.separator + "target") && !entry.contains("perfwatch-udfs")
                        && !entry.contains("jobs" + File.separator + "target" + File.separator + "classes"))
                .collect(Collectors.joining(File.pathSeparator)));
        command.add("org.apache.flink.table.client.SqlClient");
        command.add("embedded");
        command.addAll(args);
        Path logFile = dir.resolve("client-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().put("FLINK_CONF_DIR", conf.toString());
        Process process = pb.start();
        boolean finished = process.waitFor(600, TimeUnit.SECONDS); // a bound, not a wait: ten queries took 70-240 s on this 2-core machine
        if (!finished) {
            process.destroyForcibly();
        }
        String log = Files.readString(logFile);
        assertTrue(finished, "the SQL client finished in time; its output:\n" + tail(log));
        assertEquals(0, process.exitValue(), "the SQL client succeeded; its output:\n" + tail(log));
        return log;
    }

    /**
     * ./perfwatch sql-init's file in the SQL client (-i): functions and tables over an output folder with
     * every placeholder resolved; a query over the tables returns the folder's rows, and the shipped
     * alert history query runs.
     */
    @Test
    void sqlInitGivesTheClientTheTablesOfAnOutputFolder() throws Exception {
        Path out = dev.perfwatch.report.HtmlReportTest.hostileOutput(Files.createDirectories(dir.resolve("output")));
        Path jar = jarOf(SqlFunctionsTest.REPO.resolve("udfs/target/classes"), dir.resolve("perfwatch-udfs.jar"));
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, dev.perfwatch.Perfwatch.run("sql-init", "--output", out.toString(), "--functions-jar", jar.toString()));
        } finally {
            System.setOut(stdout);
        }
        String init = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!init.contains("${"), "no placeholder left: " + init);
        assertTrue(init.contains("'path' = '" + out.toAbsolutePath().normalize() + "/alerts'"), init);
        Path initFile = Files.writeString(dir.resolve("init.sql"), init);
        Path result = dir.resolve("counts");
        Path query = Files.writeString(dir.resolve("query.sql"), ""
                + "CREATE TABLE counts (what STRING, n BIGINT, detail STRING) WITH ('connector' = 'filesystem', 'path' = '" + result
                + "', 'format' = 'json');\n"
                + "INSERT INTO counts\n"
                + "  SELECT 'firing', COUNT(*), MAX(component) FROM alerts WHERE status = 'firing'\n"
                + "  UNION ALL SELECT 'findings', COUNT(*), MAX(type) FROM regressions_current\n"
                + "  UNION ALL SELECT 'summaries', COUNT(*), CAST(MAX(`count`) AS STRING) FROM summaries\n"
                + "  UNION ALL SELECT 'dead', COUNT(*), MAX(reason) FROM dead_letters;\n");
        runClient(List.of("-i", initFile.toString(), "-f", query.toString()));
        java.util.Map<String, JsonNode> rows = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(result)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode row = new ObjectMapper().readTree(line);
                    rows.put(row.get("what").asText(), row);
                }
            }
        }
        assertEquals(1, rows.get("firing").get("n").asLong(), rows.toString());
        assertEquals(dev.perfwatch.report.HtmlReportTest.HOSTILE, rows.get("firing").get("detail").asText());
        assertEquals(1, rows.get("findings").get("n").asLong());
        assertEquals("sudden", rows.get("findings").get("detail").asText());
        assertEquals(180, rows.get("summaries").get("n").asLong());
        assertEquals(1, rows.get("dead").get("n").asLong());
        assertEquals("bad_json", rows.get("dead").get("detail").asText());
        // A shipped query as an analyst runs it: its table printed, the alert's row in it.
        String printed2 = runClient(List.of("-i", initFile.toString(), "-f", SqlFunctionsTest.REPO.resolve("sql/queries/alert_history.sql").toString()));
        assertTrue(printed2.contains("| a1 |") || printed2.contains(" a1 "), "the alert history's row: " + tail(printed2));
    }

    /**
     * The level functions in the client read the job's levels (a component's override included) from
     * the job parameter sql-init sets, and the shipped MATCH_RECOGNIZE query uses them over summaries.
     */
    @Test
    void levelFunctionsInTheClientUseTheJobsConfiguration() throws Exception {
        Path out = Files.createDirectories(dir.resolve("levels-output"));
        List<String> summaries = new ArrayList<>();
        for (int minute = 0; minute < 10; minute++) {
            double p95 = minute >= 4 && minute <= 6 ? 60 : 40; // above api's own warning (50), below cpu_usage's (80)
            summaries.add("{\"component\":\"api\",\"metric\":\"cpu_usage\",\"window_start\":\"" + dev.perfwatch.report.HtmlReportTest.iso(minute)
                    + "\",\"window_end\":\"" + dev.perfwatch.report.HtmlReportTest.iso(minute + 1) + "\",\"count\":60,\"mean\":" + (p95 - 5)
                    + ",\"stddev\":2,\"min\":30,\"max\":" + (p95 + 2) + ",\"p50\":" + (p95 - 5) + ",\"p95\":" + p95 + ",\"p99\":" + (p95 + 1) + "}");
        }
        dev.perfwatch.report.HtmlReportTest.write(out, "summaries", summaries);
        Path jar = jarOf(SqlFunctionsTest.REPO.resolve("udfs/target/classes"), dir.resolve("perfwatch-udfs.jar"));
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, dev.perfwatch.Perfwatch.run("sql-init", "--output", out.toString(), "--functions-jar", jar.toString(),
                    "--set", "components.api.cpu_usage.warning=50"));
        } finally {
            System.setOut(stdout);
        }
        Path initFile = Files.writeString(dir.resolve("levels-init.sql"), printed.toString(java.nio.charset.StandardCharsets.UTF_8));
        Path result = dir.resolve("levels");
        Path query = Files.writeString(dir.resolve("levels.sql"), ""
                + "CREATE TABLE levels (api_warning DOUBLE, web_warning DOUBLE, critical DOUBLE, hit_rate_direction INT, api_breach BOOLEAN,"
                + " hit_rate_breach BOOLEAN, unknown_warning DOUBLE) WITH ('connector' = 'filesystem', 'path' = '" + result + "', 'format' = 'json');\n"
                + "INSERT INTO levels SELECT warning_level('api', 'cpu_usage'), warning_level('web', 'cpu_usage'), critical_level('cpu_usage'),\n"
                + "  worse_direction('cache_hit_rate'), breaches('api', 'cpu_usage', CAST(60.0 AS DOUBLE), warning_level('api', 'cpu_usage')),\n"
                + "  breaches('cache_hit_rate', CAST(0.5 AS DOUBLE), CAST(0.6 AS DOUBLE)), warning_level('api', 'no_such_metric');\n");
        runClient(List.of("-i", initFile.toString(), "-f", query.toString()));
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(result)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        assertEquals(1, lines.size(), lines.toString());
        JsonNode row = new ObjectMapper().readTree(lines.get(0));
        assertEquals(50.0, row.get("api_warning").asDouble(), "api's override");
        assertEquals(80.0, row.get("web_warning").asDouble(), "cpu_usage's own level");
        assertEquals(95.0, row.get("critical").asDouble());
        assertEquals(-1, row.get("hit_rate_direction").asInt());
        assertTrue(row.get("api_breach").asBoolean() && row.get("hit_rate_breach").asBoolean(), row.toString());
        assertTrue(row.get("unknown_warning").isNull(), row.toString());

        String printedRows = runClient(List.of("-i", initFile.toString(), "-f", SqlFunctionsTest.REPO.resolve("sql/queries/consecutive_breaches.sql").toString()));
        List<String> matches = printedRows.lines().filter(l -> l.matches("\\|\\s*api\\s*\\|\\s*cpu_usage\\s*\\|.*")).toList();
        assertEquals(1, matches.size(), "one run of 3 windows beyond api's own warning: " + tail(printedRows));
        assertTrue(matches.get(0).matches(".*\\|\\s*3\\s*\\|\\s*60\\.0\\s*\\|\\s*60\\.0\\s*\\|\\s*50\\.0\\s*\\|\\s*"), matches.get(0));
    }

    static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    static Path jarOf(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
