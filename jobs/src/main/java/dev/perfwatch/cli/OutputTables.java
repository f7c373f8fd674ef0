package dev.perfwatch.cli;

import dev.perfwatch.pipeline.OutputKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
        List<JsonNode> rows = new ArrayList<>();
        forEachRow(kind, rows::add);
        return rows;
    }

    /** Each row of a kind in the order of {@link #rows}, one at a time (none of them kept here). */
    public void forEachRow(OutputKind<?> kind, Consumer<JsonNode> row) {
        Path dir = folder(kind);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()
                    .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))::iterator) {
                try (BufferedReader lines = Files.newBufferedReader(f)) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (!line.isBlank()) {
                            row.accept(JSON.readTree(line));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
