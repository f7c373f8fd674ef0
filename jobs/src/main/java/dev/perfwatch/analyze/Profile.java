package dev.perfwatch.analyze;

import dev.perfwatch.config.AnalysisConfig;
import dev.perfwatch.config.Direction;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.config.Statistic;
import dev.perfwatch.stats.HourlyExtremes;
import dev.perfwatch.stats.LinearTrend;
import dev.perfwatch.stats.Robust;
import dev.perfwatch.suggest.Facts;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A component over one profile window: each metric's signals (mean, p95, worst minute, baseline,
 * ratio to it, trend, position against its levels) and the derived signals bottlenecks, health and
 * suggestions are judged on. Metrics the component does not emit are absent, and so is every signal
 * that needs them.
 */
public final class Profile {

    /** The metrics whose p95 stands for the component's latency, first present wins. */
    static final List<String> LATENCY_METRICS = List.of("response_time", "search_response_time", "document_processing_time");

    public final String component;
    public final long windowStart;
    public final long windowEnd;
    /** By metric name. */
    public final Map<String, Signal> metrics = new TreeMap<>();
    /** The metric that stands for latency, or null. */
    public final String latencyMetric;
    /** Database time as a share of response time (means), NaN when either is missing. */
    public final double dbShare;
    public final double dbShareBaseline;
    /** Queue growth per minute over the recent windows, with its trend's p-value and point count. */
    public final LinearTrend.Fit queueTrend;
    public final double gcShare;
    public final double gcShareBaseline;

    /** The signals of one metric. */
    public static final class Signal {
        public final String metric;
        public final Direction direction;
        /** The metric's levels for this component, or null. */
        public final MetricThresholds levels;
        public final long samples;
        public final double mean;
        public final double p95;
        public final double worstMean;
        public final double worstP95;
        /** The configured statistic's worst one-window value. */
        public final double worstStat;
        /** Whether worstStat is the whole window's, not its worst minute's (see MetricWindow#statOfWholeWindow). */
        public final boolean worstStatOfWindow;
        public final double baselineMean;
        public final double baselineP95;
        /** Trend of the window means per hour over the recent windows, this one included. */
        public final LinearTrend.Fit trend;
        /** 0 before the warning level, 0.5 at it, 1 at the critical level and beyond (NaN without levels). */
        public final double level;
        /** The window means the trend is taken over, oldest first, this window's last. */
        final double[] recentMeans;
        /**
         * The worst window mean (the highest, or the lowest for a lower-is-worse metric) of the whole hours in the
         * day before the trend's windows; NaN when none is held.
         */
        public final double heldWorst;
        /** The standard error of the trend's fitted value at this window (NaN when the fit has none). */
        final double levelNowStdErr;
        /** The profile window's length in hours. */
        final double windowHours;

        Signal(String metric, Direction direction, MetricThresholds levels, MetricWindow w, double baselineMean, double baselineP95,
                LinearTrend.Fit trend, double[] recentMeans, double heldWorst, double levelNowStdErr, double windowHours) {
            this.metric = metric;
            this.direction = direction;
            this.levels = levels;
            this.samples = w.samples;
            this.mean = w.mean();
            this.p95 = w.p95();
            this.worstMean = w.worstMean(direction);
            this.worstP95 = w.worstP95(direction);
            Statistic statistic = levels == null ? null : levels.statistic;
            this.worstStat = w.worstStat(direction, statistic);
            this.worstStatOfWindow = w.statOfWholeWindow(statistic);
            this.baselineMean = baselineMean;
            this.baselineP95 = baselineP95;
            this.trend = trend;
            this.level = levels == null ? Double.NaN : pressure(worstStat, levels, direction);
            this.recentMeans = recentMeans;
            this.heldWorst = heldWorst;
            this.levelNowStdErr = levelNowStdErr;
            this.windowHours = windowHours;
        }

        /**
         * Whether the metric is within the range it held in the last day and came back from on its own (a GC sawtooth,
         * a daily load), not somewhere new ({@link HourlyExtremes#withinHeld}, from this window's mean and the trend's
         * fitted value at it). False without that history.
         */
        public boolean withinItsOwnRange() {
            return HourlyExtremes.withinHeld(heldWorst, mean, trend.intercept(), levelNowStdErr, trend.slope(), windowHours,
                    direction.sign(), levels == null || levels.warning == null ? Double.NaN : levels.warning);
        }

        /** The worst minute's p95 over the baseline p95 (NaN without a baseline). */
        public double p95Ratio() {
            return baselineP95 > 0 ? worstP95 / baselineP95 : Double.NaN;
        }

        /** The window's mean against its warning level (NaN without one). */
        public double utilization() {
            return levels != null && levels.warning != null && levels.warning != 0 ? mean / levels.warning : Double.NaN;
        }

        /** Whether it is elevated: beyond its warning level, or its p95 at {@code ratio} times its baseline the worse way. */
        boolean elevated(double ratio) {
            if (level > 0) {
                return true;
            }
            if (Double.isNaN(baselineP95) || baselineP95 == 0) {
                return false;
            }
            return direction == Direction.HIGHER_IS_WORSE ? worstP95 >= ratio * baselineP95 : worstMean <= baselineMean * (1 - (ratio - 1) / 10);
        }

        /**
         * Whether it is still near what made it elevated, within {@code slack} (a fraction): its statistic
         * within slack of its warning level, or (higher is worse) its p95 within slack of {@code ratio} times
         * its baseline. What keeps an open bottleneck open (hysteresis).
         */
        boolean near(double ratio, double slack) {
            if (levels != null && levels.warning != null && Double.isFinite(worstStat)) {
                double warning = levels.warning;
                double bar = direction == Direction.HIGHER_IS_WORSE ? warning * (1 - slack) : warning * (1 + slack);
                if (direction.breaches(worstStat, bar)) {
                    return true;
                }
            }
            return direction == Direction.HIGHER_IS_WORSE && p95Ratio() >= ratio * (1 - slack);
        }
    }

    /** How far {@code v} is toward or past the levels: 0 short of warning, 0.5 at it, 1 at critical. */
    static double pressure(double v, MetricThresholds t, Direction d) {
        if (!Double.isFinite(v)) {
            return Double.NaN;
        }
        if (t.critical != null && d.breaches(v, t.critical)) {
            return 1;
        }
        if (t.warning == null || !d.breaches(v, t.warning)) {
            return 0;
        }
        if (t.critical == null || t.critical.equals(t.warning)) {
            return 0.5;
        }
        return 0.5 + 0.5 * Math.min(1, Math.max(0, (v - t.warning) / (t.critical - t.warning)));
    }

    private Profile(ComponentWindow w, ComponentState s, MetricLevels levels, AnalysisConfig cfg) {
        this.component = w.component;
        this.windowStart = w.windowStart;
        this.windowEnd = w.windowEnd;
        for (Map.Entry<String, MetricWindow> e : w.metrics.entrySet()) {
            String metric = e.getKey();
            ComponentState.MetricHistory h = s.history.get(metric);
            metrics.put(metric, signal(metric, e.getValue(), h, levels, cfg, w.windowStart));
        }
        String latency = null;
        for (String m : LATENCY_METRICS) {
            if (metrics.containsKey(m)) {
                latency = m;
                break;
            }
        }
        this.latencyMetric = latency;
        Signal db = metrics.get("database_query_time");
        Signal rt = metrics.get("response_time");
        this.dbShare = db != null && rt != null && rt.mean > 0 ? db.mean / rt.mean : Double.NaN;
        this.dbShareBaseline = db != null && rt != null && rt.baselineMean > 0 ? db.baselineMean / rt.baselineMean : Double.NaN;
        Signal gc = metrics.get("gc_time");
        Signal lat = latency == null ? null : metrics.get(latency);
        this.gcShare = gc != null && lat != null && lat.mean > 0 ? gc.mean / lat.mean : Double.NaN;
        this.gcShareBaseline = gc != null && lat != null && lat.baselineMean > 0 ? gc.baselineMean / lat.baselineMean : Double.NaN;
        Signal queue = metrics.get("queue_depth");
        this.queueTrend = queue == null ? null : queue.trend;
    }

    public static Profile of(ComponentWindow w, ComponentState s, MetricLevels levels, AnalysisConfig cfg) {
        return new Profile(w, s, levels, cfg);
    }

    private Signal signal(String metric, MetricWindow w, ComponentState.MetricHistory h, MetricLevels levels, AnalysisConfig cfg, long start) {
        MetricThresholds t = levels.of(component, metric);
        Direction d = levels.directionOf(component, metric);
        double baselineMean = Double.NaN;
        double baselineP95 = Double.NaN;
        LinearTrend trend = new LinearTrend();
        double heldWorst = Double.NaN;
        double[] recent;
        if (h != null && h.size > 0) {
            // The baseline is the latest baseline-windows windows in which the metric was not elevated, from
            // the whole history held: a bottleneck that lasts does not become its own baseline. Only when the
            // whole history is elevated do the recent windows become the baseline (a new normal).
            double[] means = new double[Math.min(h.size, cfg.baselineWindows)];
            double[] p95s = new double[means.length];
            int taken = 0;
            for (int i = h.size - 1; i >= 0 && taken < means.length; i--) {
                int k = h.index(i);
                if (!h.elevated[k]) {
                    means[taken] = h.means[k];
                    p95s[taken++] = h.p95s[k];
                }
            }
            if (taken == 0) {
                for (int i = Math.max(0, h.size - cfg.baselineWindows); i < h.size; i++) {
                    means[taken] = h.means[h.index(i)];
                    p95s[taken++] = h.p95s[h.index(i)];
                }
            }
            baselineMean = Robust.median(taken == means.length ? means : Arrays.copyOf(means, taken));
            baselineP95 = Robust.median(taken == p95s.length ? p95s : Arrays.copyOf(p95s, taken));
            int trendFrom = Math.max(0, h.size - TREND_WINDOWS + 1);
            long trendStart = trendFrom < h.size ? h.starts[h.index(trendFrom)] : start;
            if (h.extremes != null) {
                heldWorst = d == Direction.LOWER_IS_WORSE ? h.extremes.lowBefore(trendStart) : h.extremes.highBefore(trendStart);
            }
            recent = new double[h.size - trendFrom + 1];
            for (int i = trendFrom; i < h.size; i++) {
                int k = h.index(i);
                trend.add((h.starts[k] - start) / 3_600_000.0, h.means[k]);
                recent[i - trendFrom] = h.means[k];
            }
        } else {
            recent = new double[1];
        }
        trend.add(0, w.mean());
        recent[recent.length - 1] = w.mean();
        LinearTrend.Fit fit = trend.fit();
        return new Signal(metric, d, t, w, baselineMean, baselineP95, fit, recent, heldWorst, trend.fittedStdErr(fit, 0),
                (windowEnd - windowStart) / 3_600_000.0);
    }

    /** Windows the trends are taken over (this one included): an hour at the default profile window. */
    static final int TREND_WINDOWS = 12;

    /** The signal of a metric in this window; null when it has none (or for no name). */
    public Signal metric(String name) {
        return name == null ? null : metrics.get(name);
    }

    /** A metric's recent window means, oldest first, this window's last. */
    double[] recentMeans(String metric) {
        return metrics.get(metric).recentMeans;
    }

    /** Queue growth per minute (NaN without a queue or with too few windows). */
    public double queueGrowthPerMinute() {
        return queueTrend == null || queueTrend.n() < 3 ? Double.NaN : queueTrend.slope() / 60;
    }

    /** The facts catalogue conditions are evaluated against (bottlenecks are added by the analyzer). */
    public Facts facts() {
        Facts f = new Facts().put("component", component);
        for (Signal s : metrics.values()) {
            String m = s.metric;
            f.put(m + ".mean", s.mean).put(m + ".p95", s.p95).put(m + ".worst", s.worstStat)
                    .put(m + ".baseline_mean", s.baselineMean).put(m + ".baseline_p95", s.baselineP95)
                    .put(m + ".p95_ratio", s.p95Ratio()).put(m + ".level", s.level);
            if (s.trend.n() >= 4) {
                f.put(m + ".trend_per_hour", s.trend.slope());
            }
        }
        if (latencyMetric != null) {
            Signal lat = metrics.get(latencyMetric);
            f.put("latency.metric", latencyMetric).put("latency.p95", lat.worstP95).put("latency.p95_ratio", lat.p95Ratio());
        }
        f.put("db_share", dbShare).put("db_share_ratio", dbShareBaseline > 0 ? dbShare / dbShareBaseline : Double.NaN);
        Signal cache = metrics.get("cache_hit_rate");
        if (cache != null) {
            f.put("cache_hit_rate", cache.mean).put("cache_hit_rate_change", cache.mean - cache.baselineMean);
        }
        Signal queue = metrics.get("queue_depth");
        if (queue != null) {
            f.put("queue_depth", queue.mean).put("queue_growth_per_minute", queueGrowthPerMinute());
        }
        if (latencyMetric != null && metrics.containsKey("queue_depth")) {
            Signal lat = metrics.get(latencyMetric);
            f.put("processing_time_ratio", lat.baselineMean > 0 ? lat.mean / lat.baselineMean : Double.NaN);
        }
        Signal errors = metrics.get("error_rate");
        if (errors != null) {
            f.put("error_rate", errors.mean);
        }
        Signal cpu = metrics.get("cpu_usage");
        if (cpu != null) {
            f.put("cpu_headroom", 100 - cpu.worstMean);
        }
        Signal memory = metrics.get("memory_usage");
        if (memory != null) {
            f.put("memory_headroom", 100 - memory.mean);
            if (memory.trend.n() >= 4) {
                f.put("memory_trend_per_hour", memory.trend.slope());
            }
        }
        Signal disk = metrics.get("disk_io");
        if (disk != null) {
            f.put("disk_utilization", disk.utilization());
        }
        Signal network = metrics.get("network_io");
        if (network != null) {
            f.put("network_utilization", network.utilization());
        }
        f.put("gc_share", gcShare).put("gc_share_ratio", gcShareBaseline > 0 ? gcShare / gcShareBaseline : Double.NaN);
        return f;
    }
}
