package dev.perfwatch.cli;

import java.util.List;

/**
 * More subcommands, found with {@link java.util.ServiceLoader} on the classpath: the benchmark and
 * evaluation drivers of jobs/bench, which the launcher has and the cluster jar does not.
 */
public interface CommandSet {

    /** picocli command objects ({@code @Command}-annotated). */
    List<Object> commands();
}
