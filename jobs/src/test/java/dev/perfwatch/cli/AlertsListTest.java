package dev.perfwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.perfwatch.Perfwatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** alerts list reads the output folder given as --output or as its argument. */
class AlertsListTest {

    @TempDir
    Path dir;

    @Test
    void theOutputFolderIsTheArgumentOrOutput() throws Exception {
        Path out = dir.resolve("run");
        Path events = Files.createDirectories(out.resolve("alert-events").resolve("dt=2026-11-26").resolve("hour=09"));
        Files.write(events.resolve("part-0.jsonl"), List.of("{\"alert_id\":\"a1b2c3\",\"fingerprint\":\"threshold:cpu_usage:warning|web|cpu_usage\","
                + "\"rule\":\"threshold:cpu_usage:warning\",\"kind\":\"threshold\",\"severity\":\"warning\",\"component\":\"web\","
                + "\"metric\":\"cpu_usage\",\"from\":null,\"to\":\"firing\",\"at\":\"2026-11-26T09:27:00Z\",\"reason\":\"raised\","
                + "\"by\":null,\"comment\":null}"));
        String byArgument = Captured.stdout(() -> assertEquals(0, Perfwatch.run("alerts", "list", out.toString())));
        assertTrue(byArgument.contains("a1b2c3") && byArgument.contains("1 open alert"), byArgument);
        assertEquals(byArgument, Captured.stdout(() -> assertEquals(0, Perfwatch.run("alerts", "list", "-o", out.toString()))));
        assertEquals(2, Perfwatch.run("alerts", "list", out.toString(), "-o", dir.resolve("other").toString()), "two folders");
    }
}
