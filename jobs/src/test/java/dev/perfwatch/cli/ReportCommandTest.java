package dev.perfwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfwatch.Perfwatch;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the report command takes its folder: as --input or as the one argument, and what it refuses, by name. */
class ReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void theRunsFolderIsTheArgumentOrInputAndAFolderWithoutRunOutputIsRefusedByName() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(run.resolve("summaries"));
        Files.writeString(run.resolve("summaries").resolve("part-0.jsonl"), "");
        assertEquals(0, Perfwatch.run("report", run.toString()));
        assertTrue(Files.size(run.resolve("report.html")) > 0, "written beside the run's output");
        Path page = dir.resolve("page.html");
        assertEquals(0, Perfwatch.run("report", "-i", run.toString(), "-o", page.toString()));
        assertTrue(Files.exists(page));

        Path other = Files.createDirectories(dir.resolve("not-a-run"));
        String err = Captured.stderr(() -> assertEquals(2, Perfwatch.run("report", other.toString())));
        assertTrue(err.contains(other + " holds no run output (none of summaries/"), err);
        err = Captured.stderr(() -> assertEquals(2, Perfwatch.run("report", run.toString(), "-i", other.toString())));
        assertTrue(err.contains("two output folders given: " + run + " and --input " + other), err);
        err = Captured.stderr(() -> assertEquals(2, Perfwatch.run("report", dir.resolve("missing").toString())));
        assertTrue(err.contains(dir.resolve("missing") + ": no such folder"), err);
    }
}
