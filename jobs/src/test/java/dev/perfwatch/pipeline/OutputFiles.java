package dev.perfwatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads what a run wrote under one output folder. */
final class OutputFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputFiles() {}

    static List<Path> files(Path kindDir) {
        if (!Files.isDirectory(kindDir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(kindDir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> records(Path kindDir) {
        List<JsonNode> out = new ArrayList<>();
        for (Path f : files(kindDir)) {
            try {
                for (String line : Files.readAllLines(f)) {
                    out.add(JSON.readTree(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
