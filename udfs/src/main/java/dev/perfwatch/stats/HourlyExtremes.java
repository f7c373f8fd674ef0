package dev.perfwatch.stats;

import java.util.Arrays;

/**
 * The highest and the lowest value of each of the last 27 hours (event time) of one series, so that a rule
 * can ask whether a level is new: whether the series held it in the day before a time and came back from it
 * on its own. A memory sawtooth (the heap filling between collections) or a daily load rises as a leak does
 * for an hour; only its history tells the two apart. The day before a time up to 3 hours before the newest
 * value is held whole, so it takes in the same time yesterday of a trend that started up to then (a nightly
 * job's burst). Keyed state (a Flink POJO) of 2 x 27 doubles.
 */
public class HourlyExtremes {
    /** The hours asked about: the day before a time. */
    public static final int HOURS = 24;
    /** The hours held: a day and the 3 before the newest value. */
    public static final int SLOTS = HOURS + 3;
    private static final long HOUR = 3_600_000L;

    /** Per hour slot (epoch hour modulo {@link #SLOTS}): the highest and lowest value added, NaN for none. */
    public double[] highs;
    public double[] lows;
    /** The newest hour added to (epoch hours); {@code Long.MIN_VALUE} before the first value. */
    public long newestHour = Long.MIN_VALUE;

    public HourlyExtremes() {}

    public static HourlyExtremes create() {
        HourlyExtremes e = new HourlyExtremes();
        e.highs = new double[SLOTS];
        e.lows = new double[SLOTS];
        Arrays.fill(e.highs, Double.NaN);
        Arrays.fill(e.lows, Double.NaN);
        return e;
    }

    /** Adds a value at {@code time} (ms); a value of an hour no longer held ({@link #SLOTS} before the newest) is ignored, as is NaN. */
    public void add(long time, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        long h = Math.floorDiv(time, HOUR);
        if (newestHour == Long.MIN_VALUE || h > newestHour) {
            long from = newestHour == Long.MIN_VALUE ? h - SLOTS + 1 : Math.max(newestHour + 1, h - SLOTS + 1);
            for (long k = from; k <= h; k++) {
                highs[slot(k)] = Double.NaN;
                lows[slot(k)] = Double.NaN;
            }
            newestHour = h;
        } else if (h <= newestHour - SLOTS) {
            return;
        }
        int s = slot(h);
        highs[s] = Double.isNaN(highs[s]) ? value : Math.max(highs[s], value);
        lows[s] = Double.isNaN(lows[s]) ? value : Math.min(lows[s], value);
    }

    /** The highest value of the hours that ended by {@code time}, within the day before it (as far as held); NaN when none is. */
    public double highBefore(long time) {
        return before(time, true);
    }

    /** The lowest value of the hours that ended by {@code time}, within the day before it (as far as held); NaN when none is. */
    public double lowBefore(long time) {
        return before(time, false);
    }

    /**
     * Whether a trend's level now is within the range a series held, not somewhere new: not beyond {@code held} (the
     * worst it held, from {@link #highBefore} or {@link #lowBefore}) by more than the trend moves in one window, while
     * {@code held} was short of the warning level (a series that came back from its warning level or beyond, say a
     * process restarted as it ran out of memory, is not excused by having been there). The level now is the less
     * worse of the newest window's mean and the trend's fitted value there less two of its standard errors: either
     * alone passes the highest of a few hours' noisy means by chance, and the fit alone runs past a step. A window's
     * mean near a peak depends on where the window falls on it, by up to one window's move. False without a held value.
     *
     * @param sign 1 when higher is worse, -1 when lower is worse
     * @param slopePerHour the trend's slope; {@code windowHours} the window's length
     * @param warning the warning level, NaN for none
     */
    public static boolean withinHeld(double held, double windowMean, double fitted, double fittedStdErr, double slopePerHour,
            double windowHours, double sign, double warning) {
        double fittedLow = fitted - sign * 2 * (Double.isNaN(fittedStdErr) ? 0 : fittedStdErr);
        double now = sign * Math.min(sign * fittedLow, sign * windowMean);
        double oneWindow = Math.max(0, sign * slopePerHour) * windowHours;
        if (!(sign * (now - held) <= oneWindow)) {
            return false;
        }
        return !(sign * (held - warning) >= 0);
    }

    private double before(long time, boolean high) {
        if (newestHour == Long.MIN_VALUE) {
            return Double.NaN;
        }
        long last = Math.min(Math.floorDiv(time, HOUR) - 1, newestHour);
        long first = Math.max(Math.floorDiv(time, HOUR) - HOURS, newestHour - SLOTS + 1);
        double out = Double.NaN;
        for (long k = first; k <= last; k++) {
            double v = high ? highs[slot(k)] : lows[slot(k)];
            if (!Double.isNaN(v) && (Double.isNaN(out) || (high ? v > out : v < out))) {
                out = v;
            }
        }
        return out;
    }

    private static int slot(long hour) {
        return (int) Math.floorMod(hour, (long) SLOTS);
    }
}
