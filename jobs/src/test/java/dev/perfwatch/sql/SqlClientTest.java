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
        command.add("-f");
        command.add(scriptFile.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("client.log").toFile());
        pb.environment().put("FLINK_CONF_DIR", conf.toString());
        Process process = pb.start();
        boolean finished = process.waitFor(240, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("client.log"));
        assertTrue(finished, "the SQL client finished in time; its output:\n" + tail(log));
        assertEquals(0, process.exitValue(), "the SQL client succeeded; its output:\n" + tail(log));

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

    private static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    private static Path jarOf(Path classes, Path jar) throws IOException {
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
