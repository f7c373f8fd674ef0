package dev.perfwatch.pipeline;

import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.OutputJson;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.WindowSummary;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OutputLineTest {

    @Test
    void aLineIsTheRecordsJsonTextInUtf8AndANewline() {
        WindowSummary w = new WindowSummary();
        w.component = "search-api";
        w.metric = "response_time";
        w.windowStart = 1_764_000_000_000L;
        w.windowEnd = w.windowStart + 60_000;
        w.count = 3;
        w.mean = Double.NaN; // written as null
        w.p95 = 1e-300;
        AlertCandidate a = new AlertCandidate("threshold:response_time", AlertKind.THRESHOLD, Severity.WARNING, AlertStatus.FIRING,
                "search-api", "response_time", 250.0, 200.0, w.windowEnd, w.windowStart,
                new Evidence().put("why", "p95 über 200 ms — 😬 \"quoted\"\n"));
        for (dev.perfwatch.model.JsonRecord r : new dev.perfwatch.model.JsonRecord[] {w, a}) {
            OutputLine line = OutputLine.of(r);
            String json = OutputJson.toJson(r);
            assertArrayEquals((json + "\n").getBytes(StandardCharsets.UTF_8), line.line);
            assertEquals(json, new String(line.line, 0, line.line.length - 1, StandardCharsets.UTF_8));
            assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), line.jsonBytes());
            assertEquals(EventTimeBuckets.bucketOf(r.partitionTime()), line.partition);
        }
    }

    @Test
    void doublesAreWrittenAsTheShortestDecimalThatReadsBackTheSame() throws Exception {
        WindowSummary w = new WindowSummary();
        w.component = "api";
        w.metric = "bytes_out";
        w.windowStart = 1_764_000_000_000L;
        w.windowEnd = w.windowStart + 60_000;
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 10_000; i++) {
            // Java 17's Double.toString writes -8.9887513575003044E18 for the first, a digit more than it needs
            w.max = i == 0 ? -8.988751357500304E18 : random.nextLong() / Math.scalb(1.0, random.nextInt(80));
            String json = new String(OutputLine.of(w).jsonBytes(), StandardCharsets.UTF_8);
            String max = json.replaceAll(".*\"max\":([^,}]*).*", "$1");
            if (i == 0) {
                assertEquals("-8.988751357500304E18", max);
            }
            java.math.BigDecimal written = new java.math.BigDecimal(max);
            assertEquals(w.max, written.doubleValue(), json);
            if (written.precision() > 1) { // one digit fewer no longer reads back as the same double
                double shorter = written.round(new java.math.MathContext(written.precision() - 1)).doubleValue();
                org.junit.jupiter.api.Assertions.assertNotEquals(w.max, shorter, max);
            }
        }
    }
}
