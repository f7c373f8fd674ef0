package dev.perfwatch;

import dev.perfwatch.cli.AlertsCommand;
import dev.perfwatch.cli.BackfillCommand;
import dev.perfwatch.cli.CommandSet;
import dev.perfwatch.cli.DemoCommand;
import dev.perfwatch.cli.GenerateCommand;
import dev.perfwatch.cli.MonitorCommand;
import dev.perfwatch.cli.ReportCommand;
import dev.perfwatch.cli.SqlCommand;
import dev.perfwatch.cli.SqlInitCommand;
import dev.perfwatch.sql.SqlRunner;
import dev.perfwatch.config.ConfigException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/** Entry point: {@code perfwatch demo|generate|monitor|alerts|sql|bench [options]}, embedded or via {@code flink run}. */
@Command(name = "perfwatch", mixinStandardHelpOptions = true, version = "perfwatch 0.1.0",
        description = "Performance monitoring and regression detection for software services, on Apache Flink.",
        subcommands = {DemoCommand.class, GenerateCommand.class, MonitorCommand.class, BackfillCommand.class, AlertsCommand.class, SqlCommand.class, SqlInitCommand.class, ReportCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'perfwatch COMMAND --help' for a command's options."})
public final class Perfwatch implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /**
     * Runs the command line. Started by the launcher ({@code -Dperfwatch.launcher=true}) it exits the JVM
     * with the command's code; anywhere else — {@code flink run}, or a jar submitted through Flink's REST
     * API, whose {@code main} runs inside the JobManager — it never exits the JVM: it returns, or throws
     * when the command failed, so Flink reports it.
     */
    public static void main(String[] args) {
        int code = run(args);
        if (Boolean.getBoolean("perfwatch.launcher")) {
            // Flink shuts an embedded cluster down once the job's result is in, without waiting: let it finish
            // (it removes its working directory and the RPC jar it extracted) before the JVM exits.
            dev.perfwatch.pipeline.EmbeddedFlink.awaitShutdown(java.time.Duration.ofSeconds(10));
            System.exit(code);
        }
        if (code != 0) {
            // (not the arguments: a --set may hold a token)
            throw new IllegalStateException("perfwatch ended with exit code " + code + " (2: a usage or configuration error, see the message above)");
        }
    }

    /** Runs a command line and returns its exit code (0 ok, 2 usage or configuration error, 1 failure). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with every command, as {@link #run} executes it (its help and error handling set). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Perfwatch());
        for (CommandSet set : java.util.ServiceLoader.load(CommandSet.class)) {
            set.commands().forEach(cli::addSubcommand);
        }
        // An unknown option is an error, never the value of an option that takes several (--input a --bogus).
        cli.setUnmatchedOptionsAllowedAsOptionParameters(false);
        // --help fills the terminal's width (80 columns at least) and wraps each paragraph of a description
        // there, not at the source's line breaks.
        cli.setUsageHelpAutoWidth(true);
        paragraphs(cli);
        // A usage error is one line that names it, and where the options are: not the whole usage text.
        cli.setParameterExceptionHandler((e, commandArgs) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("perfwatch: " + e.getMessage());
            command.getErr().println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof IllegalArgumentException || e instanceof SqlRunner.SqlException) {
                commandLine.getErr().println("perfwatch: " + e.getMessage());
                return 2;
            }
            String hint = outOfOpenFiles(e);
            if (hint != null) {
                // (after the trace, where it is read)
                e.printStackTrace(commandLine.getErr());
                commandLine.getErr().println("perfwatch: " + hint);
                return 1;
            }
            throw e;
        });
        return cli;
    }

    /**
     * What to do when a job failed for want of open files (null when it failed otherwise). A file sink keeps one
     * part file open per output kind, event hour and writer until its input ends (BATCH) or the next checkpoint:
     * a week's backfill at parallelism 2 held 485 (jobs/BENCHMARKS.md), where many systems' soft limit is 1,024.
     */
    static String outOfOpenFiles(Throwable e) {
        return org.apache.flink.util.ExceptionUtils.findThrowableWithMessage(e, "Too many open files").map(t ->
                "the job ran out of open files (the process's limit, ulimit -n). Writing output keeps a file open per output kind, "
                        + "event hour and writer until the run ends: a batch run at parallelism 2 holds about three per hour of its range "
                        + "(a week: about 500). Raise the limit (ulimit -n 65536; the ./perfwatch launcher raises it to the hard limit, "
                        + "ulimit -Hn, which may be lower) or run shorter ranges: backfill a week or a day at a time, adjacent ranges add up.")
                .orElse(null);
    }

    /**
     * Joins the lines of each command's description into paragraphs, so help text wraps at the terminal's
     * width rather than at the source's line breaks: a line continues the previous one unless that one
     * ends a sentence (".", ":") or the line is blank or indented.
     */
    public static void paragraphs(CommandLine cli) {
        CommandLine.Model.UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        List<String> joined = new java.util.ArrayList<>();
        for (String line : usage.description()) {
            int last = joined.size() - 1;
            boolean continues = last >= 0 && !line.isBlank() && !line.startsWith(" ") && !joined.get(last).isBlank()
                    && !joined.get(last).endsWith(".") && !joined.get(last).endsWith(":");
            if (continues) {
                joined.set(last, joined.get(last) + " " + line);
            } else {
                joined.add(line);
            }
        }
        // The lines read are interpolated already, and are interpolated again when the usage is printed: a
        // literal ${name} (written $${name} in the source) must stay escaped, or it prints as "null".
        usage.description(joined.stream().map(l -> l.replace("${", "$${")).toArray(String[]::new));
        for (CommandLine sub : cli.getSubcommands().values()) {
            paragraphs(sub);
        }
    }
}
