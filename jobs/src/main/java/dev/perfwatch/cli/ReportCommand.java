package dev.perfwatch.cli;

import dev.perfwatch.pipeline.OutputKind;
import dev.perfwatch.report.HtmlReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write one self-contained HTML page for a run's output folder (from demo, monitor or backfill):",
            "totals, health over time, each regression finding with its series, windows and distributions, alerts on a",
            "timeline per component, bottlenecks with ranked suggestions, dead letters. Inline SVG, no script, nothing",
            "fetched: it opens offline."})
public class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--input"}, paramLabel = "DIR",
            description = "The run's output folder (default: out).")
    Path input;

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "The same as --input: ./perfwatch report out")
    Path folder;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The page to write (default: INPUT/report.html).")
    Path output;

    @Override
    public Integer call() throws Exception {
        Path given = FolderArgument.either(spec, folder, "--input", input);
        input = given != null ? given : Path.of("out");
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException(input + ": no such folder (a run's output folder, e.g. out from ./perfwatch demo)");
        }
        if (OutputKind.ALL.stream().noneMatch(kind -> Files.isDirectory(input.resolve(kind.name)))) {
            throw new IllegalArgumentException(input + " holds no run output (none of "
                    + OutputKind.ALL.stream().map(kind -> kind.name + "/").collect(Collectors.joining(", "))
                    + "): give the output folder of a demo, monitor or backfill run");
        }
        Path file = output != null ? output : input.resolve("report.html");
        long bytes = new HtmlReport(input).write(file);
        System.out.printf("report: %s (%,d KB)%n", file.toAbsolutePath().normalize(), (bytes + 1023) / 1024);
        return 0;
    }
}
