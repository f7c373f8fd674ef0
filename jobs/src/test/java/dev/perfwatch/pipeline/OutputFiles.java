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
public final class OutputFiles {

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

    /**
     * Every line of each kind in finished part files (not hidden in-progress ones) of the hourly
     * partitions that start before {@code before} (dt=unknown counts as earliest), sorted: the content,
     * whatever the files are called.
     */
    public static java.util.Map<String, List<String>> linesByKind(Path out, List<String> kinds, long before) {
        java.util.Map<String, List<String>> byKind = new java.util.TreeMap<>();
        for (String kind : kinds) {
            List<String> lines = new ArrayList<>();
            for (Path f : files(out.resolve(kind))) {
                if (!f.getFileName().toString().startsWith(".") && hourOf(f) < before) {
                    try {
                        lines.addAll(Files.readAllLines(f));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            lines.sort(null);
            byKind.put(kind, lines);
        }
        return byKind;
    }

    /** The start of a part file's partition, from its dt=/hour= folders (dt=unknown: the earliest). */
    static long hourOf(Path file) {
        String hour = file.getParent().getFileName().toString();
        String day = file.getParent().getParent().getFileName().toString();
        if (day.equals("dt=unknown")) {
            return Long.MIN_VALUE;
        }
        return java.time.Instant.parse(day.substring(3) + "T" + hour.substring(5) + ":00:00Z").toEpochMilli();
    }

    /** Asserts equal content per kind, showing the first lines that differ. */
    public static void assertSameContent(java.util.Map<String, List<String>> expected, java.util.Map<String, List<String>> got,
            String message) {
        StringBuilder diff = new StringBuilder();
        for (String kind : expected.keySet()) {
            List<String> missing = new ArrayList<>(expected.get(kind));
            missing.removeAll(got.get(kind));
            List<String> extra = new ArrayList<>(got.get(kind));
            extra.removeAll(expected.get(kind));
            if (!missing.isEmpty() || !extra.isEmpty() || expected.get(kind).size() != got.get(kind).size()) {
                diff.append(String.format("%n%s: %d expected, %d got; missing %s%n  extra %s", kind, expected.get(kind).size(),
                        got.get(kind).size(), missing.stream().limit(3).toList(), extra.stream().limit(3).toList()));
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(diff.length() == 0, message + diff);
    }

    /** The "timestamp" of a metric line as ISO-8601, or Long.MIN_VALUE for a line without one (a bad line). */
    public static long timestampOf(String line) {
        int i = line.indexOf("\"timestamp\":\"");
        try {
            return java.time.Instant.parse(line.substring(i + 13, line.indexOf('"', i + 13))).toEpochMilli();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * Every record in the finished part files under {@code kindDir}. Not the hidden in-progress ones: they hold what
     * no checkpoint has committed yet, and a running job renames them away, so a read can race the rename (a
     * watching test failed with NoSuchFileException on one).
     */
    static List<JsonNode> records(Path kindDir) {
        List<JsonNode> out = new ArrayList<>();
        for (Path f : files(kindDir)) {
            if (f.getFileName().toString().startsWith(".")) {
                continue;
            }
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
