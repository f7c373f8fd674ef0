package dev.perfwatch.cli;

import dev.perfwatch.report.HtmlReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write one self-contained HTML page for a run's output folder (from demo, monitor or backfill):",
            "totals, health over time, each regression finding with its series, windows and distributions, alerts on a",
            "timeline per component, bottlenecks with ranked suggestions, dead letters. Inline SVG, no script, nothing",
            "fetched: it opens offline."})
public class ReportCommand implements Callable<Integer> {

    @Option(names = {"-i", "--input"}, paramLabel = "DIR", defaultValue = "out",
            description = "The run's output folder (default: ${DEFAULT-VALUE}).")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The page to write (default: INPUT/report.html).")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException("--input " + input + ": no such folder (a run's output folder, e.g. out from ./perfwatch demo)");
        }
        Path file = output != null ? output : input.resolve("report.html");
        long bytes = new HtmlReport(input).write(file);
        System.out.printf("report: %s (%,d KB)%n", file.toAbsolutePath().normalize(), (bytes + 1023) / 1024);
        return 0;
    }
}
