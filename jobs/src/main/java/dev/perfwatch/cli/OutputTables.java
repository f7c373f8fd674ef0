package dev.perfwatch.cli;

import dev.perfwatch.pipeline.OutputKind;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
        for (Path f : files(kind)) {
            try (BufferedReader lines = Files.newBufferedReader(f)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.isBlank()) {
                        row.accept(JSON.readTree(line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The named top-level fields of each row of a kind, in the order of {@link #rows}, as text (a number as
     * written, {@code null} for JSON null or a field the row lacks; nested values are skipped): one array, reused
     * for every row, so millions of rows (a long run's window summaries) are read without a tree each.
     */
    public void forEachRow(OutputKind<?> kind, String[] fields, Consumer<String[]> row) {
        String[] values = new String[fields.length];
        for (Path f : files(kind)) {
            try (InputStream in = Files.newInputStream(f); JsonParser p = JSON.getFactory().createParser(in)) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t != JsonToken.START_OBJECT) {
                        throw new IOException(f + ": expected one JSON object per line, got " + t + " at line " + p.currentLocation().getLineNr());
                    }
                    Arrays.fill(values, null);
                    for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                        String name = p.currentName();
                        t = p.nextToken();
                        int i = indexOf(fields, name);
                        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                            p.skipChildren();
                        } else if (i >= 0 && t != JsonToken.VALUE_NULL) {
                            values[i] = p.getText();
                        }
                    }
                    row.accept(values);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A kind's files in path order (so partitions in time order), without hidden and in-progress ones. */
    private List<Path> files(OutputKind<?> kind) {
        Path dir = folder(kind);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted()
                    .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
