package dev.perfwatch.bench;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The latency harness's clock: which sample lets an output out, and when that sample arrived. */
class LatencyBenchmarkTest {

    @Test
    void anOutputIsTimedFromTheFirstSampleAtOrPastItsTime() {
        LatencyBenchmark.Probe.startMillis = 1_000_000;
        LatencyBenchmark.Probe.intervalMillis = 1_000;
        LatencyBenchmark.Probe.series = 10;
        LatencyBenchmark.Probe.rate = 1_000;          // a tick of 10 series every 10 ms
        LatencyBenchmark.Probe.firstNanos = 5_000_000_000L;
        LatencyBenchmark.Probe.lastTick = 99;
        LatencyBenchmark.Probe.firstCountedTick = 25;
        LatencyBenchmark.Probe.emitted = new AtomicLongArray(100);

        // Event time 1,040,000 is tick 40 exactly; 1,040,001 needs tick 41. Not yet seen leaving: the schedule.
        assertEquals(5_000_000_000L + 400_000_000L, LatencyBenchmark.Probe.dueNanos(1_040_000));
        assertEquals(5_000_000_000L + 410_000_000L, LatencyBenchmark.Probe.dueNanos(1_040_001));
        // It left the source early (the rate limiter's burst): from when it left.
        LatencyBenchmark.Probe.emitted.set(40, 5_000_000_000L + 300_000_000L);
        assertEquals(5_000_000_000L + 300_000_000L, LatencyBenchmark.Probe.dueNanos(1_040_000));
        // It left late (the source was held back): from when it was due.
        LatencyBenchmark.Probe.emitted.set(40, 5_000_000_000L + 900_000_000L);
        assertEquals(5_000_000_000L + 400_000_000L, LatencyBenchmark.Probe.dueNanos(1_040_000));
        // The warm-up, and past the input's end (the final watermark): not counted.
        assertEquals(-1, LatencyBenchmark.Probe.dueNanos(1_024_000));
        assertEquals(-1, LatencyBenchmark.Probe.dueNanos(1_100_000));
    }
}
