package dev.perfwatch.detect;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnomalyScoresTest {

    @Test
    void theKeptSortedBaselineIsWhatSortingTheRingGives() {
        // A ring of 60 values slid over 5,000 windows, with repeated values, signed zeros, infinities and NaN:
        // after every step the sorted array kept is the one Arrays.sort gives for the ring, bit for bit.
        SplittableRandom rnd = new SplittableRandom(7);
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0, 1.0};
        int capacity = 60;
        double[] ring = new double[capacity];
        int size = 0;
        int next = 0;
        double[] sorted = new double[0];
        for (int step = 0; step < 5_000; step++) {
            double x = rnd.nextInt(10) == 0 ? special[rnd.nextInt(special.length)] : Math.floor(rnd.nextDouble() * 20) / 4;
            boolean full = size == capacity;
            double evicted = ring[next];
            ring[next] = x;
            next = (next + 1) % capacity;
            size = Math.min(size + 1, capacity);
            sorted = AnomalyScores.withValue(sorted, full, evicted, x);
            double[] expected = java.util.Arrays.copyOf(ring, size);
            java.util.Arrays.sort(expected);
            assertTrue(java.util.Arrays.equals(expected, sorted), "step " + step + ": " + java.util.Arrays.toString(sorted));
        }
        assertEquals(null, AnomalyScores.withValue(new double[] {1, 2, 3}, true, 4, 5), "a value not in the array: none kept");
    }


    private static final long MIN = 60_000;

    private static StreamRecord<WindowSummary> window(String metric, int minute, double median) {
        WindowSummary w = new WindowSummary();
        w.component = "api";
        w.metric = metric;
        w.windowStart = (minute - 1) * MIN;
        w.windowEnd = minute * MIN;
        w.count = 30;
        w.mean = w.p50 = median;
        w.p95 = w.p99 = w.max = median * 1.5;
        w.min = median * 0.5;
        w.stddev = median * 0.2;
        return new StreamRecord<>(w, w.windowEnd - 1);
    }

    static KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, AlertCandidate> harness(String... overrides) throws Exception {
        PerfwatchConfig c = ConfigLoader.load(null, List.of(overrides));
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new AnomalyScores(c.alerts.anomaly, c.levels(), c.alerts.retention), WindowSummary::seriesId, Types.LONG);
        h.open();
        return h;
    }

    @Test
    void quietDuringColdStartThenFiresAndClearsInTheWorseDirectionOnly() throws Exception {
        var h = harness("alerts.anomaly.rcf.enabled=false");
        SplittableRandom rnd = new SplittableRandom(1);
        int minute = 1;
        h.processElement(window("response_time", minute++, 100));
        h.processElement(window("response_time", minute++, 500)); // a jump during the cold start: no alert
        for (; minute <= 40; minute++) {
            h.processElement(window("response_time", minute, 100 + 5 * rnd.nextGaussian()));
        }
        assertTrue(h.extractOutputValues().isEmpty(), h.extractOutputValues().toString());
        h.processElement(window("response_time", minute++, 40)); // faster: an improvement, not an alert
        assertTrue(h.extractOutputValues().isEmpty(), "improvements are not anomalies: " + h.extractOutputValues());
        h.processElement(window("response_time", minute++, 180));
        h.processElement(window("response_time", minute++, 190));
        List<AlertCandidate> out = h.extractOutputValues();
        assertEquals(1, out.size(), "one alert for the excursion: " + out);
        assertEquals("firing", out.get(0).status.code());
        assertEquals("anomaly:robust-z", out.get(0).rule);
        assertEquals(180.0, out.get(0).value);
        String evidence = dev.perfwatch.model.OutputJson.toJson(out.get(0).evidence);
        assertTrue(evidence.contains("\"robust_z\":") && evidence.contains("\"likelihood\":")
                && evidence.contains("81% above the median 99.49 of the last 41 windows (13.4 robust standard deviations"), evidence);
        // Back to normal: it keeps firing through settle-windows (20) calm windows, then clears once,
        // with the excursion's peak; a spike within those windows would have been the same excursion.
        for (int i = 0; i < 19; i++) {
            h.processElement(window("response_time", minute++, 100 + 5 * rnd.nextGaussian()));
        }
        assertEquals(1, h.extractOutputValues().size(), h.extractOutputValues().toString());
        h.processElement(window("response_time", minute++, 101));
        out = h.extractOutputValues();
        assertEquals(2, out.size(), out.toString());
        assertEquals("cleared", out.get(1).status.code());
        assertEquals(out.get(0).startedAt, out.get(1).startedAt);
        assertTrue(dev.perfwatch.model.OutputJson.toJson(out.get(1).evidence).contains("\"peak_value\":190.0"), out.get(1).evidence.toString());
        h.close();
    }

    @Test
    void aSpikeWithinTheSettleWindowsIsTheSameExcursion() throws Exception {
        var h = harness();
        SplittableRandom rnd = new SplittableRandom(4);
        int minute = 1;
        for (; minute <= 40; minute++) {
            h.processElement(window("response_time", minute, 100 + 5 * rnd.nextGaussian()));
        }
        h.processElement(window("response_time", minute++, 200));
        for (int i = 0; i < 10; i++) {
            h.processElement(window("response_time", minute++, 100 + 5 * rnd.nextGaussian()));
        }
        h.processElement(window("response_time", minute++, 210)); // 10 calm windows later: still the same excursion
        assertEquals(1, h.extractOutputValues().size(), h.extractOutputValues().toString());
        for (int i = 0; i < 20; i++) {
            h.processElement(window("response_time", minute++, 100 + 5 * rnd.nextGaussian()));
        }
        assertEquals(List.of("firing", "cleared"), h.extractOutputValues().stream().map(a -> a.status.code()).toList());
        h.processElement(window("response_time", minute++, 220)); // settled, but within the range of the windows so far (85 to 210, margin 12.5)
        assertEquals(List.of("firing", "cleared"), h.extractOutputValues().stream().map(a -> a.status.code()).toList());
        h.processElement(window("response_time", minute, 240)); // beyond it: a new excursion, a new alert
        assertEquals(List.of("firing", "cleared", "firing"), h.extractOutputValues().stream().map(a -> a.status.code()).toList());
        h.close();
    }

    @Test
    void burstsOffAFlatSeriesAreNewsUntilTheyAreRoutine() throws Exception {
        var h = harness();
        int minute = 1;
        int fired = 0;
        for (int burst = 0; burst < 12; burst++) {
            for (int i = 0; i < 40; i++) {
                h.processElement(window("disk_io", minute++, 0)); // flat: MAD 0, no resolution either
            }
            h.processElement(window("disk_io", minute++, 4.0e8 * (1 + 0.1 * (burst % 3))));
            long now = h.extractOutputValues().stream().filter(a -> a.status.code().equals("firing")).count();
            if (now > fired && burst >= 3) {
                throw new AssertionError("burst " + burst + " of a routine size fired again: " + h.extractOutputValues());
            }
            fired = (int) now;
        }
        assertTrue(fired >= 1, "the first burst off a flat series is news");
        for (AlertCandidate a : h.extractOutputValues()) {
            if (!a.status.code().equals("firing")) {
                continue;
            }
            String e = dev.perfwatch.model.OutputJson.toJson(a.evidence);
            assertTrue(!e.contains("Infinity") && !e.contains("NaN") && e.contains("above the median 0.00 of the last ") && e.contains("windows (the series sat at that value)"),
                    "finite evidence in words: " + e);
        }
        h.close();
    }

    @Test
    void aSpikeThatComesEveryDayAtTheSameTimeFiresOnTheFirstDayOnly() throws Exception {
        var h = harness();
        SplittableRandom rnd = new SplittableRandom(5);
        List<Long> firedAt = new java.util.ArrayList<>();
        for (int window = 1; window <= 3 * 288; window++) {
            long minuteOfDay = (window * 5L) % 1440;
            boolean spike = minuteOfDay >= 600 && minuteOfDay < 610; // 10:00-10:10 every day
            h.processElement(window5("cpu_usage", window, spike ? 90 : 40 + 2 * rnd.nextGaussian()));
        }
        for (AlertCandidate a : h.extractOutputValues()) {
            if (a.status.code().equals("firing")) {
                firedAt.add(a.startedAt / 86_400_000L);
            }
        }
        assertEquals(List.of(0L), firedAt, "day 0 only: " + h.extractOutputValues());
        h.close();
    }

    /**
     * A network-like series at 5-minute windows: quiet (100 +- 5) with a burst of 5,000-6,000 at random
     * times, 2 to 7 a day. From a day of history on, a burst of the size the series has had this week is
     * not news (the likelihood, which assumes normal scores, calls a burst every few hours a 6-sigma
     * event and fired on them, as it still does with range-days 0); a burst beyond the week's range by a
     * tenth of it is.
     */
    @Test
    void aBurstOfTheSizeASeriesHasHadThisWeekIsNotNewsALargerOneIs() throws Exception {
        for (int rangeDays : new int[] {7, 0}) {
            var h = harness("alerts.anomaly.range-days=" + rangeDays);
            SplittableRandom rnd = new SplittableRandom(8);
            int afterADay = 0;
            int n = 1;
            for (; n <= 4 * 288; n++) {
                boolean burst = rnd.nextInt(288) < 4;
                h.processElement(window5("net_bytes", n, burst ? 5000 + 1000 * rnd.nextDouble() : 100 + 5 * rnd.nextGaussian()));
                if (n == 288) {
                    afterADay = firing(h).size();
                }
            }
            int routine = firing(h).size() - afterADay;
            if (rangeDays == 0) {
                assertTrue(routine >= 3, "the likelihood alone fires on routine bursts: " + routine);
                h.close();
                continue;
            }
            assertEquals(0, routine, "bursts of the week's size, days 2 to 4: " + firing(h));
            h.processElement(window5("net_bytes", n++, 6200)); // past 6,000 but not by a tenth of the range (590)
            assertEquals(afterADay, firing(h).size(), firing(h).toString());
            for (int i = 0; i < 20; i++) {
                h.processElement(window5("net_bytes", n++, 100 + 5 * rnd.nextGaussian()));
            }
            h.processElement(window5("net_bytes", n++, 9000));
            List<AlertCandidate> fired = firing(h);
            assertEquals(afterADay + 1, fired.size(), fired.toString());
            AlertCandidate last = fired.get(fired.size() - 1);
            assertEquals(9000.0, last.value);
            String why = last.evidence.text("why");
            assertTrue(why.contains("above the highest value reached on 2 of the last 3 days (") && why.contains("by more than"), why);
            // A fall to 20 is within a tenth of this range below its lowest value (the bursts make the range):
            // not news here (a sustained fall is the regression detector's).
            for (int i = 0; i < 20; i++) {
                h.processElement(window5("net_bytes", n++, 100 + 5 * rnd.nextGaussian()));
            }
            h.processElement(window5("net_bytes", n++, 20));
            assertEquals(afterADay + 1, firing(h).size(), firing(h).toString());
            h.close();
        }
    }

    @Test
    void aOneOffAnomalyDoesNotHideTheNextForAWeekARoutineBurstStaysQuiet() throws Exception {
        // A custom metric (scored both ways) at 45 +- 1.5 in 5-minute windows, with a burst to 60 at the same time every
        // day; a dip to 30 on day 2 (an anomaly), and a dip to 28 on day 5. The week's lowest value is then 30, and
        // 28 lies within a tenth of the range (30 to 60) of it: with the range's ends taken from one day (1), the
        // second dip is hidden by the first; with the values reached on two days (the default, 2), the range is about
        // 40 to 60 and the second dip is news. The daily burst is reached every day: quiet either way.
        for (int reached : new int[] {2, 1}) {
            var h = harness("alerts.anomaly.range-reached-days=" + reached);
            SplittableRandom rnd = new SplittableRandom(21);
            int firstDip = 288 + 150;
            int secondDip = 4 * 288 + 150;
            int afterADay = -1;
            int beforeSecond = -1;
            for (int n = 1; n <= 5 * 288; n++) {
                double x = n % 288 == 100 ? 60 : 45 + 1.5 * rnd.nextGaussian();
                if (n == firstDip) {
                    x = 30;
                } else if (n == secondDip) {
                    x = 28;
                }
                if (n == firstDip) {
                    afterADay = firing(h).size();
                }
                if (n == secondDip) {
                    beforeSecond = firing(h).size();
                }
                h.processElement(window5("checkout_value", n, x));
            }
            List<AlertCandidate> fired = firing(h);
            assertEquals(afterADay + 1, beforeSecond, "reached " + reached + ": the first dip fires, the daily bursts do not: " + fired);
            assertEquals(30.0, fired.get(afterADay).value, fired.toString());
            if (reached == 2) {
                assertEquals(beforeSecond + 1, fired.size(), "the second dip is news: " + fired);
                AlertCandidate last = fired.get(fired.size() - 1);
                assertEquals(28.0, last.value);
                assertTrue(last.evidence.text("why").contains("below the lowest value reached on 2 of the last 4 days ("), last.evidence.text("why"));
            } else {
                assertEquals(beforeSecond, fired.size(), "with one day's extremes the first dip hides the second: " + fired);
            }
            h.close();
        }
    }

    @Test
    void theReturnLevelIsTheGumbelQuantileOfTheDaysExtremes() {
        // jobs/src/test/resources/stats/gumbel_return_level.py (scipy's gumbel_r, fitted by its moments).
        double[] highs = {300, 250, 450, 380, 520};
        assertEquals(619.2568132097555, AnomalyScores.HourlyRange.gumbelReturnLevel(highs, 30), 1e-9);
        // Six days of hourly values at 100, each with one hour at its high; the highest day (600) is left out of the fit
        // as it is out of the range's end (reached on two days: 520), the other five are the fixture's.
        long hour = 3_600_000L;
        double[] dayHigh = {600, 300, 250, 450, 380, 520};
        AnomalyScores.HourlyRange r = daysWithOneHigh(dayHigh, 6);
        AnomalyScores.Range range = r.of(144 * hour, 7, 0.1, false, 2, 30);
        assertEquals(520.0, range.high());
        assertEquals(619.2568132097555, range.above(), 1e-9, "the return level, beyond the range's margin (562)");
        assertTrue(range.boundIsReturnLevel(1) && !range.boundIsReturnLevel(-1), range.toString());
        assertEquals(100 - 0.1 * 420, range.below(), 1e-9, "every day's low is 100: no spread, the margin decides");
        AnomalyScores.Range onLogs = r.of(144 * hour, 7, 0.1, true, 2, 30);
        assertEquals(702.8680930210178, onLogs.above(), 1e-6, "on the log scale, fitted to the logarithms");
        AnomalyScores.Range off = r.of(144 * hour, 7, 0.1, false, 2, 0);
        assertEquals(562.0, off.above(), 1e-9, "0: no return level");
        AnomalyScores.Range young = daysWithOneHigh(dayHigh, 3).of(72 * hour, 7, 0.1, false, 2, 30);
        assertTrue(Double.isNaN(young.returnHigh()), "two ordinary days are too few to fit: " + young);
        assertEquals(600.0, young.high(), "and no day is left out of the range's end: of three days, the second highest is their median");
        assertEquals(1, young.reachedDays());
        assertEquals(300.0, daysWithOneHigh(dayHigh, 3).of(72 * hour, 7, 0.1, false, 2, 0).high(), 0.0,
                "without a return level, the range's end is the second highest of three days, as before");
    }

    @Test
    void twoBurstsHalfADayApartAreTwoDaysWhereverMidnightFalls() {
        // Six days at 100 an hour, with bursts to 900 at the hours given (hours from the start); the newest hour is 143.
        // 122 and 141 are 19 hours apart but inside one 24-hour group back from the newest (120-143): the range's high
        // is 900 all the same, as it would be on a calendar whose midnight fell between them. 135 and 141, six hours
        // apart, are one occasion: the high stays 100. The days' groups still feed the return level's fit.
        long hour = 3_600_000L;
        for (int[] bursts : new int[][] {{122, 141}, {135, 141}}) {
            AnomalyScores.HourlyRange r = new AnomalyScores.HourlyRange();
            for (int h = 0; h < 144; h++) {
                boolean burst = h == bursts[0] || h == bursts[1];
                r.record(h * hour, burst ? 900 : 100, 7 * 24);
            }
            AnomalyScores.Range range = r.of(144 * hour, 7, 0.1, false, 2, 30);
            assertEquals(bursts[1] - bursts[0] >= 12 ? 900.0 : 100.0, range.high(), 0.0, java.util.Arrays.toString(bursts) + ": " + range);
            assertEquals(2, range.reachedDays());
        }
    }

    /** A week's hourly range holding the first {@code days} days: every hour at 100 but 10:00, at that day's high. */
    private static AnomalyScores.HourlyRange daysWithOneHigh(double[] dayHigh, int days) {
        AnomalyScores.HourlyRange r = new AnomalyScores.HourlyRange();
        for (int h = 0; h < days * 24; h++) {
            r.record(h * 3_600_000L, h % 24 == 10 ? dayHigh[h / 24] : 100, 7 * 24);
        }
        return r;
    }

    @Test
    void aBurstWithinWhatTheDaysHighsReachOnceInAMonthStaysQuietAFailureBeyondFires() throws Exception {
        // A queue at 100 +- 5 in 5-minute windows with one burst a day whose height varies widely (300, 600, 250, 450,
        // 380, 520): on day 7 a burst to 590 lies past the second highest day's (520) by more than a tenth of the range,
        // news for the range alone (range-return-days 0), but within the level such days' highs pass once in 30 days
        // (about 650): quiet by default. On day 8 a burst to 2000 fires either way, the return level named in its evidence.
        double[] bursts = {300, 600, 250, 450, 380, 520};
        for (int returnDays : new int[] {30, 0}) {
            var h = harness("alerts.anomaly.range-return-days=" + returnDays);
            SplittableRandom rnd = new SplittableRandom(5);
            int n = 1;
            for (; n <= 8 * 288; n++) {
                int day = (n - 100) / 288;
                double x = 100 + 5 * rnd.nextGaussian();
                if ((n - 100) % 288 == 0) {
                    x = day < bursts.length ? bursts[day] : day == 6 ? 590 : 2000;
                }
                h.processElement(window5("queue_depth", n, x));
            }
            List<Double> fired = firing(h).stream().map(a -> a.value).toList();
            assertEquals(returnDays == 0, fired.contains(590.0), "range-return-days " + returnDays + ": " + fired);
            assertTrue(fired.contains(2000.0), "range-return-days " + returnDays + ": " + fired);
            AlertCandidate failure = firing(h).get(firing(h).size() - 1);
            assertEquals(2000.0, failure.value);
            assertEquals(returnDays > 0, failure.evidence.text("why").contains("where the days' highest values reach "),
                    failure.evidence.text("why"));
            h.close();
        }
    }

    private static List<AlertCandidate> firing(KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, AlertCandidate> h) {
        return h.extractOutputValues().stream().filter(a -> a.status.code().equals("firing")).toList();
    }

    /** A smooth lower-is-worse series over two days: a fall past its lowest value of the days by a tenth of their range fires. */
    @Test
    void aFallPastTheLowestValueOfTheDaysIsNewsOnALowerIsWorseMetric() throws Exception {
        var h = harness();
        SplittableRandom rnd = new SplittableRandom(9);
        int n = 1;
        for (; n <= 2 * 288; n++) {
            h.processElement(window5("cache_hit_rate", n, 0.9 + 0.005 * rnd.nextGaussian()));
        }
        assertTrue(firing(h).isEmpty(), firing(h).toString());
        h.processElement(window5("cache_hit_rate", n++, 0.95)); // beyond the highest: good news for a hit rate
        h.processElement(window5("cache_hit_rate", n, 0.7));
        List<AlertCandidate> fired = firing(h);
        assertEquals(1, fired.size(), fired.toString());
        String why = fired.get(0).evidence.text("why");
        assertTrue(why.contains("below the lowest value of the last day ("), why);
        String evidence = dev.perfwatch.model.OutputJson.toJson(fired.get(0).evidence);
        assertTrue(evidence.contains("\"range_hours\":46") && evidence.contains("\"range_low\":0.88"), evidence);
        h.close();
    }

    @Test
    void theHourlyRangeKeepsTheLastDaysAndStartsAgainAfterALongerSilence() {
        AnomalyScores.HourlyRange r = new AnomalyScores.HourlyRange();
        long hour = 3_600_000L;
        int slots = 2 * 24;
        for (int i = 0; i < 30; i++) {
            r.record(i * hour + 60_000, 10 + i, slots); // 10 .. 39
        }
        assertTrue(!r.coversADay(24 * hour - 1), "the first hour is 24 hours before t only from hour 24 on");
        assertTrue(r.coversADay(24 * hour));
        AnomalyScores.Range range = r.of(30 * hour, 7, 0.1, false);
        assertEquals(10.0, range.low());
        assertEquals(39.0, range.high());
        assertEquals(2.9, range.margin(1), 1e-6);
        assertEquals(2.9, range.margin(-1), 1e-6);
        assertEquals(30, range.hours());
        assertEquals("the last day", range.span());
        assertTrue(range.beyond(42, 1) && !range.beyond(41.8, 1) && range.beyond(7, -1) && !range.beyond(7.2, -1));
        // 60 hours on, the first 12 hours (values 10 .. 21) have left the 48-hour ring.
        for (int i = 30; i < 60; i++) {
            r.record(i * hour, 100, slots);
        }
        range = r.of(60 * hour, 7, 0.1, false);
        assertEquals(22.0, range.low());
        assertEquals(100.0, range.high());
        assertEquals(48, range.hours(), "no more than the ring holds");
        assertEquals("the last 2 days", range.span());
        // Silent for longer than the ring: what it held is gone, and a day of history is needed again.
        r.record(200 * hour, 5, slots);
        assertTrue(!r.coversADay(201 * hour));
        assertEquals(5.0, r.of(201 * hour, 7, 0.1, false).high());
        assertEquals("the last 2 hours", r.of(201 * hour, 7, 0.1, false).span());
        // A flat series (0.1, not a float): its own value is not beyond its range either way, the range reads
        // as the decimals it was given.
        AnomalyScores.HourlyRange flat = new AnomalyScores.HourlyRange();
        for (int i = 0; i < 30; i++) {
            flat.record(i * hour, 0.1, slots);
        }
        AnomalyScores.Range f = flat.of(30 * hour, 7, 0.1, false);
        assertEquals(0.1, AnomalyScores.Range.decimal(f.low()));
        assertEquals(0.1, AnomalyScores.Range.decimal(f.high()));
        assertTrue(!f.beyond(0.1, 1) && !f.beyond(0.1, -1) && f.beyond(0.1000001, 1) && f.beyond(0.0999999, -1));
    }

    /** A window of one sample (a series sampled once a window). */
    private static StreamRecord<WindowSummary> sample(String metric, int minute, double value) {
        StreamRecord<WindowSummary> r = window(metric, minute, value);
        WindowSummary w = r.getValue();
        w.count = 1;
        w.p95 = w.p99 = w.max = w.min = value;
        w.stddev = 0;
        return r;
    }

    /** The firing alerts of three days of a log-normal latency sampled once a minute (sigma 0.3, a 10% daily cycle, 0.5% of samples 3x to 8x). */
    private static List<AlertCandidate> threeDaysOfLogNormalLatency(long seed, String... overrides) throws Exception {
        var h = harness(overrides);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int minute = 1; minute <= 3 * 1440; minute++) {
            double level = 150 * (1 + 0.1 * Math.sin(2 * Math.PI * minute / 1440.0));
            double v = level * Math.exp(0.3 * rnd.nextGaussian());
            if (rnd.nextDouble() < 0.005) {
                v *= 3 + 5 * rnd.nextDouble();
            }
            h.processElement(sample("response_time", minute, v));
        }
        List<AlertCandidate> fired = h.extractOutputValues().stream().filter(a -> a.status.code().equals("firing")).toList();
        h.close();
        return fired;
    }

    @Test
    void aLogNormalLatencySampledOnceAMinuteIsScoredOnItsLogarithms() throws Exception {
        // Unchanged series: on a linear scale their skew alone makes alerts (most on the first day, on its largest
        // values so far); on the log scale (the default for durations) and with two samples asked of a young
        // series' excursions, next to none.
        int logScale = 0;
        int linear = 0;
        for (long seed = 1; seed <= 6; seed++) {
            List<AlertCandidate> onLogs = threeDaysOfLogNormalLatency(seed);
            onLogs.forEach(a -> assertTrue(dev.perfwatch.model.OutputJson.toJson(a.evidence).contains("\"scale\":\"log\""), a.toString()));
            logScale += onLogs.size();
            linear += threeDaysOfLogNormalLatency(seed, "metrics.response_time.scale=linear", "alerts.anomaly.first-day-samples=1").size();
        }
        assertTrue(logScale <= 3, "on the log scale: " + logScale + " alerts in 18 series-days");
        assertTrue(linear >= 10, "on a linear scale: " + linear + " alerts in 18 series-days (log: " + logScale + ")");
    }

    /**
     * GC pauses summed per minute: 0 in 70% of the minutes, else log-normal around 20 ms. Over half the baseline is
     * 0, so its MAD is 0; with the resolution (0.1 ms) as the scale every pause had a robust z of hundreds, the
     * first-hour alert never settled (it stayed firing for days on a healthy series). With the mean absolute
     * deviation as the scale, routine pauses are routine; a run of pauses 20 times longer is an excursion.
     */
    @Test
    void aSeriesAtZeroMostMinutesIsScoredByTheSpreadOfAllItsValues() throws Exception {
        double[] sorted = {0, 0, 0, 0, 0, 0, 0, 12.5, 20, 31};
        assertEquals(Math.sqrt(Math.PI / 2) * 63.5 / 10, AnomalyScores.robustScaleOfSorted(sorted, 0), 1e-12);
        assertEquals(0.5, AnomalyScores.robustScaleOfSorted(new double[] {3, 3, 3, 3, 3, 3.5}, 3), 1e-12,
                "a quantized series: its resolution, which is more than the mean absolute deviation");
        for (long seed = 1; seed <= 4; seed++) {
            var h = harness();
            SplittableRandom rnd = new SplittableRandom(seed);
            int minute = 1;
            for (; minute <= 2 * 1440; minute++) {
                double pause = rnd.nextDouble() < 0.7 ? 0 : Math.round(10 * 20 * Math.exp(0.5 * rnd.nextGaussian())) / 10.0;
                h.processElement(sample("gc_time", minute, pause));
            }
            long firedAt = -1;
            for (AlertCandidate a : h.extractOutputValues()) {
                if (a.status.code().equals("firing")) {
                    firedAt = a.startedAt;
                } else {
                    assertTrue(a.eventTime - firedAt <= 60 * MIN, "seed " + seed + ": an excursion of routine pauses settles within an hour: " + a);
                    firedAt = -1;
                }
            }
            assertEquals(-1, firedAt, "seed " + seed + ": nothing left firing on a healthy series: " + h.extractOutputValues());
            assertTrue(firing(h).size() <= 2, "seed " + seed + ": " + firing(h));
            int before = firing(h).size();
            for (int i = 0; i < 15; i++) {
                h.processElement(sample("gc_time", minute++, 400 + 10 * i));
            }
            assertEquals(before + 1, firing(h).size(), "seed " + seed + ": pauses of 400 ms for 15 minutes fire: " + h.extractOutputValues());
            h.close();
        }
    }

    @Test
    void aYoungSeriesSampledOnceAWindowNeedsTwoSamplesOfAnExcursion() throws Exception {
        var h = harness();
        SplittableRandom rnd = new SplittableRandom(5);
        int minute = 1;
        for (; minute <= 120; minute++) {
            h.processElement(sample("response_time", minute, 100 * Math.exp(0.2 * rnd.nextGaussian())));
        }
        h.processElement(sample("response_time", minute++, 900)); // one value 9x: for all it knows, routine for this series
        for (int i = 0; i < 30; i++) {
            h.processElement(sample("response_time", minute++, 100 * Math.exp(0.2 * rnd.nextGaussian())));
        }
        assertTrue(h.extractOutputValues().isEmpty(), h.extractOutputValues().toString());
        int start = minute;
        h.processElement(sample("response_time", minute++, 1500));
        assertTrue(h.extractOutputValues().isEmpty(), "one sample: pending");
        h.processElement(sample("response_time", minute, 1400));
        List<AlertCandidate> out = h.extractOutputValues();
        assertEquals(1, out.size(), out.toString());
        assertEquals((start - 1) * MIN, out.get(0).startedAt, "dated from the excursion's first sample");
        h.close();
        // A window of 30 samples holds them at once; and with first-day-samples 1 the single value fires.
        var dense = harness();
        for (int m = 1; m <= 120; m++) {
            dense.processElement(window("response_time", m, 100 * Math.exp(0.05 * rnd.nextGaussian())));
        }
        dense.processElement(window("response_time", 121, 900));
        assertEquals(1, dense.extractOutputValues().size(), dense.extractOutputValues().toString());
        dense.close();
        var one = harness("alerts.anomaly.first-day-samples=1");
        for (int m = 1; m <= 120; m++) {
            one.processElement(sample("response_time", m, 100 * Math.exp(0.2 * rnd.nextGaussian())));
        }
        one.processElement(sample("response_time", 121, 900));
        assertEquals(1, one.extractOutputValues().size(), one.extractOutputValues().toString());
        one.close();
    }

    @Test
    void aDayOfHistoryIsADayOfTimeNotOfWindows() throws Exception {
        // One sample every 5 minutes in 1-minute windows, the range off (the likelihood decides at any age): after
        // 33 hours (400 windows, not 1,440) the series is no longer young, and one value is enough.
        var h = harness("alerts.anomaly.range-days=0");
        SplittableRandom rnd = new SplittableRandom(8);
        int n = 1;
        for (; n <= 400; n++) {
            h.processElement(sample("cpu_usage", 5 * n, 40 + 2 * rnd.nextGaussian()));
        }
        h.processElement(sample("cpu_usage", 5 * n, 90));
        assertEquals(1, h.extractOutputValues().size(), h.extractOutputValues().toString());
        h.close();
    }

    @Test
    void thePriorIsANormalSeriesAtOneWindowIn100000() {
        AnomalyScores.ScoreDistribution prior = AnomalyScores.ScoreDistribution.halfNormalPrior();
        // P(Z < 4.264891) = 1 - 1e-5 (scipy.stats.norm.isf(1e-5) = 4.264890793922825)
        assertEquals(0.99999, prior.halfNormal(4.264890793922825), 1e-12);
        assertEquals(0.5, prior.halfNormal(0), 1e-12);
    }

    private static StreamRecord<WindowSummary> window5(String metric, int n, double median) {
        StreamRecord<WindowSummary> r = window(metric, 1, median);
        r.getValue().windowStart = (n - 1) * 5 * MIN;
        r.getValue().windowEnd = n * 5 * MIN;
        r.setTimestamp(r.getValue().windowEnd - 1);
        return r;
    }

    /** One sample in a 5-minute window: day d (from 0), slot i of its 288. */
    private static StreamRecord<WindowSummary> oneSample5(String metric, int day, int slot, double value) {
        StreamRecord<WindowSummary> r = sample(metric, 1, value);
        WindowSummary w = r.getValue();
        w.windowStart = (day * 288L + slot) * 5 * MIN;
        w.windowEnd = w.windowStart + 5 * MIN;
        r.setTimestamp(w.windowEnd - 1);
        return r;
    }

    /**
     * Nine days of a disk-write series sampled every 5 minutes, writing at random sizes but for runs of zeros: 6 h on
     * day 1 and 10 h on day 5 (a weekend), each the longest yet but within the first week, and 15 h on day 8. The stuck
     * rule fires once, when day 8's run passes the 10 h one (its 121st zero: 121 x 5 minutes), and clears with the
     * first write; off, or on a series that never varied, it is silent.
     */
    @Test
    void aValueStuckForLongerThanTheSeriesEverWasFiresOnceAWeekIsSeenAndClearsWhenItMoves() throws Exception {
        int[] zerosFrom = new int[9];
        int[] zeros = {0, 72, 0, 0, 0, 120, 0, 0, 180};
        for (String enabled : new String[] {"true", "false"}) {
            var h = harness("alerts.anomaly.stuck.enabled=" + enabled);
            SplittableRandom rnd = new SplittableRandom(7);
            for (int d = 0; d < 9; d++) {
                for (int i = 0; i < 288; i++) {
                    boolean zero = i >= zerosFrom[d] && i < zerosFrom[d] + zeros[d];
                    h.processElement(oneSample5("disk_io", d, i, zero ? 0 : 1e6 * (1 + rnd.nextDouble())));
                }
            }
            List<AlertCandidate> stuck = h.extractOutputValues().stream().filter(a -> a.rule.equals(AnomalyScores.STUCK)).toList();
            if (enabled.equals("false")) {
                assertEquals(List.of(), stuck);
                h.close();
                continue;
            }
            assertEquals(2, stuck.size(), stuck.toString());
            AlertCandidate fired = stuck.get(0);
            assertEquals("firing", fired.status.code());
            assertEquals((8 * 288L + 121) * 5 * MIN, fired.eventTime);
            assertEquals(121 * 5 / 60.0, fired.evidence.number("run_hours"), 1e-9);
            assertEquals(10.0, fired.evidence.number("longest_earlier_run_hours"), 1e-9);
            assertEquals(0.0, fired.value);
            assertTrue(fired.evidence.text("why").contains("has not changed for 10.1 h (every sample since 1970-01-09T00:00:00Z), longer than"
                    + " any earlier run of one value in this series' 8.4 days of history (the longest: 10.0 h)"), fired.evidence.text("why"));
            AlertCandidate cleared = stuck.get(1);
            assertEquals("cleared", cleared.status.code());
            assertEquals((8 * 288L + 181) * 5 * MIN, cleared.eventTime);
            h.close();
        }
        // A series that has never varied is not stuck: it may be a constant (a configured limit, a flag).
        var h = harness();
        for (int d = 0; d < 9; d++) {
            for (int i = 0; i < 288; i++) {
                h.processElement(oneSample5("disk_io", d, i, 7.0));
            }
        }
        assertEquals(List.of(), h.extractOutputValues().stream().filter(a -> a.rule.equals(AnomalyScores.STUCK)).toList());
        h.close();
    }

    @Test
    void aSilenceIsNotAStuckValueTheSameValueAfterItStartsANewRun() throws Exception {
        // Nine days of a varying series with a run of zeros of 3 hours on day 2; on day 8 zeros from 08:20 for 100
        // minutes, then no sample for 20 hours (an agent down), then zeros again. Counted across the silence the run
        // would be a day long at once; it starts again after it, and fires once it is longer than 3 hours on its own.
        for (int after : new int[] {24, 48}) {
            var h = harness();
            SplittableRandom rnd = new SplittableRandom(11);
            int silenceFrom = 8 * 288 + 120;
            int silenceTo = silenceFrom + 240;
            for (int t = 0; t < 9 * 288 + 288; t++) {
                boolean zero = t >= 2 * 288 + 60 && t < 2 * 288 + 96 || t >= 8 * 288 + 100 && t < silenceTo + after;
                if (t >= silenceFrom && t < silenceTo) {
                    continue;
                }
                h.processElement(oneSample5("disk_io", t / 288, t % 288, zero ? 0 : 1e6 * (1 + rnd.nextDouble())));
            }
            List<AlertCandidate> stuck = h.extractOutputValues().stream().filter(a -> a.rule.equals(AnomalyScores.STUCK)).toList();
            if (after == 24) {
                assertEquals(List.of(), stuck, "two hours of zeros after the silence: shorter than the 3-hour run of day 2");
            } else {
                assertEquals(2, stuck.size(), stuck.toString());
                AlertCandidate fired = stuck.get(0);
                assertEquals((long) (silenceTo + 37) * 5 * MIN, fired.eventTime, "3 h 5 min of zeros after the silence");
                assertEquals(37 * 5 / 60.0, fired.evidence.number("run_hours"), 1e-9);
                assertEquals(3.0, fired.evidence.number("longest_earlier_run_hours"), 1e-9);
            }
            h.close();
        }
    }

    @Test
    void lowerIsWorseMetricsAlertOnDrops() throws Exception {
        var h = harness("alerts.anomaly.rcf.enabled=false");
        SplittableRandom rnd = new SplittableRandom(2);
        int minute = 1;
        for (; minute <= 35; minute++) {
            h.processElement(window("cache_hit_rate", minute, 0.9 + 0.005 * rnd.nextGaussian()));
        }
        h.processElement(window("cache_hit_rate", minute++, 0.99));
        assertTrue(h.extractOutputValues().isEmpty(), "a higher hit rate is good news");
        h.processElement(window("cache_hit_rate", minute, 0.5));
        assertEquals(1, h.extractOutputValues().size());
        h.close();
    }

    /**
     * A queue of whole messages, Poisson with mean 0.3 and a daily cycle (three minutes in four empty), over five days: a new high of one
     * more message than the range's end (4 where the days reached 3) comes every day or two by chance, and was news
     * (a tenth of a range of 3 is less than a message). The bound is now at least a step of the data's resolution
     * beyond the range; a backlog of 8 to 12 messages for ten minutes still fires.
     */
    @Test
    void aQueueOfWholeMessagesIsNotNewsOneMessageBeyondItsRange() throws Exception {
        int quiet = 0;
        for (long seed = 1; seed <= 8; seed++) {
            var h = harness();
            SplittableRandom rnd = new SplittableRandom(seed);
            int minute = 1;
            for (; minute <= 5 * 1440; minute++) {
                h.processElement(sample("queue_depth", minute, poisson(0.3 * (1 + 0.3 * Math.sin(2 * Math.PI * minute / 1440)), rnd)));
            }
            quiet += firing(h).size();
            int before = firing(h).size();
            for (int i = 0; i < 10; i++) {
                h.processElement(sample("queue_depth", minute++, 8 + (i % 5)));
            }
            assertEquals(before + 1, firing(h).size(), "seed " + seed + ": a backlog fires: " + h.extractOutputValues());
            h.close();
        }
        assertTrue(quiet <= 1, "alerts on 40 days of an unchanged queue: " + quiet);
    }

    private static double poisson(double mean, SplittableRandom rnd) {
        double limit = Math.exp(-mean);
        double p = rnd.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= rnd.nextDouble();
            k++;
        }
        return k;
    }

    /**
     * A hit rate of 0.97 falling to 0.90 is 7% of the hits, under the 10% that a move must make, and 3.3 times the
     * misses: for a ratio the practical change is read against the smaller of the median and its complement.
     */
    @Test
    void aHitRateWhoseMissesTripledIsNewsThoughItFellBy7Percent() throws Exception {
        var h = harness();
        SplittableRandom rnd = new SplittableRandom(2);
        int minute = 1;
        for (; minute <= 120; minute++) {
            h.processElement(window("cache_hit_rate", minute, 0.97 + 0.003 * rnd.nextGaussian()));
        }
        assertTrue(h.extractOutputValues().isEmpty(), h.extractOutputValues().toString());
        h.processElement(window("cache_hit_rate", minute, 0.90));
        assertEquals(1, firing(h).size(), h.extractOutputValues().toString());
        assertEquals(-0.072, firing(h).get(0).evidence.number("relative_change"), 0.01, "the hit rate's own change in the evidence");
        h.close();
    }

    /**
     * A custom metric with no direction configured: a fall is news as much as a rise (each once, one
     * excursion each); the same metric configured higher-is-worse alerts on the rise only.
     */
    @Test
    void aMetricOfUnknownDirectionAlertsBothWays() throws Exception {
        for (boolean configured : new boolean[] {false, true}) {
            var h = configured
                    ? harness("alerts.anomaly.rcf.enabled=false", "metrics.orders_per_minute.warning=1000000",
                            "metrics.orders_per_minute.critical=2000000", "metrics.orders_per_minute.direction=higher-is-worse")
                    : harness("alerts.anomaly.rcf.enabled=false");
            SplittableRandom rnd = new SplittableRandom(6);
            int minute = 1;
            for (; minute <= 40; minute++) {
                h.processElement(window("orders_per_minute", minute, 500 + 10 * rnd.nextGaussian()));
            }
            h.processElement(window("orders_per_minute", minute++, 150)); // orders fall off a cliff
            List<AlertCandidate> out = h.extractOutputValues();
            if (configured) {
                assertTrue(out.isEmpty(), "higher-is-worse: a fall is not an alert: " + out);
            } else {
                assertEquals(1, out.size(), out.toString());
                String why = out.get(0).evidence.text("why");
                assertTrue(why.contains("70% below the median"), why);
            }
            for (int i = 0; i < 21; i++) {
                h.processElement(window("orders_per_minute", minute++, 500 + 10 * rnd.nextGaussian()));
            }
            h.processElement(window("orders_per_minute", minute, 900)); // and, settled, a surge
            List<String> firing = h.extractOutputValues().stream().filter(a -> a.status.code().equals("firing"))
                    .map(a -> String.valueOf(a.value)).toList();
            assertEquals(configured ? List.of("900.0") : List.of("150.0", "900.0"), firing);
            h.close();
        }
    }

    /**
     * With the forest off (the default) a series keeps no forest features; a job restored with the forest
     * turned on starts its features from there and scores a spike once it has seen enough windows.
     */
    @Test
    void theForestOffKeepsNoFeaturesAndCanBeTurnedOnAtARestore() throws Exception {
        var off = harness("alerts.anomaly.robust-z=1000", "alerts.anomaly.rcf.enabled=false");
        SplittableRandom rnd = new SplittableRandom(3);
        int minute = 1;
        for (; minute <= 60; minute++) {
            off.processElement(window("response_time", minute, 100 * Math.exp(0.05 * rnd.nextGaussian())));
        }
        long offBytes = stateBytes(off.snapshot(1, minute * MIN));
        var snapshot = off.snapshot(2, minute * MIN);
        off.close();

        PerfwatchConfig c = ConfigLoader.load(null, List.of("alerts.anomaly.robust-z=1000", "alerts.anomaly.rcf.enabled=true"));
        var on = new KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, AlertCandidate>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new AnomalyScores(c.alerts.anomaly, c.levels(), c.alerts.retention)),
                WindowSummary::seriesId, Types.LONG);
        on.initializeState(snapshot);
        on.open();
        for (int i = 0; i < 60; i++, minute++) {
            on.processElement(window("response_time", minute, 100 * Math.exp(0.05 * rnd.nextGaussian())));
        }
        long onBytes = stateBytes(on.snapshot(3, minute * MIN));
        assertTrue(onBytes - offBytes >= 256 * 3 * 8, "the features ring (256 windows x 3) is kept only with the forest on: " + offBytes + " vs " + onBytes);
        assertTrue(on.extractOutputValues().isEmpty(), on.extractOutputValues().toString());
        on.processElement(window("response_time", minute, 800));
        assertEquals(List.of("anomaly:rcf"), on.extractOutputValues().stream().map(a -> a.rule).toList());
        on.close();
    }

    /** A series restored from state written with range-days 0 (its two-day profile kept) drops the profile and keeps its range. */
    @Test
    void stateFromBeforeTheRangeDropsItsDayProfile() throws Exception {
        // During the cold start, with the range on, neither a profile nor a range is kept (the ring of 60 values is).
        long[] coldStart = new long[2];
        for (int variant = 0; variant < 2; variant++) {
            var h = harness(variant == 0 ? "alerts.anomaly.range-days=7" : "alerts.anomaly.range-days=0");
            for (int i = 1; i <= 20; i++) {
                h.processElement(window5("orders_per_minute", i, 500 + i));
            }
            coldStart[variant] = stateBytes(h.snapshot(1, 21 * 5 * MIN));
            h.close();
        }
        assertTrue(coldStart[0] + 2 * 576 * 4 <= coldStart[1] + 64, "cold start: " + coldStart[0] + " with the range on, " + coldStart[1] + " off");

        PerfwatchConfig old = ConfigLoader.load(null, List.of("alerts.anomaly.range-days=0"));
        var before = new KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, AlertCandidate>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new AnomalyScores(old.alerts.anomaly, old.levels(), old.alerts.retention)),
                WindowSummary::seriesId, Types.LONG);
        before.open();
        SplittableRandom rnd = new SplittableRandom(12);
        int n = 1;
        for (; n <= 300; n++) {
            before.processElement(window5("orders_per_minute", n, 500 + 10 * rnd.nextGaussian())); // scored both ways: two profiles
        }
        long withProfiles = stateBytes(before.snapshot(1, n * 5 * MIN));
        var snapshot = before.snapshot(2, n * 5 * MIN);
        before.close();

        PerfwatchConfig now = ConfigLoader.load(null, List.of());
        var after = new KeyedOneInputStreamOperatorTestHarness<Long, WindowSummary, AlertCandidate>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new AnomalyScores(now.alerts.anomaly, now.levels(), now.alerts.retention)),
                WindowSummary::seriesId, Types.LONG);
        after.initializeState(snapshot);
        after.open();
        after.processElement(window5("orders_per_minute", n++, 500));
        long withRange = stateBytes(after.snapshot(3, n * 5 * MIN));
        assertTrue(withRange + 2 * 576 * 4 - 2 * 24 * 7 * 4 <= withProfiles + 64,
                "two profiles of 576 floats gone, a range of 2 x 168 floats kept: " + withProfiles + " -> " + withRange);
        after.close();
    }

    private static long stateBytes(org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot) {
        long bytes = 0;
        for (org.apache.flink.runtime.state.KeyedStateHandle h : snapshot.getManagedKeyedState()) {
            bytes += h.getStateSize();
        }
        return bytes;
    }

    @Test
    void randomCutForestScoresASpikeAndNamesTheDimension() throws Exception {
        var h = harness("alerts.anomaly.robust-z=1000", "alerts.anomaly.rcf.enabled=true");
        SplittableRandom rnd = new SplittableRandom(3);
        int minute = 1;
        for (; minute <= 60; minute++) {
            h.processElement(window("response_time", minute, 100 * Math.exp(0.05 * rnd.nextGaussian())));
        }
        assertTrue(h.extractOutputValues().isEmpty(), h.extractOutputValues().toString());
        h.processElement(window("response_time", minute, 800));
        List<AlertCandidate> out = h.extractOutputValues();
        assertEquals(1, out.size(), out.toString());
        assertEquals("anomaly:rcf", out.get(0).rule);
        assertTrue(out.get(0).value >= 3.0, out.get(0).toString());
        assertTrue(dev.perfwatch.model.OutputJson.toJson(out.get(0).evidence).contains("\"top_dimension\":"), out.get(0).evidence.toString());
        h.close();
    }

    @Test
    void aSilentSeriesAlertClearsAfterTheRetentionAndItsStateGoesAfterForgetAfter() throws Exception {
        var h = harness("alerts.anomaly.rcf.enabled=false", "alerts.retention=10m", "alerts.anomaly.forget-after=2h");
        for (int minute = 1; minute <= 31; minute++) {
            h.processElement(window("response_time", minute, 100));
        }
        h.processElement(window("response_time", 32, 300));
        assertEquals(1, h.extractOutputValues().size());
        assertEquals(1, h.numKeyedStateEntries());
        h.processWatermark(new Watermark(42 * MIN + 1));
        List<AlertCandidate> out = h.extractOutputValues();
        assertEquals(2, out.size());
        assertEquals("cleared", out.get(1).status.code());
        assertTrue(dev.perfwatch.model.OutputJson.toJson(out.get(1).evidence).contains("no data"), out.get(1).evidence.toString());
        assertEquals(1, h.numKeyedStateEntries(), "what the scores learned is kept");
        assertEquals(1, h.numEventTimeTimers(), "the forget timer");
        h.processWatermark(new Watermark(32 * MIN + 2 * 60 * MIN - 1));
        assertEquals(1, h.numKeyedStateEntries(), "not yet");
        h.processWatermark(new Watermark(32 * MIN + 2 * 60 * MIN));
        assertEquals(0, h.numKeyedStateEntries());
        assertEquals(0, h.numEventTimeTimers());
        assertEquals(2, h.extractOutputValues().size(), "forgetting says nothing");
        h.close();
    }

    /**
     * A series back after a silence longer than the retention and shorter than forget-after scores against what it
     * had learned (a spike fires at once); back after forget-after it has a cold start again (the same spike says
     * nothing). Streaming (timers fire in the gap) and BATCH-like input (no watermark until the end) agree.
     */
    @Test
    void aSeriesBackFromAShortSilenceKeepsItsBaselineFromALongOneStartsOver() throws Exception {
        for (int gapMinutes : new int[] {120, 25 * 60, 8 * 24 * 60}) {
            List<String> byMode = new ArrayList<>();
            for (boolean watermarks : new boolean[] {true, false}) {
                var h = harness("alerts.anomaly.rcf.enabled=false", "alerts.retention=1h");
                SplittableRandom rnd = new SplittableRandom(7);
                int minute = 1;
                for (; minute <= 120; minute++) {
                    h.processElement(window("response_time", minute, 100 + 3 * rnd.nextGaussian()));
                    if (watermarks) {
                        h.processWatermark(new Watermark(minute * MIN - 1));
                    }
                }
                minute += gapMinutes;
                if (watermarks) {
                    h.processWatermark(new Watermark((minute - 1) * MIN - 1));
                }
                h.processElement(window("response_time", minute++, 100));
                h.processElement(window("response_time", minute++, 300));
                h.processElement(window("response_time", minute++, 310));
                h.processWatermark(new Watermark(Long.MAX_VALUE));
                List<AlertCandidate> out = h.extractOutputValues();
                long firing = out.stream().filter(a -> a.status.code().equals("firing")).count();
                assertEquals(gapMinutes < 7 * 24 * 60 ? 1 : 0, firing, "gap " + gapMinutes + " min (forget-after 7 days), watermarks "
                        + watermarks + ": " + out);
                byMode.add(out.toString());
                assertEquals(0, h.numKeyedStateEntries());
                h.close();
            }
            assertEquals(byMode.get(0), byMode.get(1), "streaming and BATCH-like input, gap " + gapMinutes + " min");
        }
    }

    @Test
    void forgetAfterShorterThanTheRetentionIsRefusedWithBothValues() {
        var e = assertThrows(dev.perfwatch.config.ConfigException.class,
                () -> ConfigLoader.load(null, List.of("alerts.retention=2h", "alerts.anomaly.forget-after=30m")));
        assertTrue(e.getMessage().contains("alerts.anomaly.forget-after") && e.getMessage().contains("2 h")
                && e.getMessage().contains("30 min"), e.getMessage());
    }
}
