package dev.perfwatch.analyze;

import dev.perfwatch.model.BottleneckType;
import dev.perfwatch.model.HealthScore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The health score of a component over a profile window, and of the system:
 * <pre>
 *   score = 100 - sum of penalties
 *   metric penalty     = weight(metric) x level   (level: 0 short of the warning level, 0.5 at it, 1 at critical;
 *                                                  of the configured statistic's worst one-minute value)
 *   bottleneck penalty = 20 x severity            (each open bottleneck)
 *   weights: error_rate 30; response_time, search_response_time, document_processing_time,
 *            database_query_time 25; cpu_usage, memory_usage 20; queue_depth, cache_hit_rate 15;
 *            disk_io, network_io, gc_time and any other metric with levels 10
 * </pre>
 * When the penalties add up to more than 100 they are scaled down in proportion, so the breakdown
 * always sums to exactly 100 - score. The system's score is the mean of its components' scores: each
 * component's penalty divided by the number of components. Trend: the score minus the mean of up to
 * three earlier scores; more than 5 points either way is improving or degrading.
 */
public final class HealthScores {

    static final double BOTTLENECK_WEIGHT = 20;
    static final double TREND_POINTS = 5;

    private HealthScores() {}

    static double weight(String metric) {
        switch (metric) {
            case "error_rate":
                return 30;
            case "response_time":
            case "search_response_time":
            case "document_processing_time":
            case "database_query_time":
                return 25;
            case "cpu_usage":
            case "memory_usage":
                return 20;
            case "queue_depth":
            case "cache_hit_rate":
                return 15;
            default:
                return 10;
        }
    }

    /** The component's score from its profile and its open bottlenecks (type to severity). */
    public static HealthScore of(Profile p, Map<BottleneckType, Double> open, double[] previous) {
        List<HealthScore.Penalty> penalties = new ArrayList<>();
        for (Profile.Signal s : p.metrics.values()) {
            if (s.level > 0) {
                penalties.add(new HealthScore.Penalty(s.metric, String.format(Locale.ROOT,
                        "%s %s %s (warning %s%s)", s.metric, BottleneckRules.num(s.worstStat), s.worstStatOfWindow ? "over the window" : "in its worst minute",
                        BottleneckRules.num(s.levels.warning == null ? Double.NaN : s.levels.warning),
                        s.levels.critical == null ? "" : ", critical " + BottleneckRules.num(s.levels.critical)), weight(s.metric) * s.level));
            }
        }
        for (Map.Entry<BottleneckType, Double> b : open.entrySet()) {
            penalties.add(new HealthScore.Penalty("bottleneck:" + b.getKey().code(),
                    String.format(Locale.ROOT, "%s bottleneck, severity %.2f", b.getKey().code(), b.getValue()), BOTTLENECK_WEIGHT * b.getValue()));
        }
        return score(p.component, p.windowStart, p.windowEnd, penalties, previous);
    }

    /** The system's score over the components' scores of one window. */
    public static HealthScore system(List<HealthScore> components, double[] previous) {
        List<HealthScore.Penalty> penalties = new ArrayList<>();
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (HealthScore h : components) {
            start = Math.min(start, h.windowStart);
            end = Math.max(end, h.windowEnd);
        }
        components.sort((a, b) -> a.component.compareTo(b.component));
        for (HealthScore h : components) {
            double points = (100 - h.score) / components.size();
            if (points > 0) {
                penalties.add(new HealthScore.Penalty(h.component, String.format(Locale.ROOT, "%s scored %.1f", h.component, h.score), points));
            }
        }
        return score(HealthScore.SYSTEM, start, end, penalties, previous);
    }

    private static HealthScore score(String component, long start, long end, List<HealthScore.Penalty> penalties, double[] previous) {
        double total = 0;
        for (HealthScore.Penalty p : penalties) {
            total += p.points;
        }
        if (total > 100) {
            for (HealthScore.Penalty p : penalties) {
                p.points = p.points * 100 / total;
            }
            total = 0;
            for (HealthScore.Penalty p : penalties) {
                total += p.points;
            }
        }
        HealthScore h = new HealthScore();
        h.component = component;
        h.windowStart = start;
        h.windowEnd = end;
        h.breakdown = penalties;
        h.score = 100 - total;
        if (previous.length == 0) {
            h.trend = Double.NaN;
            h.trendDirection = "stable";
        } else {
            double mean = 0;
            for (double v : previous) {
                mean += v / previous.length;
            }
            h.trend = h.score - mean;
            h.trendDirection = h.trend > TREND_POINTS ? "improving" : h.trend < -TREND_POINTS ? "degrading" : "stable";
        }
        return h;
    }

    /** The last up to three scores with {@code score} appended, oldest first. */
    static double[] remember(double[] previous, double score) {
        int keep = Math.min(previous.length, 2);
        double[] out = new double[keep + 1];
        System.arraycopy(previous, previous.length - keep, out, 0, keep);
        out[keep] = score;
        return out;
    }
}
