package dev.perfwatch.analyze;

import dev.perfwatch.config.AnalysisConfig;
import dev.perfwatch.config.Direction;
import dev.perfwatch.model.BottleneckType;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.stats.Forecast;
import dev.perfwatch.stats.LinearTrend;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which bottlenecks a component profile shows (several may hold at once), each with a severity
 * (0..1: 0.5 at the metric's warning level, 1 at its critical level), a confidence (0..1: how many
 * signals agree), a root cause sentence with the numbers, and the evidence. Every rule reads the
 * configured levels of the component's own metrics and their own baselines, and needs only the
 * metrics it names: a component that does not emit them cannot show that bottleneck.
 */
public final class BottleneckRules {

    /** The resources whose exhaustion is reported: capacity that runs out. */
    static final List<String> RESOURCES = List.of("cpu_usage", "memory_usage", "disk_io", "network_io", "cache_hit_rate");

    private BottleneckRules() {}

    /** One bottleneck as detected in one window. */
    public record Detection(double severity, double confidence, String rootCause, Evidence evidence) {}

    public static Map<BottleneckType, Detection> detect(Profile p, AnalysisConfig cfg) {
        Map<BottleneckType, Detection> out = new EnumMap<>(BottleneckType.class);
        put(out, BottleneckType.CPU_BOUND, cpuBound(p, cfg));
        put(out, BottleneckType.MEMORY_BOUND, memoryBound(p, cfg));
        put(out, BottleneckType.IO_BOUND, ioBound(p, cfg));
        put(out, BottleneckType.DATABASE, database(p, cfg));
        put(out, BottleneckType.QUEUE_BACKLOG, queueBacklog(p, cfg));
        put(out, BottleneckType.RESOURCE_EXHAUSTION, exhaustion(p, cfg));
        return out;
    }

    private static void put(Map<BottleneckType, Detection> out, BottleneckType type, Detection d) {
        if (d != null) {
            out.put(type, d);
        }
    }

    /** The component's latency is at least the elevated ratio over its baseline (false without one). */
    private static boolean latencyElevated(Profile p, AnalysisConfig cfg) {
        Profile.Signal lat = p.latencyMetric == null ? null : p.metric(p.latencyMetric);
        return lat != null && lat.p95Ratio() >= cfg.elevatedRatio;
    }

    private static String latencyClause(Profile p) {
        Profile.Signal lat = p.latencyMetric == null ? null : p.metric(p.latencyMetric);
        if (lat == null || Double.isNaN(lat.p95Ratio())) {
            return "";
        }
        return String.format(Locale.ROOT, "; p95 %s %s vs %s baseline", lat.metric, num(lat.worstP95), num(lat.baselineP95));
    }

    static Detection cpuBound(Profile p, AnalysisConfig cfg) {
        Profile.Signal cpu = p.metric("cpu_usage");
        if (cpu == null || cpu.levels == null || cpu.levels.warning == null || !(cpu.level > 0)) {
            return null;
        }
        boolean pressure = latencyElevated(p, cfg) || p.queueGrowthPerMinute() >= cfg.queueGrowthPerMinute;
        boolean sustained = cpu.direction.breaches(cpu.mean, cpu.levels.warning);
        double confidence = 0.4 + (pressure ? 0.3 : 0) + (sustained ? 0.3 : 0);
        String cause = String.format(Locale.ROOT, "CPU peaked at %s%% (warning %s%%%s), %s%% on average over the window%s",
                num(cpu.worstMean), num(cpu.levels.warning), cpu.levels.critical == null ? "" : ", critical " + num(cpu.levels.critical) + "%",
                num(cpu.mean), latencyClause(p));
        return new Detection(cpu.level, confidence, cause, evidence(p, cpu).put("latency_elevated", pressure ? "yes" : "no"));
    }

    static Detection memoryBound(Profile p, AnalysisConfig cfg) {
        Profile.Signal mem = p.metric("memory_usage");
        double gcRatio = p.gcShareBaseline > 0 ? p.gcShare / p.gcShareBaseline : Double.NaN;
        boolean gcPressure = gcRatio >= cfg.elevatedRatio;
        if (mem == null && !gcPressure) {
            return null;
        }
        boolean atLevel = mem != null && mem.levels != null && mem.levels.warning != null && mem.direction.breaches(mem.mean, mem.levels.warning);
        boolean leak = false;
        double leakSeverity = 0;
        if (mem != null && mem.levels != null && mem.levels.warning != null && mem.trend.n() >= 6 && mem.baselineMean < mem.levels.warning) {
            double toWarning = mem.levels.warning - mem.baselineMean;
            double risen = mem.mean - mem.baselineMean;
            leak = mem.trend.slope() > 0 && mem.trend.pValue() < 0.01 && risen >= 0.2 * toWarning && !mem.withinItsOwnRange();
            leakSeverity = 0.25 + 0.25 * Math.min(1, risen / toWarning);
        }
        if (!atLevel && !leak && !gcPressure) {
            return null;
        }
        double severity = Math.max(atLevel ? mem.level : 0, Math.max(leak ? leakSeverity : 0, gcPressure ? 0.4 : 0));
        double confidence = 0.4 + ((atLevel || (leak && mem.trend.pValue() < 0.001)) ? 0.3 : 0)
                + ((gcPressure || (leak && mem.trend.r2() >= 0.8)) ? 0.3 : 0);
        StringBuilder cause = new StringBuilder();
        // The metric the detection rests on: memory, else the GC time (gcPressure needs it: its share is NaN without it).
        Evidence e = mem != null
                ? heldWorst(evidence(p, mem).put("trend_per_hour", mem.trend.slope()).put("trend_p_value", mem.trend.pValue()).put("trend_r2", mem.trend.r2()), mem)
                : evidence(p, p.metric("gc_time"));
        if (mem != null) {
            cause.append(String.format(Locale.ROOT, "memory at %s%% (warning %s%%)", num(mem.mean),
                    mem.levels == null || mem.levels.warning == null ? "none" : num(mem.levels.warning)));
            if (leak) {
                cause.append(String.format(Locale.ROOT, ", rising %s points/hour (p %s) from a %s%% baseline",
                        num(mem.trend.slope()), sci(mem.trend.pValue()), num(mem.baselineMean)));
            }
        }
        if (gcPressure) {
            cause.append(cause.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
                    "GC time is %s%% of %s, %sx its baseline share", num(100 * p.gcShare), p.latencyMetric, num(gcRatio)));
            e.put("gc_share", p.gcShare).put("gc_share_baseline", p.gcShareBaseline);
        }
        return new Detection(severity, Math.min(1, confidence), cause.toString(), e);
    }

    static Detection ioBound(Profile p, AnalysisConfig cfg) {
        Detection worst = null;
        for (String metric : List.of("disk_io", "network_io")) {
            Profile.Signal io = p.metric(metric);
            if (io == null || Double.isNaN(io.utilization())) {
                continue;
            }
            double util = io.utilization();
            boolean atLevel = util >= 1;
            boolean near = util >= 0.8 && latencyElevated(p, cfg);
            if (!atLevel && !near) {
                continue;
            }
            double severity = atLevel ? Math.max(0.5, Profile.pressure(io.mean, io.levels, io.direction)) : 0.4;
            double confidence = 0.5 + (latencyElevated(p, cfg) ? 0.3 : 0) + (io.direction.breaches(io.worstMean, io.levels.warning) ? 0.2 : 0);
            String cause = String.format(Locale.ROOT, "%s at %s (%s%% of its warning level %s)%s", metric.equals("disk_io") ? "disk I/O" : "network I/O",
                    num(io.mean), num(100 * util), num(io.levels.warning), latencyClause(p));
            Detection d = new Detection(severity, Math.min(1, confidence), cause, evidence(p, io).put("utilization", util));
            if (worst == null || d.severity() > worst.severity()) {
                worst = d;
            }
        }
        return worst;
    }

    static Detection database(Profile p, AnalysisConfig cfg) {
        Profile.Signal db = p.metric("database_query_time");
        if (db == null) {
            return null;
        }
        double ratio = db.p95Ratio();
        boolean beyondLevel = db.level > 0;
        boolean slower = ratio >= cfg.elevatedRatio;
        if (!beyondLevel && !slower) {
            return null;
        }
        boolean shareKnown = !Double.isNaN(p.dbShare);
        if (shareKnown && p.dbShare < cfg.databaseShare) {
            return null; // the queries got slower, but they are not where the component spends its time
        }
        double severity = Math.max(beyondLevel ? db.level : 0, slower ? Math.min(1, (ratio - 1) / 4) : 0);
        double confidence = 0.5 + (shareKnown ? 0.25 : 0) + (beyondLevel && slower || ratio >= 2 * cfg.elevatedRatio ? 0.25 : 0);
        String share = shareKnown ? String.format(Locale.ROOT, "database time is %s%% of response time; ", num(100 * p.dbShare)) : "";
        String cause = share + String.format(Locale.ROOT, "p95 query time %s ms vs %s ms baseline%s", num(db.worstP95), num(db.baselineP95),
                Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, " (%sx)", num(ratio)));
        Evidence e = evidence(p, db).put("p95_ratio", ratio);
        if (shareKnown) {
            e.put("db_share", p.dbShare).put("db_share_baseline", p.dbShareBaseline);
        }
        return new Detection(severity, Math.min(1, confidence), cause, e);
    }

    static Detection queueBacklog(Profile p, AnalysisConfig cfg) {
        Profile.Signal q = p.metric("queue_depth");
        if (q == null) {
            return null;
        }
        double growth = p.queueGrowthPerMinute();
        boolean growing = growth >= cfg.queueGrowthPerMinute && p.queueTrend.n() >= 4 && p.queueTrend.pValue() < 0.01;
        boolean atLevel = q.level > 0;
        if (!growing && !atLevel) {
            return null;
        }
        double warning = q.levels != null && q.levels.warning != null ? q.levels.warning : Double.NaN;
        double growingSeverity = growing ? 0.25 + 0.25 * (Double.isNaN(warning) ? 1 : Math.min(1, q.mean / warning)) : 0;
        double severity = Math.max(atLevel ? q.level : 0, growingSeverity);
        Profile.Signal lat = p.latencyMetric == null ? null : p.metric(p.latencyMetric);
        double slowdown = lat != null && lat.baselineMean > 0 ? lat.mean / lat.baselineMean : Double.NaN;
        double confidence = 0.5 + (growing && p.queueTrend.pValue() < 0.001 ? 0.25 : 0) + (slowdown >= 1.2 ? 0.25 : 0);
        String cause = String.format(Locale.ROOT, "queue_depth %s%s", num(q.mean),
                growing ? String.format(Locale.ROOT, " and growing %s per minute (p %s)", num(growth), sci(p.queueTrend.pValue())) : "")
                + (Double.isNaN(warning) ? "" : String.format(Locale.ROOT, ", warning level %s", num(warning)))
                + (slowdown >= 1.2 ? String.format(Locale.ROOT, "; %s %sx its baseline", lat.metric, num(slowdown)) : "");
        return new Detection(severity, Math.min(1, confidence), cause,
                evidence(p, q).put("growth_per_minute", growth).put("trend_p_value", p.queueTrend.pValue()));
    }

    static Detection exhaustion(Profile p, AnalysisConfig cfg) {
        Detection worst = null;
        for (String metric : RESOURCES) {
            Profile.Signal r = p.metric(metric);
            if (r == null || r.levels == null || r.levels.critical == null) {
                continue;
            }
            Detection d = null;
            // At the limit for two windows in a row: a touch of the critical level is not exhaustion.
            double[] recent = p.recentMeans(metric);
            boolean sustained = recent.length >= 2 && r.direction.breaches(recent[recent.length - 2], r.levels.critical);
            if (r.direction.breaches(r.mean, r.levels.critical) && sustained) {
                String what = metric.equals("cache_hit_rate") ? ": the cache no longer holds the working set" : "";
                d = new Detection(1.0, r.direction.breaches(r.worstMean, r.levels.critical) ? 0.9 : 0.7,
                        String.format(Locale.ROOT, "%s %s at or beyond its critical level %s%s", metric, num(r.mean), num(r.levels.critical), what),
                        evidence(p, r).put("critical", r.levels.critical));
            } else {
                d = forecast(p, r, cfg);
            }
            if (d != null && (worst == null || d.severity() > worst.severity())) {
                worst = d;
            }
        }
        return worst;
    }

    /** The resource forecast to reach its critical level within the horizon, from a significant trend. */
    private static Detection forecast(Profile p, Profile.Signal r, AnalysisConfig cfg) {
        LinearTrend.Fit trend = r.trend;
        boolean worse = r.direction == Direction.HIGHER_IS_WORSE ? trend.slope() > 0 : trend.slope() < 0;
        // A rise within the range the metric held in the last day and came back from is its own cycle.
        if (trend.n() < Profile.TREND_WINDOWS || !(trend.pValue() < 0.001) || !(trend.r2() >= 0.6) || !worse || r.withinItsOwnRange()) {
            return null;
        }
        double[] means = p.recentMeans(r.metric);
        Forecast f = Forecast.fit(means);
        if (f == null) {
            return null;
        }
        double stepHours = (p.windowEnd - p.windowStart) / 3.6e6;
        int horizon = (int) Math.max(1, cfg.exhaustionHorizon.toMillis() / (p.windowEnd - p.windowStart));
        Forecast.Breach b = f.timeToThreshold(r.levels.critical, horizon);
        if (b.pointSteps() <= 0) {
            return null;
        }
        double hours = b.pointSteps() * stepHours;
        double horizonHours = cfg.exhaustionHorizon.toMillis() / 3.6e6;
        double severity = Math.max(0.3, Math.min(0.95, 1 - hours / horizonHours));
        String interval = b.earliestSteps() > 0 && b.latestSteps() > 0
                ? String.format(Locale.ROOT, " (95%% interval %s to %s h)", num(b.earliestSteps() * stepHours), num(b.latestSteps() * stepHours)) : "";
        String cause = String.format(Locale.ROOT, "%s forecast to reach its critical level %s in %s h%s; now %s, %s per hour",
                r.metric, num(r.levels.critical), num(hours), interval, num(r.mean), num(trend.slope()));
        return new Detection(severity, Math.min(1, trend.r2()), cause, heldWorst(evidence(p, r).put("critical", r.levels.critical)
                .put("hours_to_critical", hours).put("method", f.method()).put("trend_per_hour", trend.slope()).put("trend_r2", trend.r2()), r));
    }

    /** The worst window mean held in the day before the trend (what a rise must pass to be new), when there is one. */
    private static Evidence heldWorst(Evidence e, Profile.Signal s) {
        return Double.isFinite(s.heldWorst) ? e.put("worst_in_day_before", s.heldWorst) : e;
    }

    private static Evidence evidence(Profile p, Profile.Signal s) {
        Evidence e = new Evidence().put("metric", s.metric).put("mean", s.mean).put("p95", s.p95).put("worst_minute", s.worstMean)
                .put("worst_minute_p95", s.worstP95).put("baseline_mean", s.baselineMean).put("baseline_p95", s.baselineP95)
                .put("samples", s.samples);
        if (s.levels != null && s.levels.warning != null) {
            e.put("warning", s.levels.warning);
        }
        return e;
    }

    /** A number as people read it: three significant digits, no exponent for the usual ranges. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String sci(double p) {
        return String.format(Locale.ROOT, "%.1e", p);
    }
}
