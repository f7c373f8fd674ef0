package dev.perfwatch.detect;

import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The anomaly scores' volatility rule ({@code anomaly:volatility}), through the operator. */
class VolatilityTest {

    private static final long MIN = 60_000;
    private static final int DAY = 1440;

    /** One sample in the 1-minute window of minute {@code m} (from 0) every {@code every} minutes. */
    private static List<AlertCandidate> run(int minutes, int every, IntToDoubleFunction value, String... overrides) throws Exception {
        return run(minutes, every, value, m -> 1, overrides);
    }

    /** As above, the window of minute {@code m} holding {@code samples(m)} samples. */
    private static List<AlertCandidate> run(int minutes, int every, IntToDoubleFunction value, IntUnaryOperator samples, String... overrides)
            throws Exception {
        var h = AnomalyScoresTest.harness(overrides); // the operator as the job builds it, with the overrides
        for (int m = 0; m < minutes; m += every) {
            double x = value.applyAsDouble(m);
            WindowSummary w = new WindowSummary();
            w.component = "worker";
            w.metric = "jobs_in_flight"; // a custom metric: no levels, either direction
            w.windowStart = m * MIN;
            w.windowEnd = w.windowStart + MIN;
            w.count = samples.applyAsInt(m);
            w.mean = w.p50 = w.p95 = w.p99 = w.min = w.max = x;
            h.processElement(new StreamRecord<>(w, w.windowEnd - 1));
        }
        List<AlertCandidate> out = h.extractOutputValues().stream().filter(a -> a.rule.equals(Volatility.RULE)).toList();
        h.close();
        return out;
    }

    /** A daily cycle of 50 +- 10 with normal noise of {@code sd(minute)}. */
    private static IntToDoubleFunction cycle(long seed, IntToDoubleFunction sd) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return m -> 50 + 10 * Math.sin(2 * Math.PI * m / DAY) + sd.applyAsDouble(m) * rnd.nextGaussian();
    }

    /**
     * Three days of a series sampled every minute, noise of sd 1, then from 06:00 to 12:00 on day 3 noise of sd 4 about the
     * same level: the median change from one minute to the next (0.95 for sd 1: 0.674 x sqrt(2)) quadruples. One alert,
     * at the end of the first erratic hour (the first window of 07:00), and it clears once three hours are calm again
     * (the hours from 12:00 to 15:00, judged at 15:00). The same series without the erratic hours raises nothing, on
     * five seeds over eight days.
     */
    @Test
    void aSeriesThatBecomesErraticFiresOnceAndClearsWhenItCalmsDown() throws Exception {
        int from = 2 * DAY + 6 * 60;
        int to = 2 * DAY + 12 * 60;
        List<AlertCandidate> out = run(3 * DAY, 1, cycle(11, m -> m >= from && m < to ? 4 : 1));
        assertEquals(2, out.size(), out.toString());
        AlertCandidate fired = out.get(0);
        assertEquals("firing", fired.status.code());
        assertEquals((from + 61) * MIN, fired.eventTime); // the window 07:00-07:01, which closes the hour 06:00
        assertEquals((long) from * MIN, fired.evidence.items.stream().filter(i -> i.name.equals("hour_start")).findFirst().orElseThrow().time);
        double ratio = fired.evidence.number("ratio");
        assertTrue(ratio > 2.5 && ratio < 4.5, "about 4 / 1.3 (the most of 54 hours' medians): " + ratio);
        assertEquals(60, fired.evidence.number("changes"), 1e-9); // each window's change from the one before, the first's from 05:59
        String why = fired.evidence.text("why");
        assertTrue(why.startsWith("the series has become erratic: over the hour from 1970-01-03T06:00:00Z its value changed by "), why);
        assertTrue(why.contains("the most of any hour in the 7 days before this one"), why);
        AlertCandidate cleared = out.get(1);
        assertEquals("cleared", cleared.status.code());
        assertEquals((to + 3 * 60 + 1) * MIN, cleared.eventTime);

        for (long seed = 1; seed <= 5; seed++) {
            assertEquals(List.of(), run(8 * DAY, 1, cycle(seed, m -> 1)), "seed " + seed);
        }
    }

    /**
     * A spike (ten minutes at +40) moves two changes of its hour and a step (+20 for good) one: neither moves an hour's
     * median change, and neither is volatility (the robust z and the regression detector are what see them).
     */
    @Test
    void aSpikeOrAStepIsNotVolatility() throws Exception {
        int spike = 2 * DAY + 3 * 60;
        int step = 2 * DAY + 9 * 60;
        IntToDoubleFunction noise = cycle(3, m -> 1);
        assertEquals(List.of(), run(3 * DAY, 1, m -> noise.applyAsDouble(m) + (m >= spike && m < spike + 10 ? 40 : 0) + (m >= step ? 20 : 0)));
    }

    /**
     * Jitter is judged relative to the level. A series whose noise is a share of its level (5%) at 30% of its level for
     * two days (a weekend) and then at its full level (a Monday): its changes grow 3.3 times, past twice the most of the
     * weekend's hours (about 1.35 times a typical hour's median change, of 60), its relative jitter does not: no alert,
     * on five seeds. A level that falls from 50 to 15 with its noise unchanged (3.3 times the jitter relative to the
     * hour's level): relative to the days' level, no alert either. The same weekend-then-Monday series with its noise
     * quadrupled from 09:00 on the Monday does fire, at the end of that hour.
     */
    @Test
    void noiseThatGrowsWithTheLevelOrALevelThatFallsIsNotVolatility() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            IntToDoubleFunction weekdayAfterWeekend = m -> (m < 2 * DAY ? 30 : 100) * (1 + 0.2 * Math.sin(2 * Math.PI * m / DAY))
                    * (1 + 0.05 * rnd.nextGaussian());
            assertEquals(List.of(), run(4 * DAY, 1, weekdayAfterWeekend), "seed " + seed);
            IntToDoubleFunction noise = cycle(seed, m -> 1);
            assertEquals(List.of(), run(4 * DAY, 1, m -> noise.applyAsDouble(m) - (m >= 2 * DAY + 9 * 60 ? 35 : 0)), "seed " + seed);
        }
        SplittableRandom rnd = new SplittableRandom(1);
        IntToDoubleFunction erraticMonday = m -> (m < 2 * DAY ? 30 : 100) * (1 + 0.2 * Math.sin(2 * Math.PI * m / DAY))
                * (1 + (m < 2 * DAY + 9 * 60 ? 0.05 : 0.20) * rnd.nextGaussian());
        List<AlertCandidate> out = run(4 * DAY, 1, erraticMonday);
        assertEquals(1, out.stream().filter(a -> a.status.code().equals("firing")).count(), out.toString());
        assertEquals((2 * DAY + 10 * 60 + 1) * MIN, out.get(0).eventTime);
    }

    /**
     * A scrape interval made longer: two days of windows of 30 samples (a window's mean has the noise of one sample
     * over sqrt(30)), then one sample a window from day 3, 09:00: the windows' means swing 5.5 times as much, the series
     * does not. Those hours hold under half the samples a window held over the days before: recorded, not judged; no
     * alert, five seeds. The same means with 30 samples a window throughout do fire (the check is on the samples, not
     * on the values).
     */
    @Test
    void aScrapeIntervalMadeLongerIsNotVolatility() throws Exception {
        int from = 2 * DAY + 9 * 60;
        for (long seed = 1; seed <= 5; seed++) {
            IntToDoubleFunction means = cycle(seed, m -> m < from ? 1 / Math.sqrt(30) : 1);
            assertEquals(List.of(), run(4 * DAY, 1, means, m -> m < from ? 30 : 1), "seed " + seed);
        }
        IntToDoubleFunction means = cycle(1, m -> m < from ? 1 / Math.sqrt(30) : 1);
        List<AlertCandidate> out = run(4 * DAY, 1, means, m -> 30);
        assertEquals(1, out.stream().filter(a -> a.status.code().equals("firing")).count(), out.toString());
        assertEquals((from + 61) * MIN, out.get(0).eventTime);
    }

    /**
     * Erratic in its first day: not judged before min-history (a day) of hours has been seen. And a series sampled every
     * 15 minutes holds 4 changes an hour, under min-changes (6): never judged, however erratic.
     */
    @Test
    void nothingIsJudgedBeforeADayNorOnHoursOfTooFewChanges() throws Exception {
        assertEquals(List.of(), run(DAY, 1, cycle(5, m -> m >= 12 * 60 ? 8 : 1)));
        assertEquals(List.of(), run(4 * DAY, 15, cycle(5, m -> m >= 3 * DAY ? 8 : 1)));
        // with hours of 12 changes (every 5 minutes) the same series is judged, and fires
        assertEquals(1, run(4 * DAY, 5, cycle(5, m -> m >= 3 * DAY ? 8 : 1)).stream().filter(a -> a.status.code().equals("firing")).count());
        // and with the rule off, nothing
        assertEquals(List.of(), run(4 * DAY, 5, cycle(5, m -> m >= 3 * DAY ? 8 : 1), "alerts.anomaly.volatility.enabled=false"));
    }
}
