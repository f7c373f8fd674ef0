package dev.perfwatch.cli;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.io.InputListing;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.model.Ingested;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/** Options of the commands that read metric files into an output folder: where, and how to read them. */
public class FileInputOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"-i", "--input"}, paramLabel = "PATH", arity = "1..*",
            description = "Files or directories (read recursively, less names starting with . or _ and this run's output folder) of JSON lines (.jsonl, .json) or CSV (.csv).")
    List<String> inputs;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "The same as --input (./perfwatch monitor data/).")
    List<String> paths;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Output directory (default: output.path of the configuration, 'out').")
    String output;

    @Option(names = "--format", paramLabel = "json|csv",
            description = "Read every file as this format instead of choosing by extension (.csv is CSV, anything else JSON lines; a .gz or .gzip file is read through gzip and judged by the name before it).")
    String format;

    @Option(names = "--metric", paramLabel = "NAME", description = "Metric of CSV rows whose file has no 'metric' column.")
    String csvMetric;

    @Option(names = "--component", paramLabel = "NAME",
            description = "Component of CSV rows whose file has no 'component' column; '{file}' stands for the file's name without extension.")
    String csvComponent;

    /** Whether any input path was given, by --input or as an argument. */
    boolean given() {
        return inputs != null || paths != null;
    }

    /** The inputs (--input's, then the arguments), each checked to exist (a typo is a usage error, exit 2, not a failed job). */
    List<String> inputs() {
        if (!given()) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--input=PATH' (or the paths as arguments)");
        }
        List<String> all = new ArrayList<>();
        if (inputs != null) {
            all.addAll(inputs);
        }
        if (paths != null) {
            all.addAll(paths);
        }
        MonitorCommand.checkInputs(spec, all);
        return all;
    }

    /**
     * The inputs as listed for reading: the run's output and control folders are left out where they lie
     * inside an input directory (said on {@code out}), so that a second run does not read the first
     * one's results as metrics.
     */
    InputListing listing(PerfwatchConfig config, java.io.PrintStream out, String command) {
        InputListing listing = new InputListing(inputs(),
                List.of(config.output.path, AlertsCommand.controlDir(config).toString()));
        for (String skipped : listing.skipped()) {
            if (!skipped.contains(":/") && !new java.io.File(skipped).exists()) {
                continue; // the first run's: nothing there yet
            }
            out.println(command + ": not reading " + skipped + " (this run's output or control folder) inside the input");
        }
        return listing;
    }

    /** How lines become samples and dead letters. */
    LineFormat<Ingested> lineFormat(PerfwatchConfig config) {
        return LineFormat.samples(config.ingest.maxLineBytes, fileFormat(),
                ParserSettings.from(config.ingest, csvMetric, csvComponent));
    }

    /** How a line (or a Kafka value) becomes a sample or a dead letter. */
    dev.perfwatch.io.LineParser<Ingested> lineParser(PerfwatchConfig config) {
        return new dev.perfwatch.io.LineParser.Samples(ParserSettings.from(config.ingest, csvMetric, csvComponent));
    }

    private LineFormat.FileFormat fileFormat() {
        if (format == null) {
            return null;
        }
        switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "json":
            case "jsonl":
                return LineFormat.FileFormat.JSON;
            case "csv":
                return LineFormat.FileFormat.CSV;
            default:
                throw new ParameterException(spec.commandLine(), "--format must be json or csv, got '" + format + "'");
        }
    }
}
