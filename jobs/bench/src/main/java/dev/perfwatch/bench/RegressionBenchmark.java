package dev.perfwatch.bench;

import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.RegressionConfig;
import dev.perfwatch.detect.BucketPartial;
import dev.perfwatch.detect.RegressionDetector;
import dev.perfwatch.pipeline.PartialAggregates;
import dev.perfwatch.model.ChangeDirection;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.RegressionFinding;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the job's own regression detector operator ({@link RegressionDetector}, through Flink's keyed
 * operator test harness: its keyed state, event-time timers and watermarks) over labelled synthetic
 * series, and measures recall by change size and type, false findings on null series, detection
 * delay and classification accuracy.
 */
public final class RegressionBenchmark {

    private static final dev.perfwatch.suggest.SuggestionCatalogue CATALOGUE = dev.perfwatch.suggest.SuggestionCatalogue.bundled();

    private RegressionBenchmark() {}

    /** The outcome for one series. */
    public record Outcome(LabelledSeries series, List<RegressionFinding> findings) {
        /** The first regression finding detected at or after the change started, or null. */
        RegressionFinding hit() {
            for (RegressionFinding f : findings) {
                if (f.direction == ChangeDirection.REGRESSION && f.detectedAt >= series.start) {
                    return f;
                }
            }
            return null;
        }

        long falseFindings() {
            return findings.stream().filter(f -> f.detectedAt < series.start).count();
        }
    }

    /** Each series on its own (in parallel over the machine's cores); outcomes in the series' order. */
    public static List<Outcome> run(List<LabelledSeries> series, RegressionConfig cfg, MetricLevels levels) {
        return series.parallelStream().map(s -> new Outcome(s, detect(s, cfg, levels))).toList();
    }

    /**
     * The findings for one series, the last version of each (updates replace earlier versions). The
     * watermark follows the samples (one behind each), so the detector evaluates as it would live.
     */
    static List<RegressionFinding> detect(LabelledSeries s, RegressionConfig cfg, MetricLevels levels) {
        String component = "series-" + s.index;
        KeySelector<BucketPartial, Long> key = p -> p.seriesId;
        try (KeyedOneInputStreamOperatorTestHarness<Long, BucketPartial, RegressionFinding> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new RegressionDetector(cfg, levels, CATALOGUE)),
                        key, Types.LONG)) {
            harness.open();
            // As in the job: samples folded into interval parts where they are read, the parts to the
            // detector, the watermark to the parts first. (The bound only completes parts ahead of the
            // watermark; here the watermark follows every sample.)
            long interval = cfg.evaluationInterval.toMillis();
            PartialAggregates parts = PartialAggregates.intervals(cfg, 0,
                    p -> harness.processElement(new StreamRecord<>(p, p.bucket.start + interval - 1)));
            long watermark = Long.MIN_VALUE;
            for (int i = 0; i < s.samples(); i++) {
                if (s.missing(i)) {
                    continue;
                }
                long t = s.time(i);
                if (t - 1 > watermark) {
                    watermark = t - 1;
                    parts.advance(watermark);
                    harness.processWatermark(new Watermark(watermark));
                }
                parts.add(new MetricSample(t, s.metric, component, s.value(i)));
            }
            parts.advance(Long.MAX_VALUE);
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            Map<String, RegressionFinding> findings = new LinkedHashMap<>();
            for (RegressionFinding f : harness.extractOutputValues()) {
                findings.put(f.findingId, f);
            }
            List<RegressionFinding> list = new ArrayList<>(findings.values());
            list.sort((a, b) -> Long.compare(a.detectedAt, b.detectedAt));
            return list;
        } catch (Exception e) {
            throw new IllegalStateException("series " + s.index + ": " + e.getMessage(), e);
        }
    }

    /** One line per series: what was injected and what was found. */
    public static String details(List<Outcome> outcomes) {
        StringBuilder b = new StringBuilder();
        for (Outcome o : outcomes) {
            LabelledSeries s = o.series;
            RegressionFinding hit = o.hit();
            b.append(String.format("%4d %-15s %-6s size %4.2f d %5.2f start %6.1fh | ", s.index, s.metric, s.change, s.relativeSize(),
                    s.trueEffect, s.start == Long.MAX_VALUE ? -1.0 : s.start / 3.6e6));
            b.append(hit == null ? "not found" : String.format("found %6.1fh %s (change point %6.1fh)", hit.detectedAt / 3.6e6, hit.type.code(),
                    hit.changePointAt / 3.6e6));
            b.append(String.format(" | %d false", o.falseFindings()));
            for (RegressionFinding f : o.findings) {
                if (f.detectedAt >= s.start && f != hit) {
                    b.append(String.format(" [then %.1fh %s %s rel %.3f d %.2f]", f.detectedAt / 3.6e6, f.direction.code(), f.type.code(), f.relativeChange, f.cohensD));
                }
            }
            for (RegressionFinding f : o.findings) {
                if (f.detectedAt < s.start) {
                    b.append(String.format(" [%.1fh %s %s rel %.3f d %.2f]", f.detectedAt / 3.6e6, f.direction.code(), f.type.code(), f.relativeChange, f.cohensD));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The report as markdown tables. */
    public static String report(List<Outcome> outcomes, RegressionConfig cfg) {
        StringBuilder md = new StringBuilder();
        double[] bins = {0.0, 0.1, 0.2, 0.5, 1.0, Double.POSITIVE_INFINITY};
        String[] names = {"under 10%", "10% to 19%", "20% to 49%", "50% to 99%", "100%"};
        md.append("### Recall by change size and type (sustained changes; size = relative change of the level)\n\n");
        md.append("| size | step: found / total | ramp: found / total | of those with true \\|d\\| >= 0.5: found / total |\n|---|---:|---:|---:|\n");
        for (int b = 0; b < names.length; b++) {
            int[] step = count(outcomes, LabelledSeries.Change.STEP, bins[b], bins[b + 1], false);
            int[] ramp = count(outcomes, LabelledSeries.Change.RAMP, bins[b], bins[b + 1], false);
            int[] strong = add(count(outcomes, LabelledSeries.Change.STEP, bins[b], bins[b + 1], true),
                    count(outcomes, LabelledSeries.Change.RAMP, bins[b], bins[b + 1], true));
            md.append(String.format("| %s | %d / %d | %d / %d | %d / %d |%n", names[b], step[0], step[1], ramp[0], ramp[1], strong[0], strong[1]));
        }
        md.append("\n### Delay of steps against the limit (minutes after the step; found ones only)\n\n");
        md.append("The limit: the least delay any test with the same false-alarm rate (alpha per series-day) can have for\n"
                + "that step's effect per sample, log(run length) / (d^2 / 2) samples (Lorden's bound, reached by a CUSUM tuned to d).\n\n");
        md.append("| step size | found / total | median delay | p90 delay | median limit |\n|---|---:|---:|---:|---:|\n");
        double[] stepSizes = {0.05, 0.1, 0.2, 0.5, 1.0};
        for (double size : stepSizes) {
            List<Double> delays = new ArrayList<>();
            List<Double> limits = new ArrayList<>();
            int total = 0;
            for (Outcome o : outcomes) {
                if (o.series.change == LabelledSeries.Change.STEP && Math.abs(o.series.relativeSize() - size) < 1e-9) {
                    total++;
                    limits.add(limitMinutes(o.series, cfg.alpha));
                    RegressionFinding hit = o.hit();
                    if (hit != null) {
                        delays.add((hit.detectedAt - o.series.start) / 60_000.0);
                    }
                }
            }
            Collections.sort(delays);
            md.append(String.format("| %.0f%% | %d / %d | %.0f | %.0f | %.0f |%n", 100 * size, delays.size(), total, median(delays),
                    delays.isEmpty() ? Double.NaN : delays.get((int) Math.ceil(0.9 * delays.size()) - 1), median(limits)));
        }
        Summary s = summarize(outcomes, cfg);
        md.append("\n### Summary\n\n| measure | value |\n|---|---:|\n");
        md.append(String.format("| recall, sustained shifts >= 10%% with true \\|d\\| >= 0.5 | %d / %d = %.1f%% |%n", s.targetFound, s.targetTotal, s.targetRecall() * 100));
        md.append(String.format("| of those, with more time after them than the limit against a day-ago reference (twice Lorden's: the residual's variance doubles) | %d / %d = %.1f%% |%n",
                s.targetWithTimeFound, s.targetWithTime, 100.0 * s.targetWithTimeFound / Math.max(1, s.targetWithTime)));
        md.append(String.format("| spikes found | %d / %d |%n", s.spikesFound, s.spikes));
        md.append(String.format("| null series with any finding | %d / %d = %.2f%% |%n", s.nullWithFinding, s.nullSeries, s.nullRate() * 100));
        md.append(String.format("| false findings per evaluated series-day (all series, before any change) | %.4f |%n", s.falsePerSeriesDay));
        md.append(String.format("| median / p90 detection delay, every change found (minutes after the change started) | %.0f / %.0f |%n", s.medianDelayMinutes, s.p90DelayMinutes));
        md.append(String.format("| median delay of the %d steps of 20%% (missed: infinite) / the CUSUM limit for them | %.0f / %.0f |%n", s.steps20,
                s.steps20MedianDelayMinutes, s.steps20MedianLimitMinutes));
        md.append(String.format("| regression findings per sustained change found (one episode each: 1.00) | %d / %d = %.2f |%n",
                s.sustainedFindings, s.sustainedFound, s.sustainedFindings / (double) Math.max(1, s.sustainedFound)));
        md.append(String.format("| classification right (sudden / gradual / anomaly), every change found | %d / %d = %.1f%% |%n", s.classifiedRight, s.classified, s.classificationAccuracy() * 100));
        md.append(String.format("| of those: sustained shifts >= 10%% with true \\|d\\| >= 0.5 | %d / %d = %.1f%% |%n", s.classifiedTargetRight, s.classifiedTarget,
                100.0 * s.classifiedTargetRight / Math.max(1, s.classifiedTarget)));
        md.append(String.format("| of those: spikes | %d / %d = %.1f%% |%n", s.classifiedSpikesRight, s.classifiedSpikes,
                100.0 * s.classifiedSpikesRight / Math.max(1, s.classifiedSpikes)));
        md.append(String.format("| of those: weaker changes (under 10%% or true \\|d\\| under 0.5) | %d / %d = %.1f%% |%n",
                s.classifiedRight - s.classifiedTargetRight - s.classifiedSpikesRight, s.classified - s.classifiedTarget - s.classifiedSpikes,
                100.0 * (s.classifiedRight - s.classifiedTargetRight - s.classifiedSpikesRight) / Math.max(1, s.classified - s.classifiedTarget - s.classifiedSpikes)));
        return md.toString();
    }

    /** The header of {@link #row}'s table. */
    public static final String ROW_HEADER = "| seed | recall, shifts >= 10% with \\|d\\| >= 0.5 | spikes found | null series with any finding "
            + "| false findings per series-day | median / p90 delay (min) | 20% steps: median delay / limit (min) "
            + "| findings per sustained change | classification right, target shifts |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";

    /** One summary as a row of {@link #ROW_HEADER}'s table. */
    public static String row(String name, Summary s) {
        return String.format("| %s | %d / %d = %.1f%% | %d / %d = %.1f%% | %d / %d = %.2f%% | %.4f | %.0f / %.0f | %.0f / %.0f | %.2f | %d / %d = %.1f%% |%n",
                name, s.targetFound, s.targetTotal, 100 * s.targetRecall(), s.spikesFound, s.spikes, 100.0 * s.spikesFound / Math.max(1, s.spikes),
                s.nullWithFinding, s.nullSeries, 100 * s.nullRate(), s.falsePerSeriesDay, s.medianDelayMinutes, s.p90DelayMinutes,
                s.steps20MedianDelayMinutes, s.steps20MedianLimitMinutes, s.sustainedFindings / (double) Math.max(1, s.sustainedFound),
                s.classifiedTargetRight, s.classifiedTarget, 100.0 * s.classifiedTargetRight / Math.max(1, s.classifiedTarget));
    }

    private static int[] add(int[] a, int[] b) {
        return new int[] {a[0] + b[0], a[1] + b[1]};
    }

    private static int[] count(List<Outcome> outcomes, LabelledSeries.Change change, double from, double to, boolean strongOnly) {
        int found = 0;
        int total = 0;
        for (Outcome o : outcomes) {
            double size = o.series.relativeSize();
            if (o.series.change == change && size >= from - 1e-9 && size < to - 1e-9 && (!strongOnly || o.series.trueEffect >= 0.5)) {
                total++;
                if (o.hit() != null) {
                    found++;
                }
            }
        }
        return new int[] {found, total};
    }

    /** The headline numbers. */
    public static final class Summary {
        public int targetFound;
        public int targetTotal;
        public int spikes;
        public int spikesFound;
        public int nullSeries;
        public int nullWithFinding;
        public double falsePerSeriesDay;
        public double medianDelayMinutes;
        public double p90DelayMinutes;
        /** Steps of 20% (of the level): the median delay, and the median of their CUSUM limits. */
        public int steps20;
        public double steps20MedianDelayMinutes;
        public double steps20MedianLimitMinutes;
        /** Target shifts with more time after them than twice their delay limit (a day-ago reference), and of those found. */
        public int targetWithTime;
        public int targetWithTimeFound;
        public int classified;
        public int classifiedRight;
        /** Of those classified: the sustained shifts of the recall target, and the spikes. */
        public int classifiedTarget;
        public int classifiedTargetRight;
        public int classifiedSpikes;
        public int classifiedSpikesRight;
        /** Sustained changes found, and the regression findings (distinct finding_ids) they got from their start on. */
        public int sustainedFound;
        public int sustainedFindings;

        public double targetRecall() {
            return targetTotal == 0 ? Double.NaN : targetFound / (double) targetTotal;
        }

        public double nullRate() {
            return nullSeries == 0 ? Double.NaN : nullWithFinding / (double) nullSeries;
        }

        public double classificationAccuracy() {
            return classified == 0 ? Double.NaN : classifiedRight / (double) classified;
        }
    }

    /** Headline numbers; series-days count only the time a series could be evaluated (after min-baseline + comparison). */
    public static Summary summarize(List<Outcome> outcomes, RegressionConfig cfg) {
        return summarize(outcomes, cfg.minBaseline.toMillis() + cfg.comparisonWindow.toMillis(), cfg.alpha);
    }

    static Summary summarize(List<Outcome> outcomes, long warmUpMillis) {
        return summarize(outcomes, warmUpMillis, 0.01);
    }

    /**
     * The delay (minutes) at which a CUSUM with alpha false alarms per series-day could find the
     * series' step at best, given its true effect per sample (Lorden's bound; see SequentialTest).
     */
    static double limitMinutes(LabelledSeries ls, double alpha) {
        double perDay = LabelledSeries.DAY / (double) ls.intervalMillis;
        return dev.perfwatch.detect.SequentialTest.delayLimit(ls.trueEffect, perDay, alpha) * ls.intervalMillis / 60_000.0;
    }

    /** Minutes from the change (a ramp: its middle) to the end of the series. */
    static double minutesLeft(LabelledSeries ls) {
        long at = ls.change == LabelledSeries.Change.RAMP ? ls.start + (ls.end - ls.start) / 2 : ls.start;
        return (ls.durationMillis - at) / 60_000.0;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static Summary summarize(List<Outcome> outcomes, long warmUpMillis, double alpha) {
        Summary s = new Summary();
        List<Long> delays = new ArrayList<>();
        long falseFindings = 0;
        double seriesDays = 0;
        for (Outcome o : outcomes) {
            LabelledSeries ls = o.series;
            falseFindings += o.falseFindings();
            seriesDays += Math.max(0, Math.min(ls.durationMillis, ls.start) - warmUpMillis) / (double) LabelledSeries.DAY;
            RegressionFinding hit = o.hit();
            switch (ls.change) {
                case NONE:
                    s.nullSeries++;
                    if (!o.findings.isEmpty()) {
                        s.nullWithFinding++;
                    }
                    break;
                case SPIKE:
                    s.spikes++;
                    if (hit != null) {
                        s.spikesFound++;
                    }
                    break;
                default:
                    if (ls.relativeSize() >= 0.1 && ls.trueEffect >= 0.5) {
                        s.targetTotal++;
                        if (hit != null) {
                            s.targetFound++;
                        }
                        if (minutesLeft(ls) >= 2 * limitMinutes(ls, alpha)) {
                            s.targetWithTime++;
                            if (hit != null) {
                                s.targetWithTimeFound++;
                            }
                        }
                    }
                    break;
            }
            if (hit != null && (ls.change == LabelledSeries.Change.STEP || ls.change == LabelledSeries.Change.RAMP)) {
                s.sustainedFound++;
                s.sustainedFindings += (int) o.findings.stream().filter(f -> f.direction == ChangeDirection.REGRESSION && f.detectedAt >= ls.start).count();
            }
            if (hit != null && ls.change != LabelledSeries.Change.NONE) {
                delays.add(hit.detectedAt - ls.start);
                s.classified++;
                boolean right = hit.type.code().equals(ls.expectedType());
                if (right) {
                    s.classifiedRight++;
                }
                if (ls.change == LabelledSeries.Change.SPIKE) {
                    s.classifiedSpikes++;
                    s.classifiedSpikesRight += right ? 1 : 0;
                } else if (ls.relativeSize() >= 0.1 && ls.trueEffect >= 0.5) {
                    s.classifiedTarget++;
                    s.classifiedTargetRight += right ? 1 : 0;
                }
            }
        }
        s.falsePerSeriesDay = seriesDays == 0 ? Double.NaN : falseFindings / seriesDays;
        Collections.sort(delays);
        s.medianDelayMinutes = delays.isEmpty() ? Double.NaN : delays.get(delays.size() / 2) / 60_000.0;
        s.p90DelayMinutes = delays.isEmpty() ? Double.NaN : delays.get((int) Math.ceil(0.9 * delays.size()) - 1) / 60_000.0;
        List<Double> steps20 = new ArrayList<>();
        List<Double> limits20 = new ArrayList<>();
        for (Outcome o : outcomes) {
            LabelledSeries ls = o.series;
            if (ls.change == LabelledSeries.Change.STEP && Math.abs(ls.relativeSize() - 0.2) < 1e-9) {
                RegressionFinding hit = o.hit();
                steps20.add(hit == null ? Double.POSITIVE_INFINITY : (hit.detectedAt - ls.start) / 60_000.0);
                limits20.add(limitMinutes(ls, alpha));
            }
        }
        s.steps20 = steps20.size();
        s.steps20MedianDelayMinutes = median(steps20);
        s.steps20MedianLimitMinutes = median(limits20);
        return s;
    }
}
