package dev.perfwatch.cli;

/**
 * The runtime mode of SQL over the tables (sql, sql-init's SET): batch over files read once, or
 * streaming. Lower case: the constants are the option's values and Flink's execution.runtime-mode names.
 */
public enum SqlMode {
    batch, streaming
}
