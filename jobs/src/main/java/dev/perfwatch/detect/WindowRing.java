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
    /** The highest and lowest window mean of each of the last 24 hours, when the owner keeps them (else null). */
    public HourlyExtremes extremes;

    public WindowRing() {}

    WindowRing(int capacity) {
        starts = new long[capacity];
        ends = new long[capacity];
        counts = new long[capacity];
        means = new double[capacity];
    }

    void add(WindowSummary w) {
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
        long origin = starts[slot(0)];
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
