package dev.perfwatch.detect;

import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.stats.HourlyExtremes;
import dev.perfwatch.stats.LinearTrend;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} windows of one series (start, end, count, mean) in compact arrays: keyed
 * state of the trend patterns, a few dozen bytes a window. {@link #fresh} counts the windows added since
 * the last match (a pattern skips past its match: the next needs that many new windows).
 */
public class WindowRing {
    public long[] starts;
    public long[] ends;
    public long[] counts;
    public double[] means;
    /** Slot of the next window. */
    public int next;
    public int size;
    /** Windows added since the last match (capped at the capacity). */
    public int fresh;
    /** The highest and lowest window mean of each of the last hours, when the owner keeps them (else null). */
    public HourlyExtremes extremes;
    /** With extremes: the highest mean of the windows that left the ring in the hour {@link #evictedHour} (epoch hours). */
    public double evictedHigh = Double.NaN;
    public long evictedHour = Long.MIN_VALUE;

    public WindowRing() {}

    WindowRing(int capacity) {
        starts = new long[capacity];
        ends = new long[capacity];
        counts = new long[capacity];
        means = new double[capacity];
    }

    void add(WindowSummary w) {
        if (extremes != null && size == starts.length) {
            long hour = Math.floorDiv(starts[next], 3_600_000L);
            evictedHigh = hour == evictedHour ? Math.max(evictedHigh, means[next]) : means[next];
            evictedHour = hour;
        }
        starts[next] = w.windowStart;
        ends[next] = w.windowEnd;
        counts[next] = w.count;
        means[next] = w.mean;
        next = (next + 1) % starts.length;
        size = Math.min(size + 1, starts.length);
        fresh = Math.min(fresh + 1, starts.length);
        if (extremes != null) {
            extremes.add(w.windowStart, w.mean);
        }
    }

    /**
     * The highest mean of the windows before the ring's oldest in the day before it: the whole hours' (from
     * {@link #extremes}) and those that left the ring in the hour it starts in. NaN when there are none.
     */
    double heldHigh() {
        double held = extremes == null ? Double.NaN : extremes.highBefore(oldestStart());
        if (evictedHour == Math.floorDiv(oldestStart(), 3_600_000L) && !(held >= evictedHigh)) {
            held = evictedHigh;
        }
        return held;
    }

    /** The oldest window's start (the ring holds at least one). */
    long oldestStart() {
        return starts[slot(0)];
    }

    /** The newest window's end (the ring holds at least one). */
    long newestEnd() {
        return ends[slot(size - 1)];
    }

    /** True when the ring is full of windows added since the last match. */
    boolean ready() {
        return fresh >= starts.length;
    }

    /** Slot of the i-th window held, oldest first. */
    private int slot(int i) {
        return Math.floorMod(next - size + i, starts.length);
    }

    /** The least-squares trend of the windows' means per hour (hours since the oldest window's start). */
    LinearTrend.Fit trend() {
        return trendMoments().fit();
    }

    /** The same trend's moments, before its fit (whose p-value costs an incomplete beta function). */
    LinearTrend trendMoments() {
        LinearTrend t = new LinearTrend();
        long origin = oldestStart();
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            t.add((starts[s] - origin) / 3_600_000.0, means[s]);
        }
        return t;
    }

    /** The windows held, oldest first, as summaries with start, end, count and mean (for evidence). */
    List<WindowSummary> windows(String component, String metric) {
        List<WindowSummary> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            WindowSummary w = new WindowSummary();
            w.component = component;
            w.metric = metric;
            w.windowStart = starts[s];
            w.windowEnd = ends[s];
            w.count = counts[s];
            w.mean = means[s];
            out.add(w);
        }
        return out;
    }
}
