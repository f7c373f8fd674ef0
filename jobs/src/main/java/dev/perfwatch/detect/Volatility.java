package dev.perfwatch.detect;

import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.config.Direction;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.util.Collector;

import java.util.Arrays;
import java.util.Locale;

/**
 * The volatility rule's state for one series ({@code anomaly:volatility}): a series that became erratic. Its jitter
 * over an hour is the median of the absolute changes of the statistic from one window to the next within that hour
 * (windows less than an hour apart; the hour's first window's change from the one before), relative to the level:
 * the mean magnitude of the hour's values, or of the last days' if that is higher. A spike moves two of an hour's
 * changes and a step one, so neither moves the median; values that swing about where they used to sit do. Relative
 * to the level, a series whose noise grows with it (a service busier on weekdays than at weekends) is not erratic
 * for being busier, nor one whose level falls with its noise unchanged. When an hour is over (the first window of a
 * later hour arrives) and held at least {@code min-changes} changes, its jitter is judged against the most any hour
 * of the {@code days} days before this one had (calendar days, UTC: the bound is fixed for the day, so an hour a
 * little under it does not raise it for the more erratic hours after it): more than {@code factor} times that is
 * anomalous, once the days before this one hold {@code min-history} of the series. One alert per excursion: it fires
 * on the first such hour, is judged against the bound it started with (its own hours would raise it), and is over
 * once {@code settle-hours} judged hours in a row are within that bound, or after {@code days} days (the new normal).
 * An hour whose windows hold under half the samples the days' windows held (a scrape interval made longer: window
 * means of fewer samples swing more) is recorded, not judged. The hour's values and the window before it are read from
 * the anomaly scores' ring of recent windows (an hour of more windows than the ring holds, {@code baseline-windows},
 * is judged on its last ones), so the rule keeps no values of its own: per day of the last {@code days} + 1, the
 * highest jitter, the level's sum and the windows' and samples' counts (a Flink POJO in the anomaly scores' state, whose
 * checkpoint size per series {@code ./perfwatch bench --state} prints).
 */
public class Volatility {

    static final String RULE = "anomaly:volatility";
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;

    /** The open hour (its start), its first window's change from the window before it (NaN: none), its windows, and the sum of their values' magnitudes. */
    public long hour = Long.MIN_VALUE;
    public double firstChange = Double.NaN;
    public int hourWindows;
    /** The samples the open hour's windows hold. */
    public long hourSamples;
    public double hourLevelSum;
    /**
     * Per day of the last days, a ring by day number up to {@code newestDay}: the highest relative jitter of its hours,
     * and the sum of its values' magnitudes and how many (the days' level).
     */
    public float[] dayMax;
    public float[] dayLevelSum;
    public int[] dayValues;
    /** Per day: the samples its windows held (with dayValues, how many samples a window holds). */
    public int[] daySamples;
    public long newestDay = Long.MIN_VALUE;
    /** The start of the first hour judged (MIN_VALUE: none yet). */
    public long firstHour = Long.MIN_VALUE;
    public AlertState rule = new AlertState();
    /** The highest jitter of the current excursion, and the bound it started with (NaN: none under way). */
    public double peak;
    public double excursionBound = Double.NaN;

    /**
     * Takes a window's statistic {@code x}, before the anomaly scores' ring of recent windows ({@code s.values}) takes
     * it: the ring's newest value is the previous window's, {@code s.lastEnd} its end. When the window starts a later
     * hour, the hour before is judged first, on its windows' values in the ring (its alert, if any, at this window's end).
     */
    void add(AlertsConfig.Volatility cfg, WindowSummary w, double x, AnomalyScores.SeriesState s, Collector<AlertCandidate> out) {
        long h = Math.floorDiv(w.windowStart, HOUR) * HOUR;
        if (hour != Long.MIN_VALUE && h > hour) {
            close(cfg, w, s, out);
        }
        if (hour != h) {
            hour = h;
            hourWindows = 0;
            hourSamples = 0;
            hourLevelSum = 0;
            firstChange = s.size > 0 && w.windowStart - s.lastEnd < HOUR ? Math.abs(x - back(s, 0)) : Double.NaN;
        }
        hourWindows++;
        hourSamples += w.count;
        if (Double.isFinite(x)) {
            hourLevelSum += Math.abs(x);
            int i = slot(Math.floorDiv(w.windowStart, DAY), cfg.days);
            if (i >= 0) {
                dayLevelSum[i] += (float) Math.abs(x);
                dayValues[i]++;
                daySamples[i] = (int) Math.min(Integer.MAX_VALUE, (long) daySamples[i] + w.count);
            }
        }
    }

    /** The ring's i-th value back from its newest (0: the newest). */
    private static double back(AnomalyScores.SeriesState s, int i) {
        return s.values[Math.floorMod(s.next - 1 - i, s.values.length)];
    }

    /** Judges the open hour (when it holds enough changes) and records its jitter. */
    private void close(AlertsConfig.Volatility cfg, WindowSummary w, AnomalyScores.SeriesState s, Collector<AlertCandidate> out) {
        // The hour's windows are the ring's newest hourWindows (fewer when the ring holds less): their changes from one
        // to the next, and the first window's change from the window before the hour.
        int n = Math.min(hourWindows, s.size);
        double[] changes = new double[n];
        int count = 0;
        if (n == hourWindows && Double.isFinite(firstChange)) {
            changes[count++] = firstChange;
        }
        for (int i = n - 2; i >= 0; i--) {
            double c = Math.abs(back(s, i) - back(s, i + 1));
            if (Double.isFinite(c)) {
                changes[count++] = c;
            }
        }
        double levelSum = hourLevelSum;
        int windows = hourWindows;
        long samples = hourSamples;
        hourWindows = 0;
        if (count < cfg.minChanges) {
            return;
        }
        Arrays.sort(changes, 0, count);
        double change = count % 2 == 1 ? changes[count / 2] : (changes[count / 2 - 1] + changes[count / 2]) / 2;
        int changesJudged = count;
        // Relative to the level: the hour's (a series whose noise grows with its level, busier on weekdays than at
        // weekends, is not erratic for being busier) or the days' if higher (a level that falls with its noise
        // unchanged is not erratic either).
        long day = Math.floorDiv(hour, DAY);
        double level = Math.max(windows > 0 ? levelSum / windows : 0, daysLevel(day, cfg.days));
        if (!(level > 0) || !Double.isFinite(level)) {
            return; // a series at 0 (or beyond the double range): nothing to be relative to
        }
        double jitter = change / level;
        double most = most(day, cfg.days);
        if (firstHour == Long.MIN_VALUE) {
            firstHour = hour;
        }
        boolean active = rule.firing; // (with no 'for', a rule that holds fires at once: never pending)
        // An excursion is judged against the bound it started with (its own hours, recorded below, would otherwise
        // raise the bound and end it while it lasts), and for at most `days` days: by then its hours are the days'
        // history, the series' new normal, judged against the bound they give.
        boolean ongoing = active && !Double.isNaN(excursionBound) && w.windowEnd - rule.activeAt < cfg.days * DAY;
        double bound = ongoing ? excursionBound : cfg.factor * most;
        // The history is the days before this one: they must hold min-history of the series (from its first hour), not
        // just the hour before midnight.
        // Window statistics over fewer samples swing more without the series doing so (a scrape interval made longer:
        // a mean of one sample a window where it was of 30): an hour whose windows hold under half the samples the
        // days' windows held is not judged (it is recorded: if the rate stays, it is the new normal).
        double perWindow = (double) samples / windows;
        double daysPerWindow = samplesPerWindow(day, cfg.days);
        boolean comparable = !(daysPerWindow > 0) || perWindow >= daysPerWindow / 2;
        boolean judged = ongoing || comparable && most > 0 && day * DAY - firstHour >= cfg.minHistory.toMillis();
        boolean holds = judged && jitter > bound;
        int today = slot(day, cfg.days);
        if (today >= 0) {
            dayMax[today] = Math.max(dayMax[today], (float) jitter);
        }
        if (!holds && !rule.firing) {
            excursionBound = Double.NaN;
            return;
        }
        peak = active ? Math.max(peak, jitter) : jitter;
        if (!active) {
            excursionBound = bound;
        }
        long hourStart = hour;
        double peakNow = peak;
        double mostBefore = bound / cfg.factor;
        rule.evaluateExcursion(holds, jitter, w.windowEnd, 0, cfg.settleHours, Direction.HIGHER_IS_WORSE, new AlertState.Listener() {
            @Override
            public void fired(AlertState r) {
                Evidence evidence = new Evidence()
                        .put("why", String.format(Locale.ROOT,
                                "the series has become erratic: over the hour from %s its value changed by %s from one window to the"
                                        + " next (the median of %d changes), %s of its level %s, %.1f times the most of any hour in the %d"
                                        + " days before this one (%s of the level)",
                                java.time.Instant.ofEpochMilli(hourStart), number(change), changesJudged, percent(jitter), number(level),
                                jitter / mostBefore, cfg.days, percent(mostBefore)))
                        .time("hour_start", hourStart)
                        .put("median_change", change)
                        .put("changes", (long) changesJudged)
                        .put("level", level)
                        .put("relative_change", jitter)
                        .put("most_in_days", mostBefore)
                        .put("days", (long) cfg.days)
                        .put("factor", cfg.factor)
                        .put("ratio", jitter / mostBefore);
                out.collect(new AlertCandidate(RULE, AlertKind.ANOMALY, Severity.WARNING, AlertStatus.FIRING,
                        w.component, w.metric, jitter, bound, w.windowEnd, r.activeAt, evidence));
            }

            @Override
            public void cleared(AlertState r) {
                excursionBound = Double.NaN;
                out.collect(new AlertCandidate(RULE, AlertKind.ANOMALY, Severity.WARNING, AlertStatus.CLEARED,
                        w.component, w.metric, jitter, bound, w.windowEnd, r.activeAt,
                        new Evidence().put("median_change", change).put("relative_change", jitter).put("peak_relative_change", peakNow)
                                .put("bound", bound).put("settle_hours", (long) cfg.settleHours)));
            }
        });
    }

    /**
     * The highest relative jitter of the {@code days} days before {@code day} (0 when none is held): a bound fixed for
     * the day, so an hour a little under it does not raise it for the more erratic hours after it.
     */
    double most(long day, int days) {
        double most = 0;
        for (long d = day - days; d < day; d++) {
            int i = held(d);
            if (i >= 0) {
                most = Math.max(most, dayMax[i]);
            }
        }
        return most;
    }

    /** The mean magnitude of the values of the days {@code day - days} to {@code day} (0 when none is held). */
    double daysLevel(long day, int days) {
        double sum = 0;
        long n = 0;
        for (long d = day - days; d <= day; d++) {
            int i = held(d);
            if (i >= 0) {
                sum += dayLevelSum[i];
                n += dayValues[i];
            }
        }
        return n > 0 ? sum / n : 0;
    }

    /** The samples a window held over the {@code days} days before {@code day} (0 when none is held). */
    double samplesPerWindow(long day, int days) {
        long samples = 0;
        long windows = 0;
        for (long d = day - days; d < day; d++) {
            int i = held(d);
            if (i >= 0 && daySamples != null) {
                samples += daySamples[i];
                windows += dayValues[i];
            }
        }
        return windows > 0 ? (double) samples / windows : 0;
    }

    /** The ring's slot of {@code day} if it holds that day, else -1. */
    private int held(long day) {
        if (dayMax == null || day > newestDay || day <= newestDay - dayMax.length) {
            return -1;
        }
        return (int) Math.floorMod(day, (long) dayMax.length);
    }

    /** The ring's slot of {@code day}, the days after the newest emptied first; -1 for a day older than the ring. */
    private int slot(long day, int days) {
        if (dayMax == null || dayMax.length != days + 1 || daySamples == null) {
            dayMax = new float[days + 1];
            dayLevelSum = new float[days + 1];
            dayValues = new int[days + 1];
            daySamples = new int[days + 1];
            newestDay = day;
        }
        if (day > newestDay) {
            for (long d = Math.max(newestDay + 1, day - dayMax.length + 1); d <= day; d++) {
                int i = (int) Math.floorMod(d, (long) dayMax.length);
                dayMax[i] = 0;
                dayLevelSum[i] = 0;
                dayValues[i] = 0;
                daySamples[i] = 0;
            }
            newestDay = day;
        }
        return held(day);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.3g%%", 100 * share);
    }


    private static String number(double v) {
        return AnomalyScores.number(v);
    }
}
