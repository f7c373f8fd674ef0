package dev.perfwatch.bench.micro;

import dev.perfwatch.model.MetricSample;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The micro-benchmarks measure what they name: their inputs parse and their statistics are defined (no timing here). */
class MicroBenchmarksTest {

    @Test
    void everyParsedLineIsTheSampleItDescribes() throws Exception {
        ParseBenchmark b = new ParseBenchmark();
        b.setUp();
        for (MetricSample s : new MetricSample[] {b.jsonLine(), b.jsonLineWithHostUnitAndTags(), b.csvRow()}) {
            assertEquals("api", s.component);
            assertEquals("response_time", s.metric);
            assertEquals(123.45, s.value);
            assertEquals(java.time.Instant.parse("2026-11-26T10:15:30.250Z").toEpochMilli(), s.timestamp);
        }
        MetricSample tagged = b.jsonLineWithHostUnitAndTags();
        assertEquals("api-7f9c", tagged.host);
        assertTrue(tagged.tags.contains("eu-west-1") && tagged.tags.contains("2.4.1"), "tags: " + tagged.tags);
    }

    @Test
    void theStatisticsAreDefinedOnTheBenchmarkSamples() {
        StatisticsBenchmark s = new StatisticsBenchmark();
        s.n = 1000;
        s.setUp();
        for (double p : new double[] {s.mannWhitney(), s.welchFromSamples(), s.welchFromMoments(), s.cusumChangePoint(), s.linearTrend()}) {
            assertTrue(p >= 0 && p <= 1, "a p-value: " + p);
        }
        assertTrue(s.cohensD() > 0, "the comparison is 10% higher");
        MomentsBenchmark m = new MomentsBenchmark();
        m.perWindow = 60;
        m.setUp();
        // The same figures both ways (mean + M2 to a part in 1e12), whole or in two parts.
        assertEquals(m.welfordWindow(), m.exactWindow(), 1e-12 * m.welfordWindow());
        assertEquals(m.exactWindow(), m.exactTwoPartsMerged(), 0.0);
        assertEquals(m.welfordTwoPartsMerged(), m.exactTwoPartsMerged(), 1e-12 * m.welfordWindow());
        ExactMannWhitneyBenchmark exact = new ExactMannWhitneyBenchmark();
        exact.setUp();
        double p = exact.exact12Against288();
        assertTrue(p > 0 && p < 1, "exact p: " + p);
    }

    @Test
    void theSummaryLineIsTheSummarysJsonText() throws Exception {
        OutputLineBenchmark b = new OutputLineBenchmark();
        b.setUp();
        String line = new String(b.summaryLine(), java.nio.charset.StandardCharsets.UTF_8);
        // p50 set from 107.44312393951416 is written 107.44312393951417: the same double, the digits nearest to it (as
        // Python's repr writes it; Java 17's Double.toString kept the literal's)
        assertEquals("{\"component\":\"search-api\",\"metric\":\"response_time\",\"window_start\":\"2025-11-26T10:01:00Z\","
                + "\"window_end\":\"2025-11-26T10:02:00Z\",\"count\":60,\"mean\":112.08391666666667,\"stddev\":32.10925556794468,"
                + "\"min\":53.704,\"max\":192.776,\"p50\":107.44312393951417,\"p95\":156.38812831115723,\"p99\":189.73921489715576}\n", line);
        assertEquals("dt=2025-11-26/hour=10", b.summaryOutputLine().partition);
    }
}
