package dev.perfwatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run that exhausts the process's open files (the file sink holds one part file per output kind, event hour and
 * writer until a batch run ends) fails saying so and what to do, not with a stack trace alone. A real run in a
 * JVM of its own, started under a lowered limit ({@code ulimit -n}), as a user's shell would have it.
 */
class OpenFilesTest {

    @TempDir
    Path dir;

    @Test
    void aRunOutOfOpenFilesSaysWhatToDo() throws Exception {
        // one series every 10 minutes for 30 days: 720 hours of summaries, each hour a part file open until the end
        Path input = Files.createDirectories(dir.resolve("in"));
        List<String> lines = new ArrayList<>();
        long start = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 30 * 144; i++) {
            lines.add("{\"timestamp\":\"" + Instant.ofEpochMilli(start + i * 600_000L) + "\",\"metric\":\"cpu_usage\",\"component\":\"api\",\"value\":"
                    + (40 + i % 7) + "}");
        }
        Files.write(input.resolve("metrics.jsonl"), lines);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder("bash", "-c", "ulimit -n 400 && exec \"$0\" -Dperfwatch.launcher=true -cp \"$1\" dev.perfwatch.Perfwatch "
                        + "monitor --input \"$2\" --output \"$3\" --mode batch -p 1",
                java, System.getProperty("java.class.path"), input.toString(), dir.resolve("out").toString())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        String console = new String(out, StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), console);
        String last = console.strip().substring(console.strip().lastIndexOf('\n') + 1);
        assertTrue(last.startsWith("perfwatch: the job ran out of open files (the process's limit, ulimit -n)"), last);
        assertTrue(last.contains("ulimit -n 65536") && last.contains("backfill a week or a day at a time"), last);
    }
}
