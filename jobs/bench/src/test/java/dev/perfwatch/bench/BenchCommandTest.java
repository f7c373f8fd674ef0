package dev.perfwatch.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void theMedianOfTheRounds() {
        assertEquals(0.4, BenchCommand.median(new double[] {0.4}));
        assertEquals(0.45, BenchCommand.median(new double[] {0.4, 0.5}), 1e-15);
        assertEquals(0.5, BenchCommand.median(new double[] {0.1, 0.5, 0.9}));
    }

    /** With --rounds 2, a second pass-through and pipeline run, and the ratio printed is the median of the two rounds' ratios. */
    @Test
    void roundsAlternateTheJobsAndPrintTheirMedianRatio() throws Exception {
        String out = run("bench", "-n", "2000", "--spacing", "1m", "--rounds", "2");
        double[] ratios = new double[2];
        Matcher first = Pattern.compile("(?m)^pipeline +[\\d,]+ records/s .* ratio (\\d+\\.\\d\\d) ").matcher(out);
        assertTrue(first.find(), out);
        ratios[0] = Double.parseDouble(first.group(1));
        Matcher second = Pattern.compile("(?m)^pipeline, round 2 +[\\d,]+ records/s .* ratio (\\d+\\.\\d\\d) ").matcher(out);
        assertTrue(second.find(), out);
        ratios[1] = Double.parseDouble(second.group(1));
        assertTrue(out.contains("pass-through, round 2"), out);
        Matcher median = Pattern.compile("ratio pipeline / pass-through: (\\d+\\.\\d\\d), the median of 2 rounds \\((\\d+\\.\\d\\d), (\\d+\\.\\d\\d)\\)").matcher(out);
        assertTrue(median.find(), out);
        assertEquals(ratios[0], Double.parseDouble(median.group(2)));
        assertEquals(ratios[1], Double.parseDouble(median.group(3)));
        assertEquals((ratios[0] + ratios[1]) / 2, Double.parseDouble(median.group(1)), 0.006);
        assertTrue(out.contains("--fork PAIRS measures each warm in a JVM of its own"), out);
    }

    /**
     * With --fork, each job runs in a JVM of its own (a child of this one): its runs are echoed under its label, and
     * the pair's ratio is the pipeline's median over the pass-through's, as printed.
     */
    @Test
    void forkRunsEachJobInAJvmOfItsOwn() throws Exception {
        String out = run("bench", "-n", "2000", "--spacing", "1m", "--fork", "1", "--warm-ups", "1", "--rounds", "1");
        assertTrue(out.contains("[pass-through, JVM 1] (warm-up 1) pass-through"), out);
        assertTrue(out.contains("[pipeline, JVM 1] (warm-up 1) pipeline"), out);
        Matcher passThrough = Pattern.compile("(?m)^  \\[pass-through, JVM 1\\] run 1 pass-through +([\\d,]+) records/s").matcher(out);
        assertTrue(passThrough.find(), out);
        Matcher pipeline = Pattern.compile("(?m)^  \\[pipeline, JVM 1\\] run 1 pipeline +([\\d,]+) records/s").matcher(out);
        assertTrue(pipeline.find(), out);
        double expected = Double.parseDouble(pipeline.group(1).replace(",", "")) / Double.parseDouble(passThrough.group(1).replace(",", ""));
        Matcher pair = Pattern.compile("(?m)^pair 1: pass-through ([\\d,]+) records/s .*, pipeline ([\\d,]+) records/s, .*: ratio (\\d+\\.\\d\\d)$").matcher(out);
        assertTrue(pair.find(), out);
        assertEquals(passThrough.group(1), pair.group(1));
        assertEquals(pipeline.group(1), pair.group(2));
        assertEquals(expected, Double.parseDouble(pair.group(3)), 0.006);
        Matcher median = Pattern.compile("ratio pipeline / pass-through, each job warm in a JVM of its own: (\\d+\\.\\d\\d), the median of 1 pair").matcher(out);
        assertTrue(median.find(), out);
        assertEquals(pair.group(3), median.group(1));
    }

    @Test
    void forkBelowOneIsAUsageError() {
        assertEquals(2, dev.perfwatch.Perfwatch.run("bench", "-n", "2000", "--fork", "0"));
        assertEquals(2, dev.perfwatch.Perfwatch.run("bench", "-n", "2000", "--fork", "1", "--warm-ups", "-1"));
    }

    /** --fork measures the two throughput jobs only: with another measurement it is a usage error, not ignored. */
    @Test
    void forkWithAnotherMeasurementIsAUsageError() {
        assertEquals(2, dev.perfwatch.Perfwatch.run("bench", "--fork", "1", "--latency"));
        assertEquals(2, dev.perfwatch.Perfwatch.run("bench", "--fork", "1", "--stages"));
        assertEquals(2, dev.perfwatch.Perfwatch.run("bench", "--job", "pipeline", "--backfill"));
        assertEquals(2, dev.perfwatch.Perfwatch.run("bench", "--job", "neither"));
    }

    /** Runs the command with its standard output captured; asserts it succeeded and returns that output. */
    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = dev.perfwatch.Perfwatch.run(args);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        return out;
    }

    @Test
    void roundsBelowOneAreAUsageError() {
        assertEquals(2, dev.perfwatch.Perfwatch.run("bench", "-n", "2000", "--rounds", "0"));
    }
}
