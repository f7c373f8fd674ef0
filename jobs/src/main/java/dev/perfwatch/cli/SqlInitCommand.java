package dev.perfwatch.cli;

import dev.perfwatch.sql.SqlRunner;
import dev.perfwatch.sql.SqlScript;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "sql-init", mixinStandardHelpOptions = true,
        description = {"Print an init file for Flink's own SQL client (sql-client.sh -i init.sql): ADD JAR of perfwatch's",
            "functions jar, the functions of sql/functions.sql, and the tables of sql/tables.sql over one output folder,",
            "every $${placeholder} resolved (absolute paths), so no placeholder reaches a tool that would read it as a",
            "path and return 0 rows."},
        footer = {"", "Example:",
            "  ./perfwatch sql-init --output out > init.sql && sql-client.sh -i init.sql -f sql/queries/alert_history.sql"})
public class SqlInitCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    CommonOptions common;

    @picocli.CommandLine.Mixin
    SqlTablesOptions tables;

    @Option(names = "--kafka-bounded", paramLabel = "MODE", defaultValue = "latest-offset",
            description = "metrics_kafka's scan.bounded.mode: latest-offset or unbounded (default: ${DEFAULT-VALUE}).")
    String kafkaBounded;

    @Option(names = "--functions-jar", paramLabel = "JAR",
            description = "The functions jar to ADD (default: udfs/target/perfwatch-udfs-*-sql.jar of this checkout, built by the launcher).")
    Path functionsJar;

    @Option(names = "--no-jar", description = "Leave out ADD JAR (the jar is already on the client's classpath).")
    boolean noJar;

    @Option(names = "--mode", paramLabel = "batch|streaming", defaultValue = "batch",
            description = "execution.runtime-mode to SET (default: ${DEFAULT-VALUE}: tables over files read once, no late rows).")
    SqlMode mode;

    @Override
    public Integer call() throws Exception {
        tables.requireOutput();
        System.out.print(render());
        return 0;
    }

    public String render() throws IOException {
        Map<String, String> defines = new LinkedHashMap<>();
        defines.put("input", tables.input.toAbsolutePath().normalize().toString());
        defines.put("output", tables.output.toAbsolutePath().normalize().toString());
        defines.put("kafka", tables.kafka);
        defines.put("kafka_bounded", kafkaBounded);
        StringBuilder b = new StringBuilder();
        b.append("-- perfwatch init for Flink's SQL client, written by ./perfwatch sql-init for ").append(defines.get("output")).append('\n');
        b.append("-- sql-client.sh -i THIS_FILE [-f QUERY.sql]\n");
        if (!noJar) {
            Path jar = functionsJar != null ? functionsJar : defaultJar();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("--functions-jar " + jar + ": not found (build it with mvn -B -DskipTests package, or pass"
                        + " --no-jar when the jar is on the client's classpath)");
            }
            b.append("ADD JAR '").append(jar.toAbsolutePath().normalize()).append("';\n");
        }
        b.append("SET 'execution.runtime-mode' = '").append(mode.name()).append("';\n");
        b.append("SET 'table.dml-sync' = 'true';\n");
        // Queries print their rows as a table: the only result mode the client allows with -f, and a
        // readable one interactively.
        b.append("SET 'sql-client.execution.result-mode' = 'tableau';\n");
        b.append("SET 'table.display.max-column-width' = '120';\n"); // rule names and root causes in full, not cut at 30
        // The level functions (warning_level, ...) read the job's levels from this job parameter: the
        // configuration the job uses (--config, --set), each component's overrides merged.
        String levels = SqlRunner.levelsParameter(common != null ? common.load(List.of()) : dev.perfwatch.config.ConfigLoader.defaults());
        b.append("SET 'pipeline.global-job-parameters' = '").append(levels).append("';\n");
        b.append(statements("sql/functions.sql", SqlRunner.bundledFunctions(), defines));
        b.append(statements("sql/tables.sql", resource("/perfwatch/sql/tables.sql"), defines));
        return b.toString();
    }

    /** Statements with every placeholder resolved (an unknown one is an error naming it), one per line group. */
    static String statements(String source, String text, Map<String, String> defines) {
        StringBuilder b = new StringBuilder("\n-- ").append(source).append('\n');
        for (SqlScript.Statement s : SqlScript.parse(source, text, defines)) {
            b.append(s.text().strip()).append(";\n\n");
        }
        return b.toString();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SqlInitCommand.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Path defaultJar() throws IOException {
        Path target = Path.of(System.getProperty("perfwatch.home", ".")).resolve("udfs/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                List<Path> jars = files.filter(p -> p.getFileName().toString().matches("perfwatch-udfs-.*-sql\\.jar")).sorted().toList();
                if (!jars.isEmpty()) {
                    return jars.get(jars.size() - 1);
                }
            }
        }
        return target.resolve("perfwatch-udfs-VERSION-sql.jar");
    }
}
