package dev.perfwatch.cli;

import dev.perfwatch.pipeline.OutputKind;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The field-by-field reading of an output kind gives what the tree of each row holds, in the same order. */
class OutputTablesTest {

    @TempDir
    Path dir;

    @Test
    void namedFieldsOfEachRowAsTheTreesHoldThemInPathOrderSkippingHiddenFiles() throws Exception {
        Path summaries = Files.createDirectories(dir.resolve("summaries/dt=2026-11-02"));
        Path earlier = Files.createDirectories(dir.resolve("summaries/dt=2026-11-01"));
        Files.writeString(earlier.resolve("part-0.jsonl"),
                "{\"component\":\"api\",\"metric\":\"cpu_usage\",\"tags\":{\"mean\":\"nested\"},\"mean\":1.5e2,\"count\":30}\n"
                        + "\n"
                        + "{\"metric\":\"response_time\",\"quantiles\":[1,{\"x\":2}],\"mean\":null,\"component\":\"web\"}\n");
        Files.writeString(summaries.resolve("part-0.jsonl"), "{\"component\":\"db\",\"metric\":\"queue_depth\",\"mean\":-0.25,\"count\":1}");
        Files.writeString(summaries.resolve(".part-1.inprogress"), "{\"component\":\"hidden\"}\n");
        OutputTables tables = new OutputTables(dir);
        String[] fields = {"component", "metric", "mean", "count"};

        List<String> read = new ArrayList<>();
        tables.forEachRow(OutputKind.SUMMARIES, fields, v -> read.add(Arrays.toString(v)));
        assertEquals(List.of("[api, cpu_usage, 1.5e2, 30]", "[web, response_time, null, null]", "[db, queue_depth, -0.25, 1]"), read);

        List<String> trees = new ArrayList<>();
        tables.forEachRow(OutputKind.SUMMARIES, (JsonNode n) -> {
            String[] v = new String[fields.length];
            for (int i = 0; i < fields.length; i++) {
                v[i] = n.path(fields[i]).isMissingNode() || n.path(fields[i]).isNull() ? null
                        : n.path(fields[i]).isTextual() ? n.path(fields[i]).asText() : n.path(fields[i]).toString();
            }
            trees.add(Arrays.toString(v));
        });
        assertEquals(List.of("[api, cpu_usage, 150.0, 30]", "[web, response_time, null, null]", "[db, queue_depth, -0.25, 1]"), trees,
                "the same rows (a tree writes the number back in its own form)");
    }

    @Test
    void aLineThatIsNotAnObjectNamesItsFileAndLine() throws Exception {
        Path summaries = Files.createDirectories(dir.resolve("summaries"));
        Files.writeString(summaries.resolve("part-0.jsonl"), "{\"component\":\"api\"}\n[1, 2]\n");
        var e = assertThrows(UncheckedIOException.class,
                () -> new OutputTables(dir).forEachRow(OutputKind.SUMMARIES, new String[] {"component"}, v -> {}));
        assertEquals(true, e.getMessage().contains("part-0.jsonl") && e.getMessage().contains("line 2"), e.getMessage());
    }
}
