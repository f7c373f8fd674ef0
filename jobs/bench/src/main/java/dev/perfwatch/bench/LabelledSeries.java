package dev.perfwatch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Labelled synthetic series for measuring regression detection: four metric kinds with realistic
 * noise (log-normal, heavy-tailed latencies; normal CPU and queue depth; a tight hit rate), a daily
 * cycle, and one labelled change each: none (a null series), a step or a ramp of known start and size
 * (5% to 100% of the level, in the worse direction, sustained), or a transient spike. Deterministic for
 * a seed.
 */
public final class LabelledSeries {

    public static final long DAY = 86_400_000L;
    public static final long HOUR = 3_600_000L;
    /** The longest outage a series can have: it ends at least 2 hours into a day at the earliest. */
    public static final long MAX_OUTAGE = DAY - 2 * HOUR;

    /** What was injected. */
    public enum Change { NONE, STEP, RAMP, SPIKE }

    public final int index;
    public final String metric;
    public final Change change;
    /** Relative size of the change (of the level), 0 for none. */
    public final double size;
    public final long start;
    /** When a ramp reaches its full size, or a spike ends. */
    public final long end;
    /** Size over the noise's standard deviation. */
    public final double trueEffect;
    public final long intervalMillis;
    public final long durationMillis;
    private final double base;
    private final double noise;
    private final double amplitude;
    private final double phase;
    private final long seed;
    /**
     * An outage: no samples in [outageEnd - outageMillis, outageEnd) (0: none). It ends as a change begins (the
     * data comes back changed); a null series' is a day before its last day's draw, so the day after it falls
     * on the last day (where the same span a day earlier is missing).
     */
    public final long outageMillis;
    public final long outageEnd;

    private LabelledSeries(int index, long seed, long intervalMillis, long durationMillis, long outageMillis) {
        this.index = index;
        this.outageMillis = outageMillis;
        this.seed = seed;
        this.intervalMillis = intervalMillis;
        this.durationMillis = durationMillis;
        SplittableRandom r = new SplittableRandom(seed);
        String[] metrics = {"response_time", "cpu_usage", "cache_hit_rate", "queue_depth"};
        metric = metrics[index % metrics.length];
        switch (metric) {
            case "response_time": base = 100 + 200 * r.nextDouble(); noise = 0.3; break;       // log-normal sigma
            case "cpu_usage": base = 30 + 30 * r.nextDouble(); noise = 0.05 + 0.1 * r.nextDouble(); break; // sd / level
            case "cache_hit_rate": base = 0.85 + 0.1 * r.nextDouble(); noise = 0.01 + 0.02 * r.nextDouble(); break;
            default: base = 50 + 100 * r.nextDouble(); noise = 0.1 + 0.1 * r.nextDouble(); break;
        }
        amplitude = 0.05 + 0.15 * r.nextDouble();
        phase = r.nextDouble() * 24;
        double u = r.nextDouble();
        double[] sizes = {0.05, 0.1, 0.2, 0.5, 1.0};
        if (u < 0.4) {
            change = Change.NONE;
            size = 0;
            start = Long.MAX_VALUE;
            end = Long.MAX_VALUE;
        } else {
            start = durationMillis - DAY + 2 * HOUR + (long) (r.nextDouble() * 16 * HOUR); // on the last day
            if (u < 0.65) {
                change = Change.STEP;
                size = sizes[r.nextInt(sizes.length)];
                end = start;
            } else if (u < 0.85) {
                change = Change.RAMP;
                size = sizes[r.nextInt(sizes.length)];
                end = start + HOUR + (long) (r.nextDouble() * 2 * HOUR);
            } else {
                change = Change.SPIKE;
                size = 1.0;
                end = start + 10 * 60_000 + (long) (r.nextDouble() * 10 * 60_000);
            }
        }
        double sd = metric.equals("response_time") ? Math.sqrt(Math.exp(noise * noise) - 1) : noise;
        trueEffect = metric.equals("cache_hit_rate") ? 0.3 * size * base / noise : size / sd;
        // (its own draw: the series of a seed are the same with an outage and without)
        outageEnd = change != Change.NONE ? start
                : durationMillis - 2 * DAY + 2 * HOUR + (long) (new SplittableRandom(seed ^ 0x5DEECE66DL).nextDouble() * 16 * HOUR);
    }

    /** Whether sample i falls in the series' outage (it is not sent). */
    public boolean missing(int i) {
        long t = time(i);
        return outageMillis > 0 && t >= outageEnd - outageMillis && t < outageEnd;
    }

    /** {@code count} series, 2 days at 10 s spacing each. */
    public static List<LabelledSeries> generate(int count, long seed) {
        return generate(count, seed, 10_000);
    }

    /** {@code count} series, 2 days at {@code spacingMillis} each (the same changes for a seed whatever the spacing). */
    public static List<LabelledSeries> generate(int count, long seed, long spacingMillis) {
        return generate(count, seed, spacingMillis, 2);
    }

    /**
     * {@code count} series of {@code days} days at {@code spacingMillis} each, the change (if any) on the
     * last day, 2 h to 18 h into it (the same changes for a seed whatever the spacing).
     */
    public static List<LabelledSeries> generate(int count, long seed, long spacingMillis, int days) {
        return generate(count, seed, spacingMillis, days, 0);
    }

    /** As above, each series with an outage of {@code outageMillis} (0: none; see {@link #outageMillis}). */
    public static List<LabelledSeries> generate(int count, long seed, long spacingMillis, int days, long outageMillis) {
        if (outageMillis < 0 || outageMillis > MAX_OUTAGE) {
            throw new IllegalArgumentException("an outage must be between 0 and 22 h, got " + outageMillis + " ms");
        }
        if (spacingMillis <= 0 || spacingMillis > HOUR) {
            throw new IllegalArgumentException("spacing must be between 1 ms and 1 h, got " + spacingMillis + " ms");
        }
        if (days < 2 || days > 14) {
            throw new IllegalArgumentException("days must be between 2 and 14 (a day of baseline before the change day), got " + days);
        }
        List<LabelledSeries> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new LabelledSeries(i, seed * 1_000_003L + i, spacingMillis, days * DAY, outageMillis));
        }
        return out;
    }

    public boolean lowerIsWorse() {
        return metric.equals("cache_hit_rate");
    }

    public int samples() {
        return (int) (durationMillis / intervalMillis);
    }

    public long time(int i) {
        return i * intervalMillis;
    }

    /** The value of sample i. */
    public double value(int i) {
        long t = time(i);
        SplittableRandom r = new SplittableRandom(seed ^ (i * 0x9E3779B97F4A7C15L));
        double daily = 1 + amplitude * Math.sin(2 * Math.PI * ((t / (double) HOUR) + phase) / 24);
        double level = base * daily * (1 + changeFactor(t));
        double v;
        switch (metric) {
            case "response_time":
                v = level * Math.exp(noise * r.nextGaussian() - noise * noise / 2);
                if (r.nextDouble() < 0.005) {
                    v *= 3 + 5 * r.nextDouble();
                }
                return v;
            case "cpu_usage":
                return Math.max(0, Math.min(100, level + noise * base * r.nextGaussian()));
            case "cache_hit_rate":
                // The hit rate's change is a drop of size * (1 - ... ) scaled to stay within 0..1.
                double rate = base * (1 + amplitude * 0.1 * Math.sin(2 * Math.PI * ((t / (double) HOUR) + phase) / 24))
                        - base * size * fraction(t) * 0.3;
                return Math.max(0, Math.min(1, rate + noise * r.nextGaussian()));
            default:
                return Math.max(0, level + noise * base * r.nextGaussian());
        }
    }

    private double changeFactor(long t) {
        return metric.equals("cache_hit_rate") ? 0 : size * fraction(t);
    }

    /** How much of the change is in effect at t, 0..1. */
    private double fraction(long t) {
        switch (change) {
            case STEP: return t >= start ? 1 : 0;
            case RAMP: return t < start ? 0 : t >= end ? 1 : (t - start) / (double) (end - start);
            case SPIKE: return t >= start && t < end ? 1 : 0;
            default: return 0;
        }
    }

    /** The relative change of the level a change causes (the hit rate drops by 0.3 of its size). */
    public double relativeSize() {
        return metric.equals("cache_hit_rate") ? 0.3 * size : size;
    }

    public String expectedType() {
        switch (change) {
            case STEP: return "sudden";
            case RAMP: return "gradual";
            case SPIKE: return "anomaly";
            default: return null;
        }
    }
}
