package dev.perfwatch.demo;

import dev.perfwatch.model.MetricKind;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.SourceLine;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic metrics for seven services (web, api, search, database, document-processor, cache, auth) and
 * every known metric: a daily load shape, per-metric noise (log-normal, heavy-tailed latencies), and
 * injected scenarios with known start times. Record {@code i} is a pure function of the seed and
 * {@code i}, so any subset can be generated in parallel and the same seed always gives the same data.
 * Record order: tick by tick, every series once per tick.
 */
public final class DemoGenerator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long seed;
    private final long startMillis;
    private final long intervalMillis;
    private final long ticks;
    private final double badRatio;
    private final List<Series> series;
    private final List<Scenario> scenarios;

    public DemoGenerator(long seed, Instant start, Duration duration, Duration interval, double badRatio) {
        if (interval.toMillis() <= 0 || duration.toMillis() < interval.toMillis()) {
            throw new IllegalArgumentException("need 0 < interval <= duration, got interval " + interval + " and duration " + duration);
        }
        if (badRatio < 0 || badRatio > 1) {
            throw new IllegalArgumentException("bad-record ratio must be in [0, 1], got " + badRatio);
        }
        this.seed = seed;
        this.startMillis = start.toEpochMilli();
        this.intervalMillis = interval.toMillis();
        this.ticks = duration.toMillis() / interval.toMillis();
        this.badRatio = badRatio;
        this.series = defineSeries();
        this.scenarios = defineScenarios(startMillis, duration.toMillis());
    }

    /** Two hours at 2 s spacing from 2026-11-26T08:00Z with one record in a thousand malformed. */
    public static DemoGenerator standard(long seed) {
        return new DemoGenerator(seed, Instant.parse("2026-11-26T08:00:00Z"), Duration.ofHours(2), Duration.ofSeconds(2), 0.001);
    }

    public long count() {
        return ticks * series.size();
    }

    public int seriesCount() {
        return series.size();
    }

    public List<Scenario> scenarios() {
        return Collections.unmodifiableList(scenarios);
    }

    public List<String> components() {
        List<String> names = new ArrayList<>();
        for (Series s : series) {
            if (!names.contains(s.component)) {
                names.add(s.component);
            }
        }
        return names;
    }

    public long startMillis() {
        return startMillis;
    }

    public long endMillis() {
        return startMillis + ticks * intervalMillis;
    }

    /** Whether record {@code index} is deliberately malformed (the demo of dead letters). */
    public boolean isBad(long index) {
        long key = randomKey(index);
        return badRatio > 0 && unit(mix(seed * 0x9E3779B97F4A7C15L + key * 0xBF58476D1CE4E5B9L + 7)) < badRatio;
    }

    /** The series the demo first had; later ones are appended, so these keep the data they always had. */
    private static final int FIRST_SERIES = 30;

    /**
     * The key of record {@code index}'s random draws: for the first 30 series the record index they had
     * when the demo had only them (so adding series leaves their data as it was), negative for the rest.
     */
    private long randomKey(long index) {
        int n = series.size();
        long tick = index / n;
        int s = (int) (index % n);
        return s < FIRST_SERIES ? tick * FIRST_SERIES + s : -(tick * n + s) - 1;
    }

    /** The clean sample at {@code index}, whether or not the line for it is malformed. */
    public MetricSample sample(long index) {
        Series s = series.get((int) (index % series.size()));
        long tick = index / series.size();
        long t = startMillis + tick * intervalMillis;
        SplittableRandom rnd = new SplittableRandom(mix(seed ^ (randomKey(index) * 0x9E3779B97F4A7C15L)));
        MetricSample m = new MetricSample(t, s.metric, s.component, round(value(s, t, rnd)));
        m.host = s.component + "-" + (1 + tick % 2);
        m.unit = MetricKind.of(s.metric).unit().canonical();
        m.origin = "generator";
        m.line = index + 1;
        return m;
    }

    /** The line for record {@code index}, as a source would read it. */
    public SourceLine line(long index) {
        MetricSample m = sample(index);
        String text = isBad(index) ? badLine(m, randomKey(index)) : toJson(m);
        return SourceLine.json("generator", index + 1, text);
    }

    public static String toJson(MetricSample m) {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"timestamp\":\"").append(dev.perfwatch.model.Timestamps.iso(m.timestamp))
                .append("\",\"metric\":\"").append(m.metric)
                .append("\",\"value\":").append(m.value)
                .append(",\"component\":\"").append(m.component).append('"');
        if (m.host != null) {
            b.append(",\"host\":\"").append(m.host).append('"');
        }
        if (m.unit != null) {
            b.append(",\"unit\":\"").append(m.unit).append('"');
        }
        return b.append('}').toString();
    }

    private static String badLine(MetricSample m, long key) {
        String good = toJson(m);
        switch ((int) Math.floorMod(key, 5L)) {
            case 0: return good.substring(0, good.length() / 2);
            case 1: return good.replace(",\"component\":\"" + m.component + "\"", "");
            case 2: return good.replace("\"value\":" + m.value, "\"value\":\"" + m.value + "\"");
            case 3: return good.replace(dev.perfwatch.model.Timestamps.iso(m.timestamp), "yesterday");
            default: return good.replace("\"value\":" + m.value, "\"value\":-" + (m.value + 1));
        }
    }

    private double value(Series s, long t, SplittableRandom rnd) {
        double hourOfDay = ((t / 3_600_000.0) % 24 + 24) % 24;
        double daily = 1 + s.dailyAmplitude * Math.sin(2 * Math.PI * (hourOfDay - 9) / 24);
        double v;
        switch (s.noise) {
            case LOGNORMAL:
                v = s.base * daily * Math.exp(s.spread * rnd.nextGaussian());
                if (rnd.nextDouble() < 0.005) {
                    v *= 3 + 5 * rnd.nextDouble(); // heavy tail: the odd very slow request
                }
                break;
            case NORMAL:
            default:
                v = s.base * daily + s.spread * rnd.nextGaussian();
                break;
        }
        for (Scenario sc : scenarios) {
            if (sc.component.equals(s.component) && sc.metric.equals(s.metric) && sc.activeAt(t)) {
                v = inject(sc, v, t, rnd);
            }
        }
        MetricKind.Unit unit = MetricKind.of(s.metric).unit();
        return Math.max(unit.min(), Math.min(unit.max(), v));
    }

    private double inject(Scenario sc, double v, long t, SplittableRandom rnd) {
        double progress = (t - sc.startMillis) / (double) (endMillis() - sc.startMillis);
        switch (sc.name) {
            case "response-time-degradation":
                return v * (1 + 1.5 * progress);
            case "response-time-degradation-db":
                return v * (1 + 3 * progress);
            case "memory-leak":
                return v + 40 * progress;
            case "cpu-spike-1":
            case "cpu-spike-2":
                return 92 + 2 * rnd.nextGaussian();
            case "cpu-spike-1-latency":
            case "cpu-spike-2-latency":
                return v * 5;
            case "slow-database-queries":
                return v * 3;
            case "queue-backlog":
                return v + 3000 * progress;
            case "queue-backlog-processing":
                return v * (1 + 1.2 * progress);
            case "cache-hit-rate-drop":
                return v - 0.37;
            default:
                return v;
        }
    }

    private static List<Scenario> defineScenarios(long start, long duration) {
        List<Scenario> list = new ArrayList<>();
        long minute = 60_000;
        list.add(new Scenario("memory-leak", "document-processor", "memory_usage", Scenario.Kind.LEAK,
                at(start, duration, 0.25), Long.MAX_VALUE, "memory grows steadily, +40 points by the end"));
        list.add(new Scenario("response-time-degradation", "api", "response_time", Scenario.Kind.GRADUAL,
                at(start, duration, 0.35), Long.MAX_VALUE, "response time ramps up to 2.5x by the end"));
        list.add(new Scenario("response-time-degradation-db", "api", "database_query_time", Scenario.Kind.GRADUAL,
                at(start, duration, 0.35), Long.MAX_VALUE, "its database queries ramp up to 4x, most of the response time"));
        long spike1 = at(start, duration, 0.45);
        list.add(new Scenario("cpu-spike-1", "web", "cpu_usage", Scenario.Kind.SPIKE,
                spike1, spike1 + 3 * minute, "CPU pinned near 92% for 3 minutes"));
        list.add(new Scenario("cpu-spike-1-latency", "web", "response_time", Scenario.Kind.SPIKE,
                spike1 + minute, spike1 + 3 * minute, "responses 5x slower while the CPU is saturated"));
        list.add(new Scenario("slow-database-queries", "database", "database_query_time", Scenario.Kind.STEP,
                at(start, duration, 0.50), Long.MAX_VALUE, "queries 3x slower from one moment on"));
        list.add(new Scenario("queue-backlog", "document-processor", "queue_depth", Scenario.Kind.BACKLOG,
                at(start, duration, 0.60), Long.MAX_VALUE, "queue grows by ~3000 messages"));
        list.add(new Scenario("queue-backlog-processing", "document-processor", "document_processing_time", Scenario.Kind.GRADUAL,
                at(start, duration, 0.60), Long.MAX_VALUE, "processing slows down as the backlog grows"));
        list.add(new Scenario("cache-hit-rate-drop", "cache", "cache_hit_rate", Scenario.Kind.STEP,
                at(start, duration, 0.65), Long.MAX_VALUE, "hit rate falls from 0.92 to 0.55"));
        long spike2 = at(start, duration, 0.70);
        list.add(new Scenario("cpu-spike-2", "web", "cpu_usage", Scenario.Kind.SPIKE,
                spike2, spike2 + 3 * minute, "CPU pinned near 92% for 3 minutes"));
        list.add(new Scenario("cpu-spike-2-latency", "web", "response_time", Scenario.Kind.SPIKE,
                spike2 + minute, spike2 + 3 * minute, "responses 5x slower while the CPU is saturated"));
        return list;
    }

    private static long at(long start, long duration, double fraction) {
        long t = start + (long) (duration * fraction);
        return t - Math.floorMod(t, 60_000L); // on a minute boundary, so windows line up with it
    }

    private enum Noise { NORMAL, LOGNORMAL }

    private static final class Series implements Serializable {
        private static final long serialVersionUID = 1L;
        final String component;
        final String metric;
        final double base;
        final double spread;
        final Noise noise;
        final double dailyAmplitude;

        Series(String component, String metric, double base, double spread, Noise noise, double dailyAmplitude) {
            this.component = component;
            this.metric = metric;
            this.base = base;
            this.spread = spread;
            this.noise = noise;
            this.dailyAmplitude = dailyAmplitude;
        }
    }

    private static List<Series> defineSeries() {
        List<Series> s = new ArrayList<>();
        Noise n = Noise.NORMAL;
        Noise ln = Noise.LOGNORMAL;
        // component, metric, base, spread (sd, or log-sd), noise, daily amplitude
        s.add(new Series("web", "cpu_usage", 45, 4, n, 0.15));
        s.add(new Series("web", "memory_usage", 55, 1.5, n, 0.02));
        s.add(new Series("web", "response_time", 120, 0.25, ln, 0.10));
        s.add(new Series("web", "error_rate", 0.004, 0.001, n, 0.0));
        s.add(new Series("web", "network_io", 2.0e7, 0.2, ln, 0.15));
        s.add(new Series("api", "cpu_usage", 40, 4, n, 0.15));
        s.add(new Series("api", "memory_usage", 60, 1.5, n, 0.02));
        s.add(new Series("api", "response_time", 180, 0.25, ln, 0.10));
        s.add(new Series("api", "error_rate", 0.003, 0.001, n, 0.0));
        s.add(new Series("api", "gc_time", 25, 0.3, ln, 0.05));
        s.add(new Series("search", "cpu_usage", 50, 4, n, 0.15));
        s.add(new Series("search", "memory_usage", 65, 1.5, n, 0.02));
        s.add(new Series("search", "search_response_time", 90, 0.3, ln, 0.10));
        s.add(new Series("search", "disk_io", 3.0e7, 0.3, ln, 0.10));
        s.add(new Series("search", "gc_time", 30, 0.3, ln, 0.05));
        s.add(new Series("database", "cpu_usage", 35, 3, n, 0.15));
        s.add(new Series("database", "memory_usage", 70, 1.0, n, 0.01));
        s.add(new Series("database", "database_query_time", 25, 0.3, ln, 0.10));
        s.add(new Series("database", "disk_io", 5.0e7, 0.3, ln, 0.10));
        s.add(new Series("database", "network_io", 1.5e7, 0.2, ln, 0.10));
        s.add(new Series("document-processor", "cpu_usage", 55, 5, n, 0.10));
        s.add(new Series("document-processor", "memory_usage", 45, 1.0, n, 0.0));
        s.add(new Series("document-processor", "document_processing_time", 800, 0.25, ln, 0.05));
        s.add(new Series("document-processor", "queue_depth", 20, 5, n, 0.10));
        s.add(new Series("document-processor", "disk_io", 2.0e7, 0.3, ln, 0.10));
        s.add(new Series("cache", "cpu_usage", 20, 2, n, 0.10));
        s.add(new Series("cache", "memory_usage", 75, 0.5, n, 0.0));
        s.add(new Series("cache", "cache_hit_rate", 0.92, 0.01, n, 0.0));
        s.add(new Series("cache", "response_time", 2.0, 0.2, ln, 0.05));
        s.add(new Series("cache", "network_io", 3.0e7, 0.2, ln, 0.10));
        // Added later (FIRST_SERIES keeps the ones above as they were):
        s.add(new Series("api", "database_query_time", 60, 0.3, ln, 0.10));
        s.add(new Series("auth", "cpu_usage", 30, 3, n, 0.10));
        s.add(new Series("auth", "memory_usage", 50, 1.0, n, 0.01));
        s.add(new Series("auth", "response_time", 40, 0.2, ln, 0.10));
        s.add(new Series("auth", "error_rate", 0.002, 0.0005, n, 0.0));
        return s;
    }

    private static double round(double v) {
        double scale = Math.abs(v) >= 1000 ? 1 : Math.abs(v) >= 1 ? 1000 : 1e6;
        return Math.round(v * scale) / scale;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
