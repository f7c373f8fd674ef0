package dev.perfwatch.detect;

import dev.perfwatch.config.Statistic;
import dev.perfwatch.model.WindowSummary;

/** Reads a configured statistic off a window summary. */
public final class Statistics {

    private Statistics() {}

    public static double of(WindowSummary w, Statistic statistic) {
        switch (statistic == null ? Statistic.MEAN : statistic) {
            case P50: return w.p50;
            case P95: return w.p95;
            case P99: return w.p99;
            case MIN: return w.min;
            case MAX: return w.max;
            case MEAN:
            default: return w.mean;
        }
    }
}
