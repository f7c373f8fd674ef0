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
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = dev.perfwatch.Perfwatch.run("bench", "-n", "2000", "--spacing", "1m", "--rounds", "2");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
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
    }

    @Test
    void roundsBelowOneAreAUsageError() {
        assertEquals(2, dev.perfwatch.Perfwatch.run("bench", "-n", "2000", "--rounds", "0"));
    }
}
