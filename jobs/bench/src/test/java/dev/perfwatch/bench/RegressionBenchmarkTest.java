package dev.perfwatch.bench;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The regression benchmark, small: the job's own detector operator on labelled series, against the targets. */
class RegressionBenchmarkTest {

    @Test
    void benchmarkSmallVersion() {
        // 400 labelled series of a seed the defaults were not tuned on (jobs/REGRESSION.md tunes on 1 to
        // 5), through the detector operator the job runs, against the targets of jobs/REGRESSION.md.
        PerfwatchConfig c = ConfigLoader.defaults();
        List<RegressionBenchmark.Outcome> outcomes = RegressionBenchmark.run(LabelledSeries.generate(400, 11), c.regression, c.levels());
        RegressionBenchmark.Summary s = RegressionBenchmark.summarize(outcomes, c.regression);
        assertTrue(s.targetTotal >= 100, "enough sustained shifts in the sample: " + s.targetTotal);
        assertTrue(s.nullSeries >= 100, "enough null series in the sample: " + s.nullSeries);
        assertTrue(s.targetRecall() >= 0.99, "recall of shifts >= 10% with |d| >= 0.5: " + s.targetRecall());
        assertTrue(s.nullRate() <= 0.01, "null series with a finding: " + s.nullRate());
        assertTrue(s.classificationAccuracy() >= 0.90, "classification: " + s.classificationAccuracy());
        assertTrue(s.sustainedFindings <= 1.2 * s.sustainedFound, "about one finding per sustained change: " + s.sustainedFindings + " / " + s.sustainedFound);
        assertTrue(s.medianDelayMinutes <= 60, "median delay: " + s.medianDelayMinutes);
    }

    @Test
    void benchmarkSmallVersionAtOneMinute() {
        // The same at 1-minute sampling, three days a series (two full daily cycles before the change day),
        // against issue 13's 1-minute targets that are met (jobs/REGRESSION.md): recall, null series, spikes,
        // one finding per change. Not met, so not asserted: classification of the target shifts (84% to 89%
        // at 1 minute; it is asserted at 10 s above) and the median delay of 20% steps on this seed (48
        // minutes against 45: half its 20% steps are response times, whose limit at this false-alarm rate is
        // 59 minutes; 32 over seeds 1 to 5 together, jobs/REGRESSION.md).
        PerfwatchConfig c = ConfigLoader.defaults();
        List<RegressionBenchmark.Outcome> outcomes = RegressionBenchmark.run(LabelledSeries.generate(400, 11, 60_000, 3), c.regression, c.levels());
        RegressionBenchmark.Summary s = RegressionBenchmark.summarize(outcomes, c.regression);
        assertTrue(s.targetTotal >= 100, "enough sustained shifts in the sample: " + s.targetTotal);
        assertTrue(s.spikes >= 40, "enough spikes in the sample: " + s.spikes);
        assertTrue(s.nullSeries >= 100, "enough null series in the sample: " + s.nullSeries);
        assertTrue(s.targetRecall() >= 0.99, "recall of shifts >= 10% with |d| >= 0.5: " + s.targetRecall());
        assertTrue(s.nullRate() <= 0.01, "null series with a finding: " + s.nullRate());
        assertTrue(s.spikesFound >= 0.9 * s.spikes, "spikes found: " + s.spikesFound + " / " + s.spikes);
        assertTrue(s.sustainedFindings <= 1.2 * s.sustainedFound, "about one finding per sustained change: " + s.sustainedFindings + " / " + s.sustainedFound);
    }

    @Test
    void anOutageOfThreeHoursCostsNeitherRecallNorFalseFindings() {
        // The 1-minute series of a seed with an outage of three hours each (--outage 3h): a changed series' ends as its
        // change begins, an unchanged series' a day before its last day. Before the outage was told from the sampling
        // (seeds 1-5, jobs/REGRESSION.md "Outages"): recall 31%, null series with a finding 43%.
        PerfwatchConfig c = ConfigLoader.defaults();
        List<LabelledSeries> series = LabelledSeries.generate(200, 11, 60_000, 3, 3 * LabelledSeries.HOUR);
        assertTrue(series.stream().anyMatch(ls -> !ls.missing(0) && ls.missing((int) ((ls.outageEnd - 1) / 60_000))), "the outage is applied");
        RegressionBenchmark.Summary s = RegressionBenchmark.summarize(RegressionBenchmark.run(series, c.regression, c.levels()), c.regression);
        assertTrue(s.targetTotal >= 50 && s.nullSeries >= 50, "enough shifts and null series: " + s.targetTotal + ", " + s.nullSeries);
        assertTrue(s.targetRecall() >= 0.99, "recall of shifts >= 10% with |d| >= 0.5: " + s.targetRecall());
        assertTrue(s.nullRate() <= 0.01, "null series with a finding: " + s.nullRate());
    }

    @Test
    void targetShiftsWithTimeEnoughAreThoseWhoseTimeLeftIsTwiceTheirLimit() {
        // Nothing found (no findings): the count of target shifts with more time after them (from a step, or
        // a ramp's middle) than twice Lorden's limit, computed here from the series' own figures.
        List<LabelledSeries> series = LabelledSeries.generate(400, 5, 300_000, 3);
        List<RegressionBenchmark.Outcome> outcomes = series.stream().map(ls -> new RegressionBenchmark.Outcome(ls, List.of())).toList();
        int expected = 0;
        int targets = 0;
        for (LabelledSeries ls : series) {
            if ((ls.change == LabelledSeries.Change.STEP || ls.change == LabelledSeries.Change.RAMP) && ls.relativeSize() >= 0.1 && ls.trueEffect >= 0.5) {
                targets++;
                long at = ls.change == LabelledSeries.Change.STEP ? ls.start : (ls.start + ls.end) / 2;
                double limitSamples = Math.log(2 / 0.01 * 288) / (ls.trueEffect * ls.trueEffect / 2);
                if ((ls.durationMillis - at) / 300_000.0 >= 2 * limitSamples) {
                    expected++;
                }
            }
        }
        RegressionBenchmark.Summary s = RegressionBenchmark.summarize(outcomes, 0, 0.01);
        assertTrue(expected > 0 && expected < targets, "some target shifts have time enough, some do not: " + expected + " of " + targets);
        assertEquals(expected, s.targetWithTime);
        assertEquals(0, s.targetWithTimeFound);
    }
}
