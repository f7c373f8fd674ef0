package dev.perfwatch.config;

import org.apache.flink.util.TimeUtils;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/** {@code alerts}: series state retention, the CEP patterns and the anomaly scores. */
public class AlertsConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A series silent this long loses its alert state (a firing alert is cleared first). */
    public Duration retention;
    public Patterns patterns;
    public Anomaly anomaly;

    void validate(Check c) {
        c.positive(retention, "retention");
        c.section(patterns, "patterns");
        patterns.validate(c.in("patterns"));
        c.section(anomaly, "anomaly");
        anomaly.validate(c.in("anomaly"));
        if (anomaly.forgetAfter.compareTo(retention) < 0) {
            throw c.in("anomaly").fail("forget-after", "expected at least alerts.retention (" + TimeUtils.formatWithHighestUnit(retention)
                    + "): a series' alerts clear after the retention, what its scores learned is forgotten after this; got "
                    + TimeUtils.formatWithHighestUnit(anomaly.forgetAfter));
        }
    }

    public static class Patterns implements Serializable {
        private static final long serialVersionUID = 1L;
        public ConsecutiveBreaches consecutiveBreaches;
        public CorrelatedSaturation correlatedSaturation;
        public MemoryLeak memoryLeak;
        public QueueBacklog queueBacklog;
        public Flapping flapping;

        void validate(Check c) {
            c.section(consecutiveBreaches, "consecutive-breaches");
            consecutiveBreaches.validate(c.in("consecutive-breaches"));
            c.section(correlatedSaturation, "correlated-saturation");
            correlatedSaturation.validate(c.in("correlated-saturation"));
            c.section(memoryLeak, "memory-leak");
            memoryLeak.validate(c.in("memory-leak"));
            c.section(queueBacklog, "queue-backlog");
            queueBacklog.validate(c.in("queue-backlog"));
            c.section(flapping, "flapping");
            flapping.validate(c.in("flapping"));
        }
    }

    /** N consecutive windows beyond the warning level within T, on one series. */
    public static class ConsecutiveBreaches implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public int count;
        public Duration within;

        void validate(Check c) {
            c.atLeast(count, 2, "count");
            c.positive(within, "within");
        }
    }

    /** The cause metric beyond its warning level, followed within T by an effect metric beyond its own, on one component. */
    public static class CorrelatedSaturation implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public String cause;
        public List<String> effects;
        public Duration within;

        void validate(Check c) {
            c.required(cause, "cause");
            c.required(effects, "effects");
            c.positive(within, "within");
        }
    }

    /** K consecutive windows of the metric whose means rise with a significant, large enough slope. */
    public static class MemoryLeak implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public String metric;
        public int windows;
        public double minSlopePerHour;
        public double alpha;

        void validate(Check c) {
            c.required(metric, "metric");
            c.atLeast(windows, 3, "windows");
            c.probability(alpha, "alpha");
        }
    }

    /** K windows where the queue grows and processing time rises, both significantly, on one component. */
    public static class QueueBacklog implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public String queueMetric;
        public List<String> processingMetrics;
        public int windows;
        public double alpha;

        void validate(Check c) {
            c.required(queueMetric, "queue-metric");
            c.required(processingMetrics, "processing-metrics");
            c.atLeast(windows, 3, "windows");
            c.probability(alpha, "alpha");
        }
    }

    /** F crossings of the warning level, either way, within T, on one series. */
    public static class Flapping implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public int crossings;
        public Duration within;

        void validate(Check c) {
            c.atLeast(crossings, 2, "crossings");
            c.positive(within, "within");
        }
    }

    /** Scores of each window against the series' own recent windows. */
    public static class Anomaly implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Off: the operator stays in the graph (stable uids) and scores nothing. */
        public boolean enabled;
        /** The window statistic scored: mean, p50, p95, p99, min, max. */
        public Statistic statistic;
        public int baselineWindows;
        /** No anomaly alerts until a series has this many windows of baseline. */
        public int coldStartWindows;
        /** The least robust z that can be anomalous, whatever the likelihood says. */
        public double robustZ;
        public double minRelativeChange;
        /** Anomalous windows in a row before an anomaly alert fires. */
        public int minWindows;
        /**
         * Before a series has a day of history, the samples its anomalous windows in a row must hold before the
         * robust z's alert fires (the detector has not yet seen the series' tail: one value past all it has seen
         * may be routine for it).
         */
        public int firstDaySamples;
        /**
         * A window is anomalous when the likelihood of its score (one minus the chance of a score that high
         * under the series' own recent score distribution) is at least this.
         */
        public double likelihood;
        /** The memory of that score distribution, in windows (a running mean and variance). */
        public int likelihoodWindows;
        /** A firing alert clears once this many windows in a row are not anomalous (one alert per excursion). */
        public int settleWindows;
        /**
         * With a day of history, a window is anomalous only beyond the range the series has had over the
         * last this many days (0: the likelihood decides at any age) ...
         */
        public int rangeDays;
        /** ... by at least this share of that range. */
        public double rangeMargin;
        /**
         * The range's ends are the values the series reached on this many different days of it (1: its highest and
         * lowest values; 2: a value reached on one day only, such as an earlier anomaly, does not widen it).
         */
        public int rangeReachedDays;
        /**
         * ... and, once three ordinary days hold values, at least the level the days' highest (lowest) values pass once
         * in this many days, by a Gumbel fit to them (0: no such bound). A series whose days' highs vary widely passes
         * the second highest day's on one day in four.
         */
        public int rangeReturnDays;
        /**
         * A series silent this long starts over: what the scores learned of it (the baseline, the score
         * distributions, the range) is forgotten and it has a cold start again. Shorter silences keep it (an
         * outage, an hour missing from an export); a firing alert clears after {@code alerts.retention} either way.
         */
        public Duration forgetAfter;
        /** A value that stays exactly the same for longer than the series ever has (a stuck metric, stopped work). */
        public Stuck stuck;
        /** A series whose jitter (the median change from one window to the next over an hour) grew far past its week's. */
        public Volatility volatility;
        public Rcf rcf;

        void validate(Check c) {
            c.required(statistic, "statistic");
            c.atLeast(baselineWindows, 5, "baseline-windows");
            c.atLeast(coldStartWindows, 1, "cold-start-windows");
            if (coldStartWindows > baselineWindows) {
                throw c.fail("cold-start-windows", "expected at most alerts.anomaly.baseline-windows (" + baselineWindows
                        + "), got " + coldStartWindows);
            }
            c.positive(robustZ, "robust-z");
            c.atLeast(minWindows, 1, "min-windows");
            c.atLeast(firstDaySamples, 1, "first-day-samples");
            if (!(likelihood > 0.5 && likelihood < 1)) {
                throw c.fail("likelihood", "expected a probability above 0.5 and below 1 (e.g. 0.999999), got " + likelihood);
            }
            c.atLeast(likelihoodWindows, 10, "likelihood-windows");
            c.atLeast(settleWindows, 1, "settle-windows");
            if (rangeDays < 0 || rangeDays > 28) {
                throw c.fail("range-days", "expected 0 (off) to 28 days, got " + rangeDays);
            }
            if (rangeReachedDays < 1 || (rangeDays > 0 && rangeReachedDays > rangeDays)) {
                throw c.fail("range-reached-days", "expected 1 to range-days (" + rangeDays + "), got " + rangeReachedDays);
            }
            if (rangeReturnDays == 1 || rangeReturnDays < 0 || rangeReturnDays > 3650) {
                throw c.fail("range-return-days", "expected 0 (off) or 2 to 3650 days, got " + rangeReturnDays);
            }
            if (!(rangeMargin >= 0 && rangeMargin <= 10)) {
                throw c.fail("range-margin", "expected a share of the range from 0 to 10, got " + rangeMargin);
            }
            if (minRelativeChange < 0) {
                throw c.fail("min-relative-change", "expected 0 or more, got " + minRelativeChange);
            }
            c.positive(forgetAfter, "forget-after");
            c.section(stuck, "stuck");
            stuck.validate(c.in("stuck"));
            c.section(volatility, "volatility");
            volatility.validate(c.in("volatility"));
            c.section(rcf, "rcf");
            rcf.validate(c.in("rcf"));
        }
    }

    /**
     * A series whose value has stayed exactly the same (every sample of each window equal to it) for longer
     * than any earlier run of one value in its history: an exporter repeating its last value, writes or
     * requests that stopped. It alerts from {@code min-history} of history on (a week: the quietest spell of a
     * weekly cycle, a weekend's, is seen first), once the series has varied and the run has lasted
     * {@code min-duration}; it clears when the value changes.
     */
    public static class Stuck implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public Duration minHistory;
        public Duration minDuration;

        void validate(Check c) {
            c.positive(minHistory, "min-history");
            c.positive(minDuration, "min-duration");
        }
    }

    /**
     * A series that became erratic: the median absolute change from one window to the next over an hour (its
     * jitter, which one spike or one step hardly moves), relative to the level, more than {@code factor} times the
     * most any hour of the {@code days} days before that day had. Judged once an hour holds {@code min-changes} changes (a series with a value at
     * least every 10 minutes), from {@code min-history} of history on; one alert per excursion, over once
     * {@code settle-hours} hours in a row are back within the bound.
     */
    public static class Volatility implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public double factor;
        public int days;
        public Duration minHistory;
        public int minChanges;
        public int settleHours;

        void validate(Check c) {
            if (!(factor > 1 && factor <= 100)) {
                throw c.fail("factor", "expected a factor above 1 (e.g. 2: twice the week's most), got " + factor);
            }
            if (days < 1 || days > 28) {
                throw c.fail("days", "expected 1 to 28 days, got " + days);
            }
            c.positive(minHistory, "min-history");
            c.atLeast(minChanges, 3, "min-changes");
            c.atLeast(settleHours, 1, "settle-hours");
        }
    }

    /** Random cut forest over a shingle of recent windows (mean, p95, stddev per window, log-scaled). */
    public static class Rcf implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled;
        public int shingleSize;
        public int trees;
        public int sampleSize;
        public double score;
        public long seed;

        void validate(Check c) {
            c.atLeast(shingleSize, 1, "shingle-size");
            c.atLeast(trees, 10, "trees");
            c.atLeast(sampleSize, 16, "sample-size");
            c.positive(score, "score");
        }
    }
}
