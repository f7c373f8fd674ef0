package dev.perfwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The progress line of bounded runs over files (monitor, backfill): while reading, and after. */
class ProgressTest {

    private static final long S = 1_000_000_000L;

    @Test
    void whileReadingItEstimatesWhatIsLeftAfterItSaysHowLongTheDetectorsHaveWorked() {
        Progress p = new Progress(4, 1_000_000, 0);
        assertEquals("files 1 of 4 done, read 250,000 of about 1,000,000 lines (25%), 25,000 lines/s, about 30 s of reading left",
                p.line(1, 250_000, 10 * S));
        assertEquals("files 4 of 4 done, read 1,000,000 lines in 40 s (25,000 lines/s); detecting and writing",
                p.line(4, 1_000_000, 40 * S));
        assertEquals("files 4 of 4 done, read 1,000,000 lines in 40 s (25,000 lines/s); detecting and writing for 20 s",
                p.line(4, 1_000_000, 60 * S));
        RunReport now = new RunReport(java.util.Map.of("perfwatch.filesDone", 4L, "perfwatch.lines", 1_000_000L,
                "perfwatch.output.summaries", 123_456L), null, -1);
        assertEquals("files 4 of 4 done, read 1,000,000 lines in 40 s (25,000 lines/s); detecting and writing for 30 s, "
                + "123,456 summaries written", p.line(now, 70 * S));
        Progress reading = new Progress(4, 1_000_000, 0);
        assertEquals("files 1 of 4 done, read 250,000 of about 1,000,000 lines (25%), 25,000 lines/s, about 30 s of reading left",
                reading.line(new RunReport(java.util.Map.of("perfwatch.filesDone", 1L, "perfwatch.lines", 250_000L,
                        "perfwatch.output.summaries", 9L), null, -1), 10 * S), "while reading, no summaries count");
    }
}
