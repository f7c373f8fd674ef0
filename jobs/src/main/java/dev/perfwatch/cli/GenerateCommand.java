package dev.perfwatch.cli;

import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.demo.Scenario;
import dev.perfwatch.model.SourceLine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write the demo's simulated metrics as JSON-lines files, one per component, in time order.",
            "The same options give the same records as 'demo'. Read them back with 'monitor --input DIR'."})
public class GenerateCommand implements Callable<Integer> {

    @Mixin
    DemoOptions demo;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "metrics",
            description = "Directory to write <component>.jsonl files into (default: ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws Exception {
        DemoGenerator generator = demo.generator();
        Files.createDirectories(output);
        Map<String, BufferedWriter> writers = new LinkedHashMap<>();
        try {
            for (String component : generator.components()) {
                writers.put(component, Files.newBufferedWriter(output.resolve(component + ".jsonl"), StandardCharsets.UTF_8));
            }
            for (long i = 0; i < generator.count(); i++) {
                SourceLine line = generator.line(i);
                BufferedWriter w = writers.get(generator.sample(i).component);
                w.write(line.text);
                w.write('\n');
            }
        } finally {
            for (BufferedWriter w : writers.values()) {
                w.close();
            }
        }
        System.out.printf("wrote %,d records for %d series to %s%n", generator.count(), generator.seriesCount(), output);
        System.out.println("injected scenarios:");
        for (Scenario s : generator.scenarios()) {
            System.out.printf("  %-26s %-44s from %s  %s%n", s.name, s.component + "/" + s.metric,
                    dev.perfwatch.model.Timestamps.iso(s.startMillis), s.description);
        }
        return 0;
    }
}
