package dev.perfwatch.analyze;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.BottleneckType;
import dev.perfwatch.model.WindowSummary;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Profiles built for each bottleneck type yield that type and no unrelated one; healthy profiles none. */
class BottleneckRulesTest {

    private static final PerfwatchConfig CONFIG = ConfigLoader.defaults();
    private static final long WINDOW = 5 * 60_000L;
    private static final long T = 100 * WINDOW;

    /** A component under construction: history per metric, then the current window. */
    private static final class Builder {
        final ComponentState state = new ComponentState();
        final ComponentWindow window = new ComponentWindow();

        Builder() {
            state.component = "svc";
            window.component = "svc";
            window.windowStart = T;
            window.windowEnd = T + WINDOW;
        }

        /** {@code means} of the earlier windows (oldest first, ending right before the current one), p95 = mean x spread. */
        Builder history(String metric, double spread, double... means) {
            ComponentState.MetricHistory h = new ComponentState.MetricHistory(CONFIG.analysis.historyWindows);
            for (int i = 0; i < means.length; i++) {
                h.add(T - (means.length - i) * WINDOW, means[i], means[i] * spread, false);
            }
            state.history.put(metric, h);
            return this;
        }

        Builder flat(String metric, double mean, double spread) {
            double[] means = new double[12];
            java.util.Arrays.fill(means, mean);
            for (int i = 0; i < means.length; i++) {
                means[i] = mean * (1 + 0.01 * ((i % 3) - 1)); // a little noise, no trend
            }
            return history(metric, spread, means);
        }

        /** The current window: five one-minute summaries with these means and p95 = mean x spread. */
        Builder now(String metric, double spread, double... minuteMeans) {
            MetricWindow mw = new MetricWindow();
            for (int i = 0; i < minuteMeans.length; i++) {
                WindowSummary w = new WindowSummary();
                w.component = "svc";
                w.metric = metric;
                w.windowStart = T + i * 60_000L;
                w.windowEnd = w.windowStart + 60_000L;
                w.count = 30;
                w.mean = w.p50 = w.min = minuteMeans[i];
                w.p95 = w.p99 = w.max = minuteMeans[i] * spread;
                var t = CONFIG.levels().of("svc", metric);
                mw.add(w, t == null ? null : t.statistic);
            }
            window.metrics.put(metric, mw);
            return this;
        }

        Builder steady(String metric, double mean, double spread) {
            return flat(metric, mean, spread).now(metric, spread, mean, mean, mean, mean, mean);
        }

        Set<BottleneckType> types() {
            return detect().keySet();
        }

        Map<BottleneckType, BottleneckRules.Detection> detect() {
            return BottleneckRules.detect(Profile.of(window, state, CONFIG.levels(), CONFIG.analysis), CONFIG.analysis);
        }
    }

    /** A component doing fine on every metric perfwatch knows. */
    private static Builder healthy() {
        return new Builder()
                .steady("cpu_usage", 40, 1.1).steady("memory_usage", 50, 1.02).steady("response_time", 100, 1.5)
                .steady("database_query_time", 20, 1.5).steady("queue_depth", 10, 1.2).steady("disk_io", 2e7, 1.3)
                .steady("network_io", 2e7, 1.3).steady("cache_hit_rate", 0.93, 1.0).steady("error_rate", 0.002, 1.2)
                .steady("gc_time", 20, 1.5);
    }

    @Test
    void healthyProfilesHaveNoBottleneck() {
        assertEquals(Set.of(), healthy().types());
        assertEquals(Set.of(), new Builder().steady("cpu_usage", 70, 1.1).types(), "only CPU, below its level");
        assertEquals(Set.of(), new Builder().now("response_time", 1.5, 100, 100, 100, 100, 100).types(), "no history at all");
    }

    @Test
    void cpuBound() {
        Builder b = healthy();
        b.now("cpu_usage", 1.05, 60, 91, 93, 92, 60).now("response_time", 1.5, 100, 350, 400, 380, 100);
        var d = b.detect();
        assertEquals(EnumSet.of(BottleneckType.CPU_BOUND), d.keySet());
        assertTrue(d.get(BottleneckType.CPU_BOUND).severity() > 0.5 && d.get(BottleneckType.CPU_BOUND).confidence() >= 0.69,
                d.toString());
        assertTrue(d.get(BottleneckType.CPU_BOUND).rootCause().contains("CPU peaked at 93"), d.toString());
        // Only CPU measured: still CPU-bound, with less confidence than when latency shows the pressure too.
        var alone = new Builder().steady("cpu_usage", 88, 1.05).detect();
        assertEquals(EnumSet.of(BottleneckType.CPU_BOUND), alone.keySet());
        Builder both = healthy();
        both.steady("cpu_usage", 88, 1.05).now("response_time", 1.5, 300, 300, 300, 300, 300);
        var withLatency = both.detect();
        assertEquals(EnumSet.of(BottleneckType.CPU_BOUND), withLatency.keySet());
        assertTrue(alone.get(BottleneckType.CPU_BOUND).confidence() < withLatency.get(BottleneckType.CPU_BOUND).confidence(),
                alone + " vs " + withLatency);
    }

    @Test
    void memoryBoundAtItsLevelAndAsALeak() {
        Builder level = healthy();
        level.steady("memory_usage", 88, 1.01);
        assertEquals(EnumSet.of(BottleneckType.MEMORY_BOUND), level.types());

        Builder leak = healthy();
        leak.history("memory_usage", 1.01, 45, 45.5, 45, 46, 48, 50, 52, 54, 56).now("memory_usage", 1.01, 57, 58, 58, 59, 60);
        var d = leak.detect();
        assertEquals(EnumSet.of(BottleneckType.MEMORY_BOUND), d.keySet(), "a leak below the warning level, no forecast yet");
        assertTrue(d.get(BottleneckType.MEMORY_BOUND).rootCause().contains("rising"), d.toString());
    }

    /**
     * GC taking a growing share of the response time is memory pressure even where no memory metric is
     * measured (or none came in this window): the detection names the metric it rests on, gc_time.
     */
    @Test
    void memoryBoundFromGcPressureAloneNamesTheGcTime() {
        Builder b = new Builder().steady("response_time", 100, 1.5).flat("gc_time", 5, 1.5).now("gc_time", 1.5, 30, 32, 31, 30, 33);
        var d = b.detect();
        assertEquals(EnumSet.of(BottleneckType.MEMORY_BOUND), d.keySet());
        BottleneckRules.Detection m = d.get(BottleneckType.MEMORY_BOUND);
        assertTrue(m.rootCause().startsWith("GC time is 31.2% of response_time"), m.rootCause());
        assertEquals("gc_time", m.evidence().text("metric"));
    }

    @Test
    void ioBound() {
        Builder b = healthy();
        b.steady("disk_io", 1.3e8, 1.2);
        var d = b.detect();
        assertEquals(EnumSet.of(BottleneckType.IO_BOUND), d.keySet());
        assertTrue(d.get(BottleneckType.IO_BOUND).rootCause().startsWith("disk I/O"), d.toString());
        Builder network = new Builder().steady("network_io", 6e8, 1.2);
        assertEquals(EnumSet.of(BottleneckType.IO_BOUND, BottleneckType.RESOURCE_EXHAUSTION), network.types(),
                "network past its critical level is also exhausted");
    }

    @Test
    void databaseWhenQueriesAreSlowAndAreTheTime() {
        Builder b = healthy();
        b.flat("database_query_time", 40, 1.5).now("database_query_time", 1.5, 160, 170, 165, 160, 170)
                .flat("response_time", 100, 1.5).now("response_time", 1.5, 230, 240, 235, 230, 240);
        var d = b.detect();
        assertEquals(EnumSet.of(BottleneckType.DATABASE), d.keySet());
        assertTrue(d.get(BottleneckType.DATABASE).rootCause().startsWith("database time is 70"), d.toString());
        // Queries three times slower, but a tenth of the response time: not the bottleneck.
        Builder small = healthy();
        small.flat("database_query_time", 5, 1.5).now("database_query_time", 1.5, 15, 15, 15, 15, 15);
        assertEquals(Set.of(), small.types());
        // A database component without response times: its own query time is the signal.
        Builder db = new Builder().flat("database_query_time", 25, 1.6).now("database_query_time", 1.6, 75, 75, 75, 75, 75)
                .steady("cpu_usage", 35, 1.1);
        assertEquals(EnumSet.of(BottleneckType.DATABASE), db.types());
    }

    @Test
    void queueBacklog() {
        Builder b = healthy();
        b.history("queue_depth", 1.1, 10, 11, 10, 12, 150, 450, 750, 1050).now("queue_depth", 1.1, 1200, 1260, 1320, 1380, 1440);
        var d = b.detect();
        assertEquals(EnumSet.of(BottleneckType.QUEUE_BACKLOG), d.keySet());
        assertTrue(d.get(BottleneckType.QUEUE_BACKLOG).rootCause().contains("growing"), d.toString());
    }

    @Test
    void resourceExhaustionAtItsLimitOrForecast() {
        Builder touch = healthy();
        touch.flat("cache_hit_rate", 0.92, 1.0).now("cache_hit_rate", 1.0, 0.55, 0.55, 0.54, 0.55, 0.55);
        assertEquals(Set.of(), touch.types(), "one window at the limit is not exhaustion yet");
        Builder cache = healthy();
        cache.history("cache_hit_rate", 1.0, 0.92, 0.92, 0.93, 0.92, 0.92, 0.55).now("cache_hit_rate", 1.0, 0.55, 0.55, 0.54, 0.55, 0.55);
        var d = cache.detect();
        assertEquals(EnumSet.of(BottleneckType.RESOURCE_EXHAUSTION), d.keySet());
        assertTrue(d.get(BottleneckType.RESOURCE_EXHAUSTION).rootCause().contains("cache no longer holds"), d.toString());

        Builder forecast = healthy();
        double[] rising = new double[11];
        for (int i = 0; i < rising.length; i++) {
            rising[i] = 50 + 3 * i;
        }
        forecast.history("memory_usage", 1.01, rising).now("memory_usage", 1.01, 83, 83, 83, 83, 83);
        var f = forecast.detect();
        assertTrue(f.containsKey(BottleneckType.RESOURCE_EXHAUSTION), f.toString());
        assertTrue(f.get(BottleneckType.RESOURCE_EXHAUSTION).rootCause().startsWith("memory_usage forecast to reach its critical level 95"),
                f.toString());
        assertEquals(EnumSet.of(BottleneckType.RESOURCE_EXHAUSTION, BottleneckType.MEMORY_BOUND), f.keySet(), "and the leak itself");
    }

    @Test
    void otherLevelsAndComponentOverridesAreHonoured() {
        PerfwatchConfig strict = ConfigLoader.load(null, java.util.List.of("components.svc.cpu_usage.warning=50",
                "components.svc.cpu_usage.critical=60"));
        Builder b = new Builder().steady("cpu_usage", 55, 1.05);
        var d = BottleneckRules.detect(Profile.of(b.window, b.state, strict.levels(), strict.analysis), strict.analysis);
        assertEquals(EnumSet.of(BottleneckType.CPU_BOUND), d.keySet(), "55% is past this component's own warning level");
        assertEquals(Set.of(), b.types(), "and not past the default");
    }
}
