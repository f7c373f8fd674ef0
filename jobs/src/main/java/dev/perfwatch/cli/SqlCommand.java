package dev.perfwatch.cli;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.sql.ResultPrinter;
import dev.perfwatch.sql.SqlRunner;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run a file of Flink SQL statements on an embedded Flink, with perfwatch's functions registered.",
            "Every function of sql/functions.sql is available; warning_level, critical_level, worse_direction and",
            "breaches read the configuration's levels. INSERTs run to completion, queries print a",
            "table, SET 'key' = 'value' sets a Flink option. $${name} in a statement is replaced by --define name=VALUE."},
        footer = {"", "Example:",
            "  ./perfwatch generate --output metrics && ./perfwatch sql --init sql/tables.sql -f sql/queries/regression_last_hour.sql"})
public class SqlCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = "The statements to run.")
    Path file;

    @Option(names = {"-i", "--init"}, paramLabel = "FILE", description = "Statements to run first, e.g. sql/tables.sql (repeatable).")
    List<Path> init = new ArrayList<>();

    @Option(names = {"-D", "--define"}, paramLabel = "NAME=VALUE",
            description = "Value of a $${NAME} placeholder (defaults: input=metrics, output=out, kafka=127.0.0.1:9092, kafka_bounded=latest-offset).")
    Map<String, String> defines = new LinkedHashMap<>();

    @Option(names = "--mode", paramLabel = "batch|streaming", defaultValue = "batch",
            description = "Flink runtime mode (default: ${DEFAULT-VALUE}). Over files prefer batch: streaming drops rows behind the watermark.")
    SqlMode mode;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "How query results print (batch): table (numbers to 4 significant digits, text in full), csv or json "
                    + "(one object per line), both at full precision (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws Exception {
        boolean batch = mode == SqlMode.batch;
        PerfwatchConfig config = common.load(List.of());
        Map<String, String> all = new LinkedHashMap<>(Map.of("input", "metrics", "output", "out", "kafka", "127.0.0.1:9092",
                "kafka_bounded", "latest-offset"));
        all.putAll(defines);
        ResultPrinter.Format printed = ResultPrinter.format(format);
        SqlRunner runner = new SqlRunner(batch, config, all).format(printed);
        List<Path> files = new ArrayList<>(init);
        files.add(file);
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(f + ": file not found");
            }
            runner.run(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
        }
        return 0;
    }
}
