package dev.perfwatch.cli;

import dev.perfwatch.pipeline.OutputKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads what a run wrote under an output folder: the JSON-lines rows of each output kind. */
public final class OutputTables {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public OutputTables(Path root) {
        this.root = root;
    }

    public Path folder(OutputKind<?> kind) {
        return root.resolve(kind.name);
    }

    /** Every row of a kind, files in path order (so partitions in time order), lines in file order. */
    public List<JsonNode> rows(OutputKind<?> kind) {
        Path dir = folder(kind);
        List<JsonNode> rows = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return rows;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()
                    .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))::iterator) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        rows.add(JSON.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
