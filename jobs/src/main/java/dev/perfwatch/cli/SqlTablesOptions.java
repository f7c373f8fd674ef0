package dev.perfwatch.cli;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the SQL tables of sql/tables.sql read: options of sql-init and gateway. */
public class SqlTablesOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "out",
            description = "The run's output folder the tables read (default: ${DEFAULT-VALUE}).")
    public Path output;

    @Option(names = {"-i", "--input"}, paramLabel = "PATH", defaultValue = "metrics",
            description = "Raw metrics (JSON lines) for the metrics table (default: ${DEFAULT-VALUE}).")
    public Path input;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
            description = "Bootstrap servers of the Kafka tables (default: ${DEFAULT-VALUE}).")
    public String kafka;

    /** The output folder, which must exist (a run's output folder). */
    public Path requireOutput() {
        if (!Files.isDirectory(output)) {
            throw new IllegalArgumentException("--output " + output + ": no such folder (a run's output folder, e.g. out from ./perfwatch demo)");
        }
        return output;
    }
}
