package dev.perfwatch.cli;

import dev.perfwatch.Perfwatch;
import dev.perfwatch.pipeline.OutputFiles;

import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code backfill}: the range's output equals a streaming run's, adjacent ranges add up to the whole
 * (nothing lost, nothing doubled), re-runs are byte-identical, dt= folders of other days are not read,
 * and a range without samples keeps the earlier output.
 */
class BackfillTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = dev.perfwatch.pipeline.TestClusters.twoSlots();

    /** Kinds compared: everything but notifications, which a backfill never sends. */
    static final List<String> KINDS = List.of("summaries", "alerts", "regressions", "bottlenecks", "health", "suggestions",
            "alert-events", "dead-letters");
    /** Short baselines so regression detection works on a few hours. */
    static final String[] SETTINGS = {"--set", "regression.min-baseline=30m", "--set", "regression.baseline-window=2h"};

    @TempDir
    static Path dir;
    static Path input;
    static long start;
    static long end;

    @BeforeAll
    static void generate() throws Exception {
        input = dir.resolve("history");
        assertEquals(0, Perfwatch.run("generate", "--output", input.toString(), "--duration", "3h", "--seed", "11"));
        // A day partition of another day, whose lines are all bad: pruned, so no dead letter comes from it.
        Path other = Files.createDirectories(input.resolve("dt=1999-01-01"));
        Files.writeString(other.resolve("old.jsonl"), "not json\nnot json either\n");
        List<Long> times = new ArrayList<>();
        try (Stream<Path> files = Files.list(input)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                for (String line : Files.readAllLines(f)) {
                    long t = OutputFiles.timestampOf(line);
                    if (t != Long.MIN_VALUE) { // else one of the generator's bad lines
                        times.add(t);
                    }
                }
            }
        }
        long hour = 3_600_000L;
        start = Math.floorDiv(times.stream().mapToLong(Long::longValue).min().orElseThrow(), hour) * hour;
        end = (Math.floorDiv(times.stream().mapToLong(Long::longValue).max().orElseThrow(), hour) + 1) * hour;
    }

    static int run(String... args) throws Exception {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(Arrays.asList(SETTINGS));
        return Perfwatch.run(all.toArray(String[]::new));
    }

    static String iso(long t) {
        return Instant.ofEpochMilli(t).toString();
    }

    static Map<String, List<String>> content(Path out) {
        return OutputFiles.linesByKind(out, KINDS, Long.MAX_VALUE);
    }

    static Map<String, List<String>> content(Path out, long before) {
        return OutputFiles.linesByKind(out, KINDS, before);
    }

    static void assertSameContent(Map<String, List<String>> expected, Map<String, List<String>> got, String message) {
        OutputFiles.assertSameContent(expected, got, message);
    }

    static Map<String, byte[]> snapshot(Path out) throws IOException {
        return StagedRunTest.snapshot(out);
    }

    /**
     * Over days, not hours: two weeks of a NAB CPU series (a daily job at 03:00, a spike to 2.34 on 02-26) backfilled
     * in three adjacent ranges give what one backfill over the two weeks gives, alerts and their evidence alike, with
     * the default warm-up (the week's range and a day). With the 25 hours that were the default before, the spike's
     * alert judged it against a range of 93 hours instead of the week's 168.
     */
    @Test
    void adjacentRangesOfDaysAddUpToOneRunWithTheDefaultWarmUp() throws Exception {
        Path nab = Files.createDirectories(dir.resolve("nab-cpu"));
        Files.copy(Path.of("src/test/resources/nab/ec2_cpu_utilization_24ae8d.csv"), nab.resolve("ec2_cpu_utilization_24ae8d.csv"));
        String[] csv = {"backfill", "--input", nab.toString(), "--metric", "cpu_usage", "--component", "{file}"};
        List<String> kinds = List.of("alerts", "alert-events", "regressions");
        long until = Instant.parse("2014-03-01T00:00:00Z").toEpochMilli();
        Path whole = dir.resolve("nab-whole");
        assertEquals(0, Perfwatch.run(concat(csv, "--output", whole.toString(), "--from", "2014-02-14", "--to", "2014-03-01")));
        Map<String, List<String>> expected = OutputFiles.linesByKind(whole, kinds, until);
        assertTrue(expected.get("alerts").stream().anyMatch(l -> l.contains("\"range_hours\":168")), "the spike is judged against the week: " + expected);
        for (String warmup : new String[] {null, "25h"}) {
            Path parts = dir.resolve("nab-parts-" + warmup);
            String[][] ranges = {{"2014-02-24", "2014-03-01"}, {"2014-02-14", "2014-02-21"}, {"2014-02-21", "2014-02-24"}};
            for (String[] r : ranges) {
                String[] args = concat(csv, "--output", parts.toString(), "--from", r[0], "--to", r[1]);
                assertEquals(0, Perfwatch.run(warmup == null ? args : concat(args, "--warmup", warmup)));
            }
            Map<String, List<String>> got = OutputFiles.linesByKind(parts, kinds, until);
            if (warmup == null) {
                assertSameContent(expected, got, "three adjacent ranges of days, in any order, give one run's alerts and evidence");
            } else {
                assertEquals(expected.get("alert-events").size(), got.get("alert-events").size());
                assertTrue(got.get("alerts").stream().anyMatch(l -> l.contains("\"range_hours\":93")),
                        "with 25 hours of warm-up the range of 02-24 on starts at 02-23: " + got.get("alerts"));
            }
        }
    }

    /**
     * Ten days of a series sampled every 5 minutes whose noise quadruples about the same level for six hours on day 9:
     * one volatility alert, fired within those hours, the same (from a day-by-day history of the hours' jitter) in a
     * streaming run, a batch run, and two adjacent backfills with the default warm-up.
     */
    @Test
    void aSeriesThatBecomesErraticAlertsTheSameInStreamingBatchAndAdjacentBackfills() throws Exception {
        Path in = Files.createDirectories(dir.resolve("erratic-in"));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        Instant t0 = Instant.parse("2014-03-01T00:00:00Z");
        Instant from = Instant.parse("2014-03-09T06:00:00Z");
        Instant to = Instant.parse("2014-03-09T12:00:00Z");
        for (int i = 0; i < 10 * 288; i++) {
            Instant t = t0.plusSeconds(300L * i);
            double sd = !t.isBefore(from) && t.isBefore(to) ? 4 : 1;
            csv.append(t.toString().replace('T', ' ').replace("Z", "")).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", 50 + 10 * Math.sin(2 * Math.PI * i / 288) + sd * rnd.nextGaussian()))
                    .append('\n');
        }
        Files.writeString(in.resolve("worker.csv"), csv);
        String[] args = {"--input", in.toString(), "--metric", "jobs_in_flight", "--component", "{file}"};
        List<String> kinds = List.of("alerts", "alert-events");
        long until = Instant.parse("2014-03-11T00:00:00Z").toEpochMilli();
        Path batch = dir.resolve("erratic-batch");
        Path streaming = dir.resolve("erratic-streaming");
        Path parts = dir.resolve("erratic-parts");
        assertEquals(0, Perfwatch.run(concat(concat(new String[] {"monitor"}, args), "--output", batch.toString())));
        assertEquals(0, Perfwatch.run(concat(concat(new String[] {"monitor", "--mode", "streaming"}, args), "--output", streaming.toString())));
        for (String[] r : new String[][] {{"2014-03-09", "2014-03-11"}, {"2014-03-01", "2014-03-09"}}) {
            assertEquals(0, Perfwatch.run(concat(concat(new String[] {"backfill"}, args), "--output", parts.toString(), "--from", r[0], "--to", r[1])));
        }
        Map<String, List<String>> expected = OutputFiles.linesByKind(batch, kinds, until);
        List<String> fired = expected.get("alert-events").stream().filter(l -> l.contains("\"rule\":\"anomaly:volatility\"")).toList();
        assertEquals(2, fired.size(), "fired and resolved: " + expected.get("alert-events"));
        // At 12 changes an hour a median is noisy, and the most of a week of them is about twice a typical hour's: a noise
        // four times the usual fires at the end of one of the erratic hours.
        String firing = fired.stream().filter(l -> l.contains("\"to\":\"firing\"")).findFirst().orElseThrow();
        long at = OutputFiles.timestampOf(firing.replace("\"at\"", "\"timestamp\""));
        assertTrue(at > from.toEpochMilli() && at <= to.toEpochMilli() + 60_000, firing);
        OutputFiles.assertSameContent(expected, OutputFiles.linesByKind(streaming, kinds, until), "streaming equals batch");
        OutputFiles.assertSameContent(expected, OutputFiles.linesByKind(parts, kinds, until), "two adjacent backfills equal one run");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aBackfillEqualsAStreamingRunAndAdjacentRangesAddUpToTheWhole() throws Exception {
        Path streamed = dir.resolve("streamed");
        assertEquals(0, run("monitor", "--mode", "streaming", "--input", input.resolve("api.jsonl").getParent().toString(),
                "--output", streamed.toString()));
        // The streaming run also writes what happens after the input (no-data resolutions): a backfill to 'end' does not.
        Map<String, List<String>> expected = content(streamed, end);
        // The streaming run read the bad day partition too (monitor does not prune): leave its dead letters out.
        expected.put("dead-letters", expected.get("dead-letters").stream().filter(l -> !l.contains("old.jsonl")).toList());
        assertTrue(expected.get("summaries").size() > 1000);
        assertFalse(expected.get("alerts").isEmpty(), "the generated incidents raise alerts");
        assertFalse(expected.get("regressions").isEmpty(), "and regression findings");

        Path whole = dir.resolve("whole");
        assertEquals(0, run("backfill", "--input", input.toString(), "--output", whole.toString(), "--from", iso(start), "--to", iso(end)));
        assertSameContent(expected, content(whole), "backfill (batch) equals the streaming run");

        Path split = dir.resolve("split");
        long middle = start + 2 * 3_600_000L;
        assertEquals(0, run("backfill", "--input", input.toString(), "--output", split.toString(), "--from", iso(middle), "--to", iso(end)));
        assertEquals(0, run("backfill", "--input", input.toString(), "--output", split.toString(), "--from", iso(start), "--to", iso(middle)));
        assertSameContent(expected, content(split), "two adjacent ranges, in any order, give the whole: nothing lost, nothing doubled");

        Map<String, byte[]> before = snapshot(split);
        assertEquals(0, run("backfill", "--input", input.toString(), "--output", split.toString(), "--from", iso(middle), "--to", iso(end)));
        Map<String, byte[]> after = snapshot(split);
        assertEquals(before.keySet(), after.keySet(), "a re-run replaces its partitions, adds no file");
        before.forEach((file, bytes) -> assertArrayEquals(bytes, after.get(file), file));
    }

    @Test
    void theRunSaysWhatItReadAndARangeWithoutSamplesKeepsTheEarlierOutput() throws Exception {
        Path out = dir.resolve("report");
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = run("backfill", "--input", input.toString(), "--output", out.toString(), "--from", iso(start + 3_600_000L),
                    "--to", iso(end), "--progress-every", "200ms");
        } finally {
            System.setOut(original);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("1 files of other days skipped by their dt= path"), text);
        assertTrue(text.matches("(?s).*warm-up +[1-9][0-9,]* samples before .*"), text);
        assertTrue(text.contains("written           summaries "), text);
        assertTrue(text.matches("(?s).*files [0-9] of 7 done, read [0-9,]+ (of about|lines).*"), "progress lines: " + text);
        try (Stream<Path> hours = Files.list(out.resolve("summaries").resolve("dt=" + iso(start).substring(0, 10)))) {
            assertFalse(hours.anyMatch(h -> h.getFileName().toString().equals("hour=" + iso(start).substring(11, 13))),
                    "nothing is written for the warm-up hour");
        }

        Map<String, byte[]> before = snapshot(out);
        long later = end + 48 * 3_600_000L;
        assertEquals(1, run("backfill", "--input", input.toString(), "--output", out.toString(), "--from", iso(later),
                "--to", iso(later + 3_600_000L), "--warmup", "0s"));
        Map<String, byte[]> after = snapshot(out);
        assertEquals(before.keySet(), after.keySet(), "an empty range fails and keeps the earlier output");

        assertEquals(2, run("backfill", "--input", input.toString(), "--output", out.toString(), "--from", "2026-11-01T06:30:00Z",
                "--to", "2026-11-02"), "a range not on whole hours is a usage error");
        assertEquals(2, run("backfill", "--input", input.toString(), "--output", out.toString(), "--from", "yesterday",
                "--to", "2026-11-02"));
    }
}
