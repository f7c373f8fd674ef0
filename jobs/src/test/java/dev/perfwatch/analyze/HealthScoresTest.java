package dev.perfwatch.analyze;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.BottleneckType;
import dev.perfwatch.model.HealthScore;
import dev.perfwatch.model.WindowSummary;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The health score: penalties that sum to 100 - score, whatever happens. */
class HealthScoresTest {

    private static final PerfwatchConfig CONFIG = ConfigLoader.defaults();

    private static Profile profile(String component, Object... metricsAndMeans) {
        ComponentWindow w = new ComponentWindow();
        w.component = component;
        w.windowStart = 0;
        w.windowEnd = 300_000;
        for (int i = 0; i < metricsAndMeans.length; i += 2) {
            String metric = (String) metricsAndMeans[i];
            double mean = (Double) metricsAndMeans[i + 1];
            MetricWindow mw = new MetricWindow();
            WindowSummary s = new WindowSummary();
            s.component = component;
            s.metric = metric;
            s.count = 10;
            s.mean = s.p50 = s.p95 = s.p99 = s.min = s.max = mean;
            var t = CONFIG.levels().of(component, metric);
            mw.add(s, t == null ? null : t.statistic);
            w.metrics.put(metric, mw);
        }
        return Profile.of(w, new ComponentState(), CONFIG.levels(), CONFIG.analysis);
    }

    private static double sum(HealthScore h) {
        double s = 0;
        for (HealthScore.Penalty p : h.breakdown) {
            s += p.points;
        }
        return s;
    }

    @Test
    void aHealthyComponentScoresAHundred() {
        HealthScore h = HealthScores.of(profile("svc", "cpu_usage", 40.0, "response_time", 100.0), Map.of(), new double[0]);
        assertEquals(100.0, h.score);
        assertTrue(h.breakdown.isEmpty());
        assertEquals("stable", h.trendDirection);
    }

    @Test
    void penaltiesSumToWhatWasLost() {
        // CPU halfway between warning (80) and critical (95): level 0.75, weight 20 -> 15 points;
        // error rate beyond critical: 30 points; a database bottleneck of severity 0.5: 10 points.
        Map<BottleneckType, Double> open = new EnumMap<>(BottleneckType.class);
        open.put(BottleneckType.DATABASE, 0.5);
        HealthScore h = HealthScores.of(profile("svc", "cpu_usage", 87.5, "error_rate", 0.2, "memory_usage", 50.0), open,
                new double[] {100, 100, 90});
        assertEquals(100 - 15 - 30 - 10, h.score, 1e-9);
        assertEquals(100 - h.score, sum(h), 1e-12);
        assertEquals(3, h.breakdown.size());
        assertEquals(45 - (290 / 3.0), h.trend, 1e-9);
        assertEquals("degrading", h.trendDirection);
    }

    @Test
    void moreThanAHundredPointsAreScaledSoTheyStillSum() {
        Map<BottleneckType, Double> open = new EnumMap<>(BottleneckType.class);
        for (BottleneckType t : BottleneckType.values()) {
            open.put(t, 1.0);
        }
        HealthScore h = HealthScores.of(profile("svc", "cpu_usage", 99.0, "memory_usage", 99.0, "error_rate", 0.9,
                "response_time", 5000.0, "queue_depth", 9000.0), open, new double[0]);
        assertEquals(0.0, h.score, 1e-9);
        assertEquals(100 - h.score, sum(h), 1e-9);
    }

    /** A p95 over minutes too sparse to hold one is the window's, and the breakdown says so; a mean is its worst minute's. */
    @Test
    void theBreakdownSaysWhichStatisticItRead() {
        HealthScore h = HealthScores.of(profile("svc", "response_time", 600.0, "cpu_usage", 87.5), Map.of(), new double[0]);
        Map<String, String> details = new java.util.TreeMap<>();
        h.breakdown.forEach(p -> details.put(p.source, p.detail));
        assertEquals(Map.of("cpu_usage", "cpu_usage 87.5 in its worst minute (warning 80.0, critical 95.0)",
                "response_time", "response_time 600 over the window (warning 500, critical 1000)"), details);
    }

    @Test
    void theSystemIsTheMeanOfItsComponents() {
        List<HealthScore> components = new ArrayList<>();
        components.add(HealthScores.of(profile("a", "cpu_usage", 40.0), Map.of(), new double[0]));
        components.add(HealthScores.of(profile("b", "error_rate", 0.2), Map.of(), new double[0]));
        HealthScore system = HealthScores.system(components, new double[0]);
        assertEquals(HealthScore.SYSTEM, system.component);
        assertEquals((100 + 70) / 2.0, system.score, 1e-9);
        assertEquals(100 - system.score, sum(system), 1e-12);
        assertEquals("b", system.breakdown.get(0).source);
    }
}
