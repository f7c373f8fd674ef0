package dev.perfwatch.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OutputJsonTest {

    private static final String[] NAMES = {"api", "database", "cpu_usage", "caf\u00e9", "line\nbreak \"quoted\" \\", "\u0001ctl",
            "emoji \uD83D\uDE80", "\u4e2d\u6587", ""};
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, Double.MAX_VALUE, 1e-300, 1e16, 107.44312393951417, 0.1 + 0.2, -5e-324};

    private static double value(SplittableRandom rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> SPECIAL[rnd.nextInt(SPECIAL.length)];
            case 1 -> Math.round(rnd.nextDouble() * 100_000) / 1000.0;
            case 2 -> Double.longBitsToDouble(rnd.nextLong());
            default -> rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-12, 13));
        };
    }

    @Test
    void aWindowSummaryIsWrittenAsTheMapperWritesIt() throws Exception {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int i = 0; i < 20_000; i++) {
            WindowSummary w = new WindowSummary();
            w.component = NAMES[rnd.nextInt(NAMES.length)];
            w.metric = i % 50 == 0 ? null : NAMES[rnd.nextInt(NAMES.length)];
            w.windowStart = i % 97 == 0 ? Long.MIN_VALUE : rnd.nextLong(-2_000_000_000_000L, 4_000_000_000_000L);
            w.windowEnd = w.windowStart == Long.MIN_VALUE ? 60_000 : w.windowStart + 60_000;
            w.count = i % 89 == 0 ? Long.MAX_VALUE : rnd.nextLong(0, 1_000_000);
            w.mean = value(rnd);
            w.stddev = value(rnd);
            w.min = value(rnd);
            w.max = value(rnd);
            w.p50 = value(rnd);
            w.p95 = value(rnd);
            w.p99 = value(rnd);
            byte[] expected = (new String(OutputJson.MAPPER.writeValueAsBytes(w), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] actual = OutputJson.toJsonLine(w);
            assertArrayEquals(expected, actual, () -> new String(expected, StandardCharsets.UTF_8) + " vs " + new String(actual, StandardCharsets.UTF_8));
        }
        // The field names and layout, as the output tables and the SQL DDL read them.
        WindowSummary w = new WindowSummary();
        w.component = "api";
        w.metric = "response_time";
        w.windowStart = 0;
        w.windowEnd = 60_000;
        w.count = 2;
        w.mean = 1.5;
        w.stddev = Double.NaN;
        w.min = 1;
        w.max = 2;
        w.p50 = 1.5;
        w.p95 = 2;
        w.p99 = 2;
        assertEquals("{\"component\":\"api\",\"metric\":\"response_time\",\"window_start\":\"1970-01-01T00:00:00Z\","
                + "\"window_end\":\"1970-01-01T00:01:00Z\",\"count\":2,\"mean\":1.5,\"stddev\":null,\"min\":1.0,\"max\":2.0,"
                + "\"p50\":1.5,\"p95\":2.0,\"p99\":2.0}\n", new String(OutputJson.toJsonLine(w), StandardCharsets.UTF_8));
    }
}
