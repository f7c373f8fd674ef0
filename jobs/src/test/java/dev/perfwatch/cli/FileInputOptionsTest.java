package dev.perfwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The input paths of monitor and backfill: by --input, as arguments, or both; a missing one named. */
class FileInputOptionsTest {

    @TempDir
    Path dir;

    @Test
    void inputPathsComeFromInputAndFromTheArguments() throws Exception {
        Path a = Files.writeString(dir.resolve("a.jsonl"), "");
        Path b = Files.createDirectories(dir.resolve("b"));
        Path c = Files.writeString(dir.resolve("c.csv"), "");

        MonitorCommand monitor = new MonitorCommand();
        new CommandLine(monitor).parseArgs(a.toString(), "-i", b.toString(), "--metric", "cpu_usage", c.toString());
        assertEquals(List.of(b.toString(), a.toString(), c.toString()), monitor.files.inputs());

        BackfillCommand backfill = new BackfillCommand();
        new CommandLine(backfill).parseArgs("--from", "2026-11-01", "--to", "2026-11-02", b.toString());
        assertEquals(List.of(b.toString()), backfill.files.inputs());

        MonitorCommand missing = new MonitorCommand();
        new CommandLine(missing).parseArgs(dir.resolve("nope").toString());
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> missing.files.inputs());
        assertTrue(e.getMessage().contains(dir.resolve("nope") + ": no such file or directory"), e.getMessage());

        MonitorCommand none = new MonitorCommand();
        new CommandLine(none).parseArgs("-o", dir.resolve("out").toString());
        assertEquals(false, none.files.given());
    }
}
