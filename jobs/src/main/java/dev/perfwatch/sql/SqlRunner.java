package dev.perfwatch.sql;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.pipeline.EmbeddedFlink;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs files of SQL statements on a TableEnvironment with every perfwatch function registered (from
 * the bundled sql/functions.sql), the level functions reading the configuration's metric levels. INSERTs run to completion,
 * queries print a table on standard output, {@code SET 'key' = 'value'} sets a Flink option. A failing statement stops
 * the run with the file, statement number and line in the message.
 */
public final class SqlRunner {

    public static final String FUNCTIONS_RESOURCE = "/perfwatch/sql/functions.sql";
    private static final Pattern SET = Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'");

    private final TableEnvironment tEnv;
    private final Map<String, String> defines;
    private final boolean batch;
    private ResultPrinter.Format format = ResultPrinter.Format.TABLE;
    public SqlRunner(boolean batch, PerfwatchConfig config, Map<String, String> defines) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(ExecutionOptions.RUNTIME_MODE, batch ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);
        EnvironmentSettings.Builder settings = EnvironmentSettings.newInstance().withConfiguration(conf);
        // On the embedded cluster of EmbeddedFlink, which the launcher waits for before it exits (or the context's).
        this.tEnv = StreamTableEnvironment.create(EmbeddedFlink.environment(conf),
                batch ? settings.inBatchMode().build() : settings.inStreamingMode().build());
        this.defines = defines;
        this.batch = batch;
        // The level functions of functions.sql (warning_level, ...) read the job's levels from this job
        // parameter, set here as sql-init sets it for Flink's own tools: one mechanism everywhere.
        tEnv.getConfig().getConfiguration().setString("pipeline.global-job-parameters", levelsParameter(config));
        run(FUNCTIONS_RESOURCE, bundledFunctions());
    }

    /** The value of pipeline.global-job-parameters that gives the level functions the configuration's levels. */
    public static String levelsParameter(PerfwatchConfig config) {
        return dev.perfwatch.udf.LevelFunctions.PARAMETER + ":" + dev.perfwatch.udf.LevelFunctions.encode(config.levels().resolvedLines());
    }

    public static String bundledFunctions() {
        try (InputStream in = SqlRunner.class.getResourceAsStream(FUNCTIONS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(FUNCTIONS_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How query results print (batch mode): table (rounded for people), csv or json (full precision). */
    public SqlRunner format(ResultPrinter.Format format) {
        this.format = format;
        return this;
    }

    /** Runs every statement of a script; returns the number of statements run. */
    public int run(String source, String text) {
        List<SqlScript.Statement> statements = SqlScript.parse(source, text, defines);
        for (SqlScript.Statement s : statements) {
            execute(s);
        }
        return statements.size();
    }

    /** Runs a script's statements and returns the rows of its last one, a query (for tests and tools). */
    public List<org.apache.flink.types.Row> collect(String source, String text) {
        List<SqlScript.Statement> statements = SqlScript.parse(source, text, defines);
        for (int i = 0; i < statements.size() - 1; i++) {
            execute(statements.get(i));
        }
        SqlScript.Statement last = statements.get(statements.size() - 1);
        List<org.apache.flink.types.Row> rows = new java.util.ArrayList<>();
        try (org.apache.flink.util.CloseableIterator<org.apache.flink.types.Row> it = tEnv.executeSql(last.text()).collect()) {
            it.forEachRemaining(rows::add);
        } catch (Exception e) {
            throw new SqlException(last, e);
        }
        return rows;
    }

    private void execute(SqlScript.Statement s) {
        Matcher set = SET.matcher(s.text());
        if (set.matches()) {
            tEnv.getConfig().getConfiguration().setString(set.group(1), set.group(2));
            return;
        }
        try {
            TableResult result = tEnv.executeSql(s.text());
            if (isQuery(s.text())) {
                if (batch) {
                    ResultPrinter.print(result, format, System.out);
                } else {
                    result.print(); // a changelog (+I, -U, +U): Flink's own printing shows each change
                }
            } else if (result.getJobClient().isPresent()) {
                result.await(); // INSERT: run to completion
            } else if (result.getResultKind() == org.apache.flink.table.api.ResultKind.SUCCESS_WITH_CONTENT) {
                result.print(); // SHOW, DESCRIBE, EXPLAIN
            }
        } catch (Exception e) {
            throw new SqlException(s, e);
        }
    }

    private static boolean isQuery(String text) {
        String t = text.stripLeading().toUpperCase(java.util.Locale.ROOT);
        return t.startsWith("SELECT") || t.startsWith("WITH") || t.startsWith("VALUES");
    }

    /** A statement failed; the message says which and why. */
    public static final class SqlException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlException(SqlScript.Statement s, Exception cause) {
            super(s.where() + ": " + rootMessage(cause), cause);
        }

        /** The innermost few distinct messages of the cause chain, outermost first: where the detail is. */
        private static String rootMessage(Throwable e) {
            java.util.List<String> messages = new java.util.ArrayList<>();
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                String m = t.getMessage();
                if (m != null && !m.isBlank() && (messages.isEmpty() || !messages.get(messages.size() - 1).contains(m.strip()))) {
                    messages.add(m.strip());
                }
            }
            if (messages.isEmpty()) {
                return e.toString();
            }
            java.util.List<String> last = messages.subList(Math.max(0, messages.size() - 3), messages.size());
            StringBuilder b = new StringBuilder();
            for (String m : last) {
                String line = m.lines().findFirst().orElse(m);
                b.append(b.length() == 0 ? "" : " <- ").append(line.length() > 300 ? line.substring(0, 300) + "..." : line);
            }
            return b.toString();
        }
    }
}
