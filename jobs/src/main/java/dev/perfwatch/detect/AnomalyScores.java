package dev.perfwatch.detect;

import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.config.AlertsConfig.Anomaly;
import dev.perfwatch.config.Direction;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.Scale;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.MetricKind;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.Counters;
import dev.perfwatch.pipeline.JobCounter;
import dev.perfwatch.stats.Moments;
import dev.perfwatch.stats.Robust;

import com.amazon.randomcutforest.RandomCutForest;
import org.apache.commons.math3.special.Erf;
import com.amazon.randomcutforest.returntypes.DiVector;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Scores each window summary of a series against the series' own recent windows:
 * <ul>
 *   <li>robust z: {@code (x - median) / scale} of the configured statistic over the last
 *       {@code baseline-windows} windows, scale = 1.4826 MAD (1.2533 times the mean absolute deviation when
 *       over half the values are one value) floored at the data's resolution and 1% of the median (a flat
 *       baseline: 1e-9 of the value); the score is the z in the metric's worse
 *       direction (0 under {@code min-relative-change}). A metric whose worse direction the configuration
 *       does not give (a custom metric without a {@code direction}) is scored both ways, and the larger
 *       score counts: for such a metric a fall is as much news as a rise. A metric with {@code scale: log}
 *       (durations, byte rates) is scored on the logarithms where a window holds fewer than
 *       {@link #LOG_SCALE_BELOW_SAMPLES} samples ({@link Spread}), its range's margin a factor there;</li>
 *   <li>random cut forest (randomcutforest-core, off by default): the anomaly score of a shingle of the
 *       last {@code shingle-size} windows' (mean, p95, stddev), log-scaled, with the dimension that
 *       contributed most (from the forest's attribution).</li>
 * </ul>
 * A window is anomalous when its z is at least {@code robust-z} and, with a day of history, its value lies
 * beyond the range the series has had over the last {@code range-days} days ({@link HourlyRange}; its ends the
 * values reached on {@code range-reached-days} different days, so one anomaly does not hide the next) by
 * {@code range-margin} of that range and more than a step of the data's resolution; before that, when its score's likelihood under the series' own score
 * distribution ({@link ScoreDistribution}) reaches {@code likelihood} and it lies beyond the range seen so
 * far (the windows after the cold start) by that margin. Once an excursion is under way the range no longer
 * applies (its own values are in it): it lasts while the z holds (and, before a day, the likelihood).
 * With {@code range-days} 0, the likelihood alone at any age (and with a day of history the score is also
 * at most the excess over the worst value within 30 minutes of this time yesterday, {@link DayProfile}).
 * The forest's score is anomalous by its likelihood (and at least {@code rcf.score}). Neither alerts
 * during the cold start (the first {@code cold-start-windows} windows). Each rule is an {@link AlertState}
 * run as an excursion: firing once {@code min-windows} windows in a row are anomalous (its {@code for}) and, for
 * the robust z before a day of history, they hold {@code first-day-samples} samples; cleared once
 * {@code settle-windows} windows in a row are not, with the excursion's peak (one alert per excursion).
 *
 * <p>State per series: the recent values and, with the forest on, features (bounded by baseline-windows),
 * the score distributions, the hourly range of the last days (or, with range-days 0, a two-day profile
 * of 5-minute slots) and the two rules. After {@code alerts.retention} of silence a firing alert clears
 * ("no data"); after {@code forget-after} (7 days) the state is removed and the series starts over, so an
 * outage or an hour missing from an export does not cost a week of learning. The forest of a series is a
 * function of that state alone, so a job restored from a checkpoint or savepoint scores exactly as one that never stopped: with
 * {@code C = max(baseline-windows, rcf.sample-size)} windows of features kept, every {@code C / 2}
 * windows (at window counts that are multiples of it) it is rebuilt, seeded per series, from the
 * features of the {@code C / 2} windows before, then fed each window as it passes. The forests themselves
 * live in memory as a cache of that; after a restore (or on another subtask after rescaling) a series'
 * forest is rebuilt the same way.
 */
public class AnomalyScores extends KeyedProcessFunction<Long, WindowSummary, AlertCandidate> {

    private static final long serialVersionUID = 1L;
    private static final String[] FEATURES = {"mean", "p95", "stddev"};
    static final String ROBUST_Z = "anomaly:robust-z";
    /** The mean absolute deviation of normal noise times this is its sigma. */
    static final double MEAN_AD_TO_SIGMA = Math.sqrt(Math.PI / 2);
    static final String RCF = "anomaly:rcf";
    static final String STUCK = "anomaly:stuck";

    private final Anomaly a;
    private final MetricLevels levels;
    private final Duration retention;
    /** A series silent this long is forgotten: forget-after, at least the retention. */
    private final long forgetMillis;
    private transient ValueState<SeriesState> state;
    private transient Map<Long, Forest> forests;

    /** A series' forest and how many of its windows it has been fed (global window counts). */
    private static final class Forest {
        final RandomCutForest forest;
        final long builtAt;
        long fedUpTo;

        Forest(RandomCutForest forest, long builtAt, long fedUpTo) {
            this.forest = forest;
            this.builtAt = builtAt;
            this.fedUpTo = fedUpTo;
        }
    }
    private transient JobCounter scored;

    public AnomalyScores(Anomaly anomaly, MetricLevels levels, Duration retention) {
        this.a = anomaly;
        this.levels = levels;
        this.retention = retention;
        this.forgetMillis = Math.max(retention.toMillis(), anomaly.forgetAfter.toMillis());
    }

    /** Recent windows of one series, oldest first once full (ring buffers), and the two rules. */
    public static class SeriesState {
        public double[] values;
        /**
         * The ring's values sorted ascending (as {@code Arrays.sort} orders them), kept as the ring changes: a
         * window's median, MAD and resolution need them sorted, and sorting them afresh was a quarter of the
         * operator's time at one sample a minute. A cache of {@link #values}, not written to checkpoints (transient: 0.5
         * KiB a series); null after a restore (or on RocksDB, which reads the state back at each window), or with
         * another ring size: sorted once.
         */
        public transient double[] sortedValues;
        public double[] features;
        public int size;
        public int next;
        public long windowsSeen;
        /** The start of the series' first window (Long.MIN_VALUE in state written before it was kept: not young). */
        public long firstStart = Long.MIN_VALUE;
        /** The first window whose features the ring holds (later than 0 only after a change of its size). */
        public long featuresFrom;
        public AlertState z = new AlertState();
        public AlertState rcf = new AlertState();
        /** The distributions of the two scores (the robust z's starts from a normal series' prior). */
        public ScoreDistribution zScores = ScoreDistribution.halfNormalPrior();
        public ScoreDistribution rcfScores = new ScoreDistribution();
        /** The highest score of the current excursion of each rule. */
        public double zPeak;
        public double rcfPeak;
        /** The worst value per 5 minutes of the last two days (null until the first window). */
        public DayProfile profile;
        /** For a series scored either way (its direction unknown): the lowest value per 5 minutes, as {@link #profile}. */
        public DayProfile lowProfile;
        /** The highest and lowest value per hour of the last {@code range-days} days (null until the first window). */
        public HourlyRange range;
        /** The value of the current run of windows whose samples all equal one value (NaN: none), and the run's first window's start. */
        public double runValue = Double.NaN;
        public long runStart = Long.MIN_VALUE;
        /** The longest run of one value ended so far (from its first window's start to its last one's end), and whether the value has ever changed. */
        public long longestRun;
        public boolean varied;
        public AlertState stuck = new AlertState();
        /** The volatility rule's state (null until the first window with the rule on). */
        public Volatility volatility;
        public long lastEnd;
        public String component;
        public String metric;

        DayProfile seasonal() {
            if (profile == null) {
                profile = new DayProfile();
            }
            return profile;
        }

        DayProfile seasonalLow() {
            if (lowProfile == null) {
                lowProfile = new DayProfile();
            }
            return lowProfile;
        }
    }

    /**
     * The distribution of a score on one series, with a memory of {@code likelihood-windows} windows:
     * running mean, variance and mean square. The likelihood of a score is the probability of a score
     * below it, so one threshold serves a smooth series and a spiky one, whose scores are high all the time.
     */
    public static class ScoreDistribution {
        public double mean;
        public double var;
        public double meanSquare;
        public long n;

        /**
         * The robust z of a normal series, in the worse direction and floored at 0 (max(0, Z)), as if
         * PRIOR_WINDOWS windows of it had been seen (mean square 1/2, mean 1 / sqrt(2 pi), variance
         * 1/2 - 1 / (2 pi)). The series' own scores take over as they come, so the likelihood is usable
         * from the cold start on.
         */
        static ScoreDistribution halfNormalPrior() {
            ScoreDistribution d = new ScoreDistribution();
            d.mean = 1 / Math.sqrt(2 * Math.PI);
            d.var = 0.5 - 1 / (2 * Math.PI);
            d.meanSquare = 0.5;
            d.n = PRIOR_WINDOWS;
            return d;
        }

        /**
         * For a z score floored at 0: the normal probability of a z below x once z is rescaled to the
         * series' own spread of scores (sqrt(2 * mean square), 1 for a normal series). A robust z assumes
         * normal noise; real series have heavier tails and bursts, and their scores say how much heavier.
         */
        double halfNormal(double x) {
            if (n == 0) {
                return 0;
            }
            double spread = Math.sqrt(2 * meanSquare);
            if (!(spread > 0)) {
                return x > 0 ? 1 : 0;
            }
            return 1 - 0.5 * Erf.erfc(x / (spread * Math.sqrt(2)));
        }

        /** For any score (the forest's): the normal probability of a score below x (Numenta's anomaly likelihood). */
        double gaussian(double x) {
            if (n == 0) {
                return 0;
            }
            double sd = Math.sqrt(var);
            if (!(sd > 0)) {
                return x > mean ? 1 : 0;
            }
            return 1 - 0.5 * Erf.erfc((x - mean) / (sd * Math.sqrt(2)));
        }

        void add(double x, int memory) {
            n++;
            double weight = 1.0 / Math.min(n, memory);
            double d = x - mean;
            mean += weight * d;
            var = (1 - weight) * (var + weight * d * d);
            meanSquare += weight * (x * x - meanSquare);
        }
    }

    /**
     * The worst value (largest sign * x) of each 5-minute slot of the last two days, a ring of slots: the
     * seasonal reference of the score, the worst value within 30 minutes of the same time a day earlier.
     */
    public static class DayProfile {
        static final long SLOT = 5 * 60_000L;
        static final int SLOTS_PER_DAY = (int) (RegressionEvaluator.DAY / SLOT);
        static final int RING = 2 * SLOTS_PER_DAY;
        static final int NEAR = 6;

        public float[] worst;
        public long newest = Long.MIN_VALUE;
        public long first = Long.MIN_VALUE;

        void record(long t, double signedValue) {
            long slot = Math.floorDiv(t, SLOT);
            if (worst == null) {
                worst = new float[RING];
                java.util.Arrays.fill(worst, Float.NaN);
                newest = slot;
                first = slot;
            }
            if (slot > newest) {
                clearSlots(newest, slot, worst);
                newest = slot;
            } else if (slot <= newest - RING) {
                return;
            }
            int i = (int) Math.floorMod(slot, RING);
            float v = (float) signedValue;
            worst[i] = Float.isNaN(worst[i]) ? v : Math.max(worst[i], v);
        }

        /** The worst (signed) value within NEAR slots of t a day earlier, or NaN without a full day of history. */
        double worstNear(long t, double sign) {
            long slot = Math.floorDiv(t, SLOT);
            if (worst == null || first > slot - SLOTS_PER_DAY - NEAR) {
                return Double.NaN;
            }
            double best = Double.NaN;
            for (long a = slot - SLOTS_PER_DAY - NEAR; a <= slot - SLOTS_PER_DAY + NEAR; a++) {
                if (a > newest || a <= newest - RING) {
                    continue;
                }
                float v = worst[(int) Math.floorMod(a, RING)];
                if (!Float.isNaN(v) && !(best >= v)) {
                    best = v;
                }
            }
            return best;
        }
    }

    /**
     * Rings of time slots (slot a at index a mod length) moving their newest slot from {@code newest} to
     * {@code slot}: the slots in between, and those reused from a round earlier, are emptied (NaN).
     */
    static void clearSlots(long newest, long slot, float[]... rings) {
        int length = rings[0].length;
        for (long a = newest + 1, end = Math.min(slot, newest + length); a <= end; a++) {
            int i = (int) Math.floorMod(a, length);
            for (float[] ring : rings) {
                ring[i] = Float.NaN;
            }
        }
    }

    /**
     * The highest and lowest value of each hour of the last days (a ring of hourly slots, 1.3 KB a week):
     * the range a series has had, beyond which a value is news whatever its scores have been.
     */
    public static class HourlyRange {
        static final long SLOT = 3_600_000L;
        static final int DAY_SLOTS = 24;

        public float[] high;
        public float[] low;
        public long newest = Long.MIN_VALUE;
        public long first = Long.MIN_VALUE;

        void record(long t, double x, int slots) {
            long slot = Math.floorDiv(t, SLOT);
            if (high == null || high.length != slots) {
                high = new float[slots];
                low = new float[slots];
                java.util.Arrays.fill(high, Float.NaN);
                java.util.Arrays.fill(low, Float.NaN);
                newest = slot;
                first = slot;
            }
            if (slot > newest) {
                clearSlots(newest, slot, high, low);
                if (slot - newest >= slots) {
                    first = slot; // silent for longer than the ring: its history starts again
                }
                newest = slot;
            } else if (slot <= newest - slots) {
                return;
            }
            int i = (int) Math.floorMod(slot, slots);
            float v = (float) x;
            high[i] = Float.isNaN(high[i]) ? v : Math.max(high[i], v);
            low[i] = Float.isNaN(low[i]) ? v : Math.min(low[i], v);
        }

        /** Whether the ring holds a day of history before t (its first hour at least a day before t's). */
        boolean coversADay(long t) {
            return high != null && first <= Math.floorDiv(t, SLOT) - DAY_SLOTS;
        }

        /**
         * The range over the ring's hours, as a window at t sees it (the hours of up to {@code days} days before it),
         * widened by {@code margin} of it; with {@code onLogs} (a metric on the log scale, every value positive) by
         * that share of the range of the logarithms, so a factor beyond the highest value (and below the lowest).
         */
        Range of(long t, int days, double margin, boolean onLogs) {
            return of(t, days, margin, onLogs, 1, 0);
        }

        /**
         * The same, with the range's ends the values the series reached on {@code reachedDays} different days: the
         * highest (lowest) level reachedDays hourly slots each at least half a day from the others reached, wherever a
         * day's boundaries would fall (two bursts 23 hours apart are two days' worth, as they would be on a calendar
         * whose midnight fell between them); once more than reachedDays days hold values (with a return level, once
         * the days not left out are enough to fit it, {@link #RETURN_LEVEL_DAYS}; before that, the highest and lowest of
         * all). One anomaly then does not widen the range for a week: a spike to 99 on a series
         * at 45 hides a later failure at 25 to 66 only if the series went that far on another day too.
         * <p>Each bound is also at least the level the days' extremes reach once in {@code returnDays} days (0: no such
         * bound): a Gumbel distribution fitted by its moments to the days' highest values (on the log scale, their
         * logarithms), the reachedDays - 1 highest left out as the range's end leaves them out, once
         * {@link #RETURN_LEVEL_DAYS} days remain; likewise the lowest. A series whose days' highs vary widely (bursts,
         * a heavy tail) passes the second highest day's high on one day in four of a week; the days themselves say how
         * far past it a day goes by chance.
         */
        Range of(long t, int days, double margin, boolean onLogs, int reachedDays, int returnDays) {
            float hi = Float.NEGATIVE_INFINITY;
            float lo = Float.POSITIVE_INFINITY;
            for (int i = 0; i < high.length; i++) {
                if (!Float.isNaN(high[i])) {
                    hi = Math.max(hi, high[i]);
                    lo = Math.min(lo, low[i]);
                }
            }
            int reached = 1;
            double returnHigh = Double.NaN;
            double returnLow = Double.NaN;
            int groups = high.length / DAY_SLOTS;
            if (reachedDays > 1 && groups > reachedDays) {
                float[] dayHigh = new float[groups];
                float[] dayLow = new float[groups];
                int withValues = 0;
                for (int d = 0; d < groups; d++) {
                    float h = Float.NEGATIVE_INFINITY;
                    float l = Float.POSITIVE_INFINITY;
                    for (int k = 0; k < DAY_SLOTS; k++) {
                        int i = (int) Math.floorMod(newest - (long) d * DAY_SLOTS - k, (long) high.length);
                        if (!Float.isNaN(high[i])) {
                            h = Math.max(h, high[i]);
                            l = Math.min(l, low[i]);
                        }
                    }
                    if (h != Float.NEGATIVE_INFINITY) {
                        dayHigh[withValues] = h;
                        dayLow[withValues] = l;
                        withValues++;
                    }
                }
                // The days not left out of the range's ends, which the return level is fitted to. With the return level
                // on, days are left out only once these are enough to fit it: with fewer the reachedDays-th highest is no
                // end at all (of three days, the second highest is their median, which a new day passes every other
                // day), and the range's ends are the highest and lowest of all.
                int ordinary = withValues - (reachedDays - 1);
                boolean returnLevel = returnDays > 1;
                if (returnLevel ? ordinary >= RETURN_LEVEL_DAYS : withValues > reachedDays) {
                    java.util.Arrays.sort(dayHigh, 0, withValues);
                    java.util.Arrays.sort(dayLow, 0, withValues);
                    hi = dayHigh[withValues - reachedDays];
                    lo = dayLow[reachedDays - 1];
                    // The ends themselves: reached on reachedDays occasions half a day apart or more, wherever the
                    // day's boundaries fall (the days' groups above are for the return level's fit only).
                    float h2 = apart(high, true, reachedDays);
                    float l2 = apart(low, false, reachedDays);
                    hi = Float.isNaN(h2) ? hi : h2;
                    lo = Float.isNaN(l2) ? lo : l2;
                    reached = reachedDays;
                    if (returnLevel) {
                        boolean logs = onLogs && dayLow[0] > 0;
                        double[] highs = new double[ordinary];
                        double[] lows = new double[ordinary];
                        for (int d = 0; d < ordinary; d++) {
                            highs[d] = logs ? Math.log(dayHigh[d]) : dayHigh[d];
                            lows[d] = logs ? -Math.log(dayLow[withValues - 1 - d]) : -dayLow[withValues - 1 - d];
                        }
                        returnHigh = gumbelReturnLevel(highs, returnDays);
                        returnLow = -gumbelReturnLevel(lows, returnDays);
                        if (logs) {
                            returnHigh = Math.exp(returnHigh);
                            returnLow = Math.exp(returnLow);
                        }
                    }
                }
            }
            long hours = Math.min(Math.min((long) days * DAY_SLOTS, high.length), Math.floorDiv(t, SLOT) - first);
            int covered = (int) Math.max(0, hours);
            if (onLogs && lo > 0) {
                double m = margin * (Math.log(hi) - Math.log(lo));
                return new Range(lo, hi, lo * Math.exp(-m), hi * Math.exp(m), covered, reached, returnLow, returnHigh, returnDays);
            }
            double m = margin * ((double) hi - lo);
            return new Range(lo, hi, lo - m, hi + m, covered, reached, returnLow, returnHigh, returnDays);
        }

        /**
         * The highest (lowest) level the series reached in {@code times} hourly slots each at least half a day from the
         * others, or NaN when the ring holds no such slots: the slots from the most extreme down, until those so far
         * hold {@code times} such slots (counted greedily in time order, which finds the most there are).
         */
        private float apart(float[] slots, boolean highs, int times) {
            int n = slots.length;
            Integer[] order = new Integer[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (!Float.isNaN(slots[i])) {
                    order[m++] = i;
                }
            }
            Integer[] o = java.util.Arrays.copyOf(order, m);
            java.util.Arrays.sort(o, (a, b) -> highs ? Float.compare(slots[b], slots[a]) : Float.compare(slots[a], slots[b]));
            boolean[] byAge = new boolean[n]; // slots taken so far, by hours before the newest
            for (int j = 0; j < m; j++) {
                byAge[(int) Math.floorMod(newest - o[j], (long) n)] = true;
                int count = 0;
                int last = Integer.MIN_VALUE / 2;
                for (int age = 0; age < n && count < times; age++) {
                    if (byAge[age] && age - last >= DAY_SLOTS / 2) {
                        count++;
                        last = age;
                    }
                }
                if (count >= times) {
                    return slots[o[j]];
                }
            }
            return Float.NaN;
        }

        /**
         * The level a Gumbel-distributed maximum passes once in {@code returnDays} draws, the distribution fitted to
         * {@code maxima} by its moments (scale sd * sqrt(6) / pi, location mean - Euler's gamma * scale).
         */
        static double gumbelReturnLevel(double[] maxima, int returnDays) {
            Moments m = Moments.of(maxima);
            double mean = m.mean();
            double scale = Math.sqrt(m.sampleVariance()) * Math.sqrt(6) / Math.PI;
            return mean - EULER_GAMMA * scale - scale * Math.log(-Math.log1p(-1.0 / returnDays));
        }
    }

    /**
     * The range of the last hours (lowest, highest), the bounds beyond it that are news (below, above: the
     * range widened by the margin) and the whole hours it covers before t's.
     */
    record Range(double low, double high, double below, double above, int hours, int reachedDays, double returnLow, double returnHigh,
            int returnDays) {

        Range {
            // Each bound at least its return level (NaN: none), never nearer than the range's margin.
            below = returnLow < below ? returnLow : below;
            above = returnHigh > above ? returnHigh : above;
        }

        /** Whether the bound on the side {@code sign} is the days' return level (beyond the range's margin). */
        boolean boundIsReturnLevel(double sign) {
            return sign > 0 ? returnHigh == above : returnLow == below;
        }

        /** Whether x, as the float it would be kept as (a flat series' value is not beyond its own rounding), lies beyond the range by the margin. */
        boolean beyond(double x, double sign) {
            double v = (float) x;
            return sign > 0 ? v > above : v < below;
        }

        /** The same range with each bound at least {@code step} beyond its end. */
        Range atLeastAStepBeyond(double step) {
            return new Range(low, high, Math.min(below, low - step), Math.max(above, high + step), hours, reachedDays, returnLow, returnHigh, returnDays);
        }

        /** How far beyond the range on the side {@code sign} a value must lie to be news. */
        double margin(double sign) {
            return sign > 0 ? above - high : low - below;
        }

        /** A bound as the decimal its float stands for (56.408, not 56.40800094604492), for the evidence. */
        static double decimal(double bound) {
            return Double.parseDouble(Float.toString((float) bound));
        }

        /** "the last 3 days", "the last day", "the last 5 hours" (the hour under way counted), "the last hour". */
        String span() {
            if (hours >= HourlyRange.DAY_SLOTS) {
                int days = hours / HourlyRange.DAY_SLOTS;
                return days == 1 ? "the last day" : "the last " + days + " days";
            }
            return hours == 0 ? "the last hour" : "the last " + (hours + 1) + " hours";
        }
    }

    /**
     * The robust z's distribution starts as this many windows of a normal series (a day of 5-minute
     * windows): a young series' few scores do not move it much, so a ramp in its first hours does not
     * teach it that rising scores are normal; the forest's is used after SCORES_BEFORE_LIKELIHOOD scores.
     */
    static final int PRIOR_WINDOWS = 288;
    /** Days whose extremes the return level is fitted to, at least (a two-parameter fit to fewer is mostly noise). */
    static final int RETURN_LEVEL_DAYS = 3;
    private static final double EULER_GAMMA = 0.5772156649015329;
    static final int SCORES_BEFORE_LIKELIHOOD = 30;
    /** The scale of a flat baseline, relative to the values (their precision: any move off it is a z of up to 1e9). */
    static final double FLAT_SCALE = 1e-9;
    /**
     * A metric on the log scale is scored on logarithms where a window's statistic rests on fewer samples than
     * this: there it has the skew of the samples themselves (a latency's one sample a minute is log-normal),
     * while a median of many samples is close to normal whatever the samples' skew, and compared as it is.
     */
    static final int LOG_SCALE_BELOW_SAMPLES = 20;
    /** The robust scale is at least this share of the baseline median (1%: smaller moves are not news). */
    static final double SCALE_FLOOR = 0.01;

    /**
     * The robust z on the side {@code sign} says is worse, 0 below the practical change; no more than the
     * excess over the worst value near this time yesterday ({@code yesterday}, signed; NaN: none).
     */
    private double score(double x, double median, Spread spread, double robustZ, double sign, double yesterday, boolean ratio) {
        double score = practicalChange(x, median, sign, ratio) >= a.minRelativeChange ? Math.max(0, sign * robustZ) : 0;
        if (!Double.isNaN(yesterday) && spread.scale > 0) {
            score = Math.min(score, Math.max(0, spread.excess(x, sign * yesterday, sign)));
        }
        return score;
    }

    /**
     * Where the robust z is measured: the baseline's median and robust scale on the metric's {@link Scale}
     * (on the log scale, of the values' logarithms: a metric that varies by multiples).
     */
    record Spread(boolean onLogs, double median, double scale) {

        /**
         * On the log scale when the metric's is, the window's statistic rests on fewer than
         * {@link #LOG_SCALE_BELOW_SAMPLES} samples, and the value and every baseline value are positive; else linear.
         */
        static Spread of(Scale kind, long samples, double x, double[] sortedBaseline, double median, double linearScale) {
            if (kind != Scale.LOG || samples >= LOG_SCALE_BELOW_SAMPLES || !(x > 0) || sortedBaseline.length == 0 || !(sortedBaseline[0] > 0)) {
                return new Spread(false, median, linearScale);
            }
            double[] logs = new double[sortedBaseline.length];
            for (int i = 0; i < logs.length; i++) {
                logs[i] = Math.log(sortedBaseline[i]);
            }
            double logMedian = Robust.medianOfSorted(logs);
            // Floored as the linear scale is: at the logs' resolution and at a 1% change (a factor of 1.01).
            return new Spread(true, logMedian, robustScaleOfSorted(logs, logMedian, Math.log1p(SCALE_FLOOR)));
        }

        double robustZ(double x) {
            return scale > 0 ? ((onLogs ? Math.log(x) : x) - median) / scale : 0;
        }

        /** How far {@code x} lies beyond {@code reference} on the side {@code sign}, in robust standard deviations. */
        double excess(double x, double reference, double sign) {
            if (!onLogs) {
                return sign * (x - reference) / scale;
            }
            return reference > 0 ? sign * (Math.log(x) - Math.log(reference)) / scale : (sign > 0 ? Double.POSITIVE_INFINITY : 0);
        }

        /** The distance from the median in words: robust standard deviations of what, and how large one is. */
        String words(double robustZ) {
            if (Math.abs(robustZ) >= 1e6) {
                return "the series sat at that value";
            }
            return onLogs
                    ? String.format(java.util.Locale.ROOT, "%.1f robust standard deviations of its logarithm, a factor of %.3g each",
                            Math.abs(robustZ), Math.exp(scale))
                    : String.format(java.util.Locale.ROOT, "%.1f robust standard deviations of %s", Math.abs(robustZ), number(scale));
        }
    }

    /**
     * The change the practical gate reads: {@link #relativeChange}, and for a ratio (a share of 0 to 1: a hit rate, an
     * error rate) relative to the smaller of the median and its complement, as the regression gates measure it
     * ({@link MetricKind#changeBase}): a hit rate from 0.97 to 0.90 is 7% of the hits and 3.3 times the misses.
     */
    private static double practicalChange(double x, double median, double sign, boolean ratio) {
        return ratio && median > 0 && median < 1 ? sign * (x - median) / MetricKind.changeBase(median, true) : relativeChange(x, median, sign);
    }

    /** The change from the median as a share of it, in the direction {@code sign} (+inf for a move off a median of 0). */
    private static double relativeChange(double x, double median, double sign) {
        return median != 0 ? sign * (x - median) / Math.abs(median) : (sign * (x - median) > 0 ? Double.POSITIVE_INFINITY : 0);
    }

    /** The evidence in words: what the value is compared with, and how unusual that is for this series. */
    static String why(double x, double median, Spread spread, double robustZ, int windows, double relative, double yesterday,
            double likelihood, Direction direction, Range range) {
        String side = direction == Direction.HIGHER_IS_WORSE ? "above" : "below";
        String howFar = Double.isFinite(relative) ? String.format(java.util.Locale.ROOT, "%.0f%% ", Math.abs(relative) * 100) : "";
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "%s is %s%s the median %s of the last %d windows (%s)",
                number(x), howFar, side, number(median), windows, spread.words(robustZ)));
        if (!Double.isNaN(yesterday)) {
            b.append(String.format(java.util.Locale.ROOT, " and %s the worst value within 30 minutes of this time yesterday (%s)",
                    side, number(yesterday)));
        }
        if (range == null || range.hours() < HourlyRange.DAY_SLOTS) {
            b.append("; a score this high has likelihood ").append(likelihoodText(likelihood)).append(" on this series");
        }
        if (range != null) {
            boolean high = direction == Direction.HIGHER_IS_WORSE;
            b.append(String.format(java.util.Locale.ROOT, "%s %s the %s value %s (%s; their range %s to %s) by more than %s",
                    range.hours() < HourlyRange.DAY_SLOTS ? ", and it lies" : " and", side, high ? "highest" : "lowest",
                    range.reachedDays() > 1 ? "reached on " + range.reachedDays() + " of " + range.span() : "of " + range.span(),
                    number(high ? range.high() : range.low()), number(range.low()), number(range.high()), number(range.margin(high ? 1 : -1))));
            if (range.boundIsReturnLevel(high ? 1 : -1)) {
                b.append(String.format(java.util.Locale.ROOT, ", where the days' %s values reach %s once in %d days", high ? "highest" : "lowest",
                        number(high ? range.returnHigh() : range.returnLow()), range.returnDays()));
            }
        }
        return b.toString();
    }

    static String likelihoodText(double likelihood) {
        double tail = 1 - likelihood;
        return tail <= 0 ? "1 (beyond double precision)" : String.format(java.util.Locale.ROOT, "1 - %.1e", tail);
    }

    static String number(double v) {
        return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-2 && v != 0) ? String.format(java.util.Locale.ROOT, "%.3g", v)
                : String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("anomaly-scores", SeriesState.class));
        forests = new HashMap<>();
        scored = JobCounter.of(getRuntimeContext(), null, Counters.ANOMALY_SCORED);
    }

    @Override
    public void processElement(WindowSummary w, Context ctx, Collector<AlertCandidate> out) throws Exception {
        if (!a.enabled) {
            return; // kept in the graph (stable uids) but idle
        }
        int capacity = a.baselineWindows;
        SeriesState s = state.value();
        if (s != null && s.lastEnd + forgetMillis < w.windowEnd - 1) {
            // Silent for longer than forget-after: in streaming its forget timer fired before this window's summary
            // (whose time is the window's last millisecond); in BATCH mode no timer fires between a series' windows,
            // so it is forgotten here, the same way.
            forests.remove(ctx.getCurrentKey());
            state.clear();
            s = null;
        }
        if (s == null) {
            s = new SeriesState();
            s.values = new double[capacity];
            s.features = new double[featureCapacity() * FEATURES.length];
            s.component = w.component;
            s.metric = w.metric;
            s.firstStart = w.windowStart;
        } else {
            // (A forget timer still pending is left to fire and find the series back: another detector's cleanup
            // may fall on the same millisecond.)
            ctx.timerService().deleteEventTimeTimer(s.lastEnd + retention.toMillis());
        }
        Long key = ctx.getCurrentKey();
        Direction configured = levels.directionOf(w.component, w.metric);
        // A metric whose worse direction is not known (a custom metric without one configured): a move
        // either way is news, each side scored against its own seasonal reference.
        boolean eitherWay = !levels.knowsDirection(w.component, w.metric);
        boolean ratio = MetricKind.isRatio(w.metric);
        double x = Statistics.of(w, a.statistic);
        double[] point = features(w);
        boolean warm = s.windowsSeen >= a.coldStartWindows;
        if (warm) {
            scored.add(1);
        }
        // min-windows anomalous windows in a row: the rule's 'for', in event time.
        long forMillis = (a.minWindows - 1) * (w.windowEnd - w.windowStart);

        double[] sortedBaseline = s.sortedValues != null && s.sortedValues.length == s.size && s.values.length == capacity
                ? s.sortedValues : sorted(ordered(s.values, s.size, s.next, 1)); // for the median, the MAD and the resolution
        int baselineWindows = s.size;
        double median = Robust.medianOfSorted(sortedBaseline);
        // A flat baseline (every value the same, e.g. 0 between bursts) has no scale: any move off it is
        // news, as large a z as the value's own precision says; the series' score distribution then
        // learns whether such moves are routine for it (a finite z: the distribution stays usable).
        double measured = robustScaleOfSorted(sortedBaseline, median);
        double scale = measured > 0 ? measured : FLAT_SCALE * Math.max(Math.abs(x), Math.abs(median));
        Spread spread = Spread.of(levels.scaleOf(w.component, w.metric), w.count, x, sortedBaseline, median, scale);
        double robustZ = spread.robustZ(x);
        // The score: the robust z in the worse direction, 0 below the practical change; with range-days 0
        // and a day of history, no more than the excess over the worst value at this time yesterday.
        // With range-days on, the range decides from a day of history on, and the same-time-yesterday
        // reference is not kept: the range holds yesterday's values, a spike that comes every day among them.
        boolean rangeOn = a.rangeDays > 0;
        if (rangeOn && (s.profile != null || s.lowProfile != null)) {
            s.profile = null; // state from before the range (or a restore with range-days 0 before): not kept
            s.lowProfile = null;
        }
        double worstYesterday = rangeOn ? Double.NaN : s.seasonal().worstNear(w.windowStart, configured.sign());
        double upScore = score(x, median, spread, robustZ, configured.sign(), worstYesterday, ratio);
        Direction other = configured == Direction.HIGHER_IS_WORSE ? Direction.LOWER_IS_WORSE : Direction.HIGHER_IS_WORSE;
        double lowYesterday = eitherWay && !rangeOn ? s.seasonalLow().worstNear(w.windowStart, other.sign()) : Double.NaN;
        double downScore = eitherWay ? score(x, median, spread, robustZ, other.sign(), lowYesterday, ratio) : 0;
        if (eitherWay && !rangeOn) {
            s.seasonalLow().record(w.windowStart, other.sign() * x);
        }
        boolean down = downScore > upScore;
        Direction direction = down ? other : configured;
        double score = down ? downScore : upScore;
        double yesterday = down ? lowYesterday : worstYesterday;
        double sign = direction.sign();
        double relative = relativeChange(x, median, sign);
        boolean worse = eitherWay || sign * (x - median) > 0;
        double zLikelihood = s.zScores.halfNormal(score);
        // With a day of history, the range the series has had over the last range-days days decides: a
        // value beyond it by range-margin of it is news, one within it is not, however its score compares
        // with the series' past scores (a burst of a size this series has every few hours is not news; a
        // value a little past the highest of a smooth series' week is). Before that, the likelihood.
        // Before a day of history the likelihood decides, and the value must be beyond the range seen so far
        // too (a heavy-tailed series' first day otherwise alerts on each of its larger values). The range
        // starts an excursion; once one is under way, its own values are in the range, and it lasts while
        // the z (with the likelihood, before a day) says the series is still away from its baseline.
        boolean active = s.z.firing || s.z.activeAt != AlertState.NONE;
        // The range (a pass over a week of hourly slots) only where it can decide or be reported: a window that
        // could start an excursion (scored, and past the robust-z gate), or one of an excursion under way
        // (whose alert may fire now and names the range in its evidence). Elsewhere the window is not anomalous
        // whatever the range says.
        boolean rangeMatters = active || warm && score >= a.robustZ;
        Range rangeSeen = rangeOn && s.range != null && rangeMatters
                ? s.range.of(w.windowStart, a.rangeDays, a.rangeMargin, spread.onLogs(), a.rangeReachedDays, a.rangeReturnDays) : null;
        // A quantized series (a queue of whole messages) sets a new high by the least step it can take, one more
        // than the range's end, far more often than by a tenth of a range of a few steps: the bound is at least a
        // step of the data's resolution beyond the end, so a queue whose week reached 3 is news at 5, not at 4.
        Range range = rangeSeen != null && !spread.onLogs() ? rangeSeen.atLeastAStepBeyond(resolutionOfSorted(sortedBaseline)) : rangeSeen;
        boolean aDay = rangeOn && s.range != null && s.range.coversADay(w.windowStart);
        boolean beyond = range == null || active || range.beyond(x, sign);
        boolean unusual = aDay ? beyond : zLikelihood >= a.likelihood && beyond;
        boolean zAnomalous = warm && unusual && score >= a.robustZ;
        if (warm) {
            s.zScores.add(score, a.likelihoodWindows);
        }
        if (!rangeOn) {
            s.seasonal().record(w.windowStart, configured.sign() * x);
        } else if (warm) { // the windows scored: a start-up transient in the cold start does not widen the range
            if (s.range == null) {
                s.range = new HourlyRange();
            }
            s.range.record(w.windowStart, x, a.rangeDays * HourlyRange.DAY_SLOTS);
        }
        double scoreOfWindow = score;
        s.zPeak = active ? Math.max(s.zPeak, score) : score;
        SeriesState state0 = s;
        // Before a day of history the series' tail is not known: an excursion must rest on first-day-samples
        // samples (one value past all seen so far may be routine for a heavy-tailed series sampled once a window).
        boolean young = rangeOn ? !aDay : s.firstStart != Long.MIN_VALUE && w.windowStart - s.firstStart < RegressionEvaluator.DAY;
        s.z.evaluateExcursion(zAnomalous, x, w.windowStart, forMillis, young ? a.firstDaySamples : 1, w.count, a.settleWindows, direction,
                new AlertState.Listener() {
            @Override
            public void fired(AlertState r) {
                Moments m = Moments.of(ordered(state0.values, baselineWindows, state0.next, 1));
                double z = m.sampleVariance() > 0 ? (x - m.mean()) / Math.sqrt(m.sampleVariance()) : Double.NaN;
                Evidence evidence = new Evidence()
                        .put("why", why(x, median, spread, robustZ, baselineWindows, relative * sign, yesterday * sign, zLikelihood, direction, range))
                        .put("statistic", a.statistic.yaml())
                        .time("window_start", w.windowStart)
                        .put("value", x)
                        .put("baseline_windows", (long) baselineWindows)
                        .put("baseline_median", median)
                        .put("baseline_scale", spread.scale()) // of the logarithms on the log scale
                        .put("scale", spread.onLogs() ? Scale.LOG.yaml() : Scale.LINEAR.yaml())
                        .put("robust_z", robustZ)
                        .put("z", z)
                        .put("relative_change", relative * sign)
                        .put("score", scoreOfWindow)
                        .put("likelihood", zLikelihood)
                        .put("likelihood_threshold", a.likelihood)
                        .put("robust_z_threshold", a.robustZ)
                        .put("min_relative_change", a.minRelativeChange);
                if (!Double.isNaN(yesterday)) {
                    evidence.put("yesterday_worst", sign * yesterday);
                }
                if (range != null) {
                    evidence.put("range_hours", (long) range.hours()).put("range_low", Range.decimal(range.low())).put("range_high", Range.decimal(range.high()))
                            .put("range_margin", Range.decimal(range.margin(sign))).put("range_reached_days", (long) range.reachedDays());
                    if (range.boundIsReturnLevel(sign)) {
                        evidence.put("range_return_level", sign > 0 ? range.returnHigh() : range.returnLow())
                                .put("range_return_days", (long) range.returnDays());
                    }
                }
                out.collect(new AlertCandidate(ROBUST_Z, AlertKind.ANOMALY,
                        Math.abs(robustZ) >= 2 * Math.max(a.robustZ, 3) ? Severity.CRITICAL : Severity.WARNING, AlertStatus.FIRING,
                        w.component, w.metric, x, median, w.windowEnd, r.activeAt, evidence));
            }

            @Override
            public void cleared(AlertState r) {
                out.collect(AnomalyScores.cleared(ROBUST_Z, w, x, median, r.activeAt,
                        new Evidence().put("robust_z", robustZ).put("baseline_median", median)
                                .put("peak_value", r.worstValue).put("peak_score", state0.zPeak)
                                .put("anomalous_windows", r.holding).put("settle_windows", (long) a.settleWindows)));
            }
        });

        stuck(s, w, out);
        if (a.volatility.enabled) {
            if (s.volatility == null) {
                s.volatility = new Volatility();
            }
            s.volatility.add(a.volatility, w, x, s, out);
        }

        if (a.rcf.enabled) {
            Forest cached = forestFor(key, s);
            RandomCutForest forest = cached.forest;
            RandomCutForest f = forest;
            double rcfScore = forest.getAnomalyScore(point);
            double rcfLikelihood = s.rcfScores.gaussian(rcfScore);
            boolean rcfAnomalous = warm && s.rcfScores.n >= SCORES_BEFORE_LIKELIHOOD && rcfLikelihood >= a.likelihood
                    && rcfScore >= a.rcf.score && worse;
            if (warm) {
                s.rcfScores.add(rcfScore, a.likelihoodWindows);
            }
            s.rcfPeak = s.rcf.firing || s.rcf.activeAt != AlertState.NONE ? Math.max(s.rcfPeak, rcfScore) : rcfScore;
            s.rcf.evaluateExcursion(rcfAnomalous, rcfScore, w.windowStart, forMillis, a.settleWindows, Direction.HIGHER_IS_WORSE,
                    new AlertState.Listener() {
                @Override
                public void fired(AlertState r) {
                    out.collect(rcfFiring(f, point, rcfScore, rcfLikelihood, x, median, w, r.activeAt));
                }

                @Override
                public void cleared(AlertState r) {
                    out.collect(AnomalyScores.cleared(RCF, w, rcfScore, a.rcf.score, r.activeAt,
                            new Evidence().put("score", rcfScore).put("peak_score", state0.rcfPeak).put("anomalous_windows", r.holding)));
                }
            });
            forest.update(point);
            cached.fedUpTo = s.windowsSeen + 1;
        }

        double evicted = s.values[s.next];
        s.values[s.next] = x;
        s.sortedValues = s.values.length == capacity ? withValue(sortedBaseline, s.size == capacity, evicted, x) : null;
        if (s.features.length != featureCapacity() * FEATURES.length) {
            // A state written with another ring size (an upgrade, or the forest turned on or off): the
            // features start again from here.
            s.features = new double[featureCapacity() * FEATURES.length];
            s.featuresFrom = s.windowsSeen;
        }
        if (a.rcf.enabled) {
            System.arraycopy(point, 0, s.features, (int) (s.windowsSeen % featureCapacity()) * FEATURES.length, FEATURES.length);
        }
        s.next = (s.next + 1) % capacity;
        s.size = Math.min(s.size + 1, capacity);
        s.windowsSeen++;
        s.lastEnd = w.windowEnd;
        state.update(s);
        ctx.timerService().registerEventTimeTimer(w.windowEnd + retention.toMillis());
    }

    /**
     * The stuck rule: a run of windows whose samples all equal one value, longer than any run of one value the
     * series has had, once it has {@code stuck.min-history} of history and has varied, and at least
     * {@code stuck.min-duration} long. A gap shorter than {@code alerts.retention} (windows without samples, as a
     * sparse series has between its samples) does not end a run: the run is measured in event time from its first
     * window to its newest. A silence of the retention or longer does: no data is not one value, and the same value
     * after it starts a new run.
     */
    private void stuck(SeriesState s, WindowSummary w, Collector<AlertCandidate> out) {
        boolean flat = w.count > 0 && w.min == w.max;
        if (s.runStart != Long.MIN_VALUE && w.windowStart - s.lastEnd >= retention.toMillis()) {
            s.longestRun = Math.max(s.longestRun, s.lastEnd - s.runStart);
            if (flat && w.min == s.runValue) {
                s.runStart = w.windowStart;
            }
        }
        if (!(flat && w.min == s.runValue)) {
            if (s.runStart != Long.MIN_VALUE) {
                s.longestRun = Math.max(s.longestRun, s.lastEnd - s.runStart);
            }
            if (s.windowsSeen > 0) {
                s.varied = true;
            }
            s.runValue = flat ? w.min : Double.NaN;
            s.runStart = flat ? w.windowStart : Long.MIN_VALUE;
        }
        AlertsConfig.Stuck st = a.stuck;
        long run = flat ? w.windowEnd - s.runStart : 0;
        long history = w.windowEnd - s.firstStart;
        boolean holds = st.enabled && flat && s.varied && history >= st.minHistory.toMillis()
                && run >= st.minDuration.toMillis() && run > s.longestRun;
        if (s.stuck == null) {
            s.stuck = new AlertState(); // state from before the rule
        }
        if (!holds && !s.stuck.firing) {
            return; // (with no 'for', a rule that is not firing is idle)
        }
        long longest = s.longestRun;
        double value = s.runValue;
        long runStart = s.runStart;
        s.stuck.evaluate(holds, flat ? w.min : w.mean, w.windowEnd, 0, 0, Direction.HIGHER_IS_WORSE, new AlertState.Listener() {
            @Override
            public void fired(AlertState r) {
                Evidence evidence = new Evidence()
                        .put("why", String.format(java.util.Locale.ROOT,
                                "%s has not changed for %s (every sample since %s), longer than any earlier run of one value in this"
                                        + " series' %s of history (the longest: %s): a stuck metric, or the work behind it stopped",
                                number(value), hours(run), java.time.Instant.ofEpochMilli(runStart), hours(history), hours(longest)))
                        .put("value", value)
                        .time("run_start", runStart)
                        .put("run_hours", run / 3_600_000.0)
                        .put("longest_earlier_run_hours", longest / 3_600_000.0)
                        .put("history_hours", history / 3_600_000.0)
                        .put("min_history_hours", st.minHistory.toMillis() / 3_600_000.0)
                        .put("min_duration_hours", st.minDuration.toMillis() / 3_600_000.0);
                out.collect(new AlertCandidate(STUCK, AlertKind.ANOMALY, Severity.WARNING, AlertStatus.FIRING,
                        w.component, w.metric, value, value, w.windowEnd, r.activeAt, evidence));
            }

            @Override
            public void cleared(AlertState r) {
                out.collect(AnomalyScores.cleared(STUCK, w, flat ? w.min : w.mean, value, r.activeAt,
                        new Evidence().put("stuck_value", r.firstValue).put("value_now", flat ? w.min : w.mean)
                                .put("min", w.min).put("max", w.max)));
            }
        });
    }

    /** A duration in hours (or days past two days) for the evidence's words. */
    private static String hours(long millis) {
        double h = millis / 3_600_000.0;
        return h >= 48 ? String.format(java.util.Locale.ROOT, "%.1f days", h / 24) : String.format(java.util.Locale.ROOT, "%.1f h", h);
    }

    /** The forest's alert, with the dimension that contributed most to the score. */
    private AlertCandidate rcfFiring(RandomCutForest forest, double[] point, double score, double likelihood, double x, double median,
            WindowSummary w, long startedAt) {
        DiVector attribution = forest.getAnomalyAttribution(point);
        int top = 0;
        double[] high = new double[FEATURES.length];
        double[] low = new double[FEATURES.length];
        for (int i = 0; i < attribution.getDimensions(); i++) {
            high[i % FEATURES.length] += attribution.high[i];
            low[i % FEATURES.length] += attribution.low[i];
        }
        for (int f = 1; f < FEATURES.length; f++) {
            if (high[f] + low[f] > high[top] + low[top]) {
                top = f;
            }
        }
        Evidence evidence = new Evidence()
                .time("window_start", w.windowStart)
                .put("why", String.format(java.util.Locale.ROOT, "the last %d windows' shape (mean, p95, spread) is unlike this series'"
                        + " recent ones: forest score %.2f, a score this high has likelihood %s here", a.rcf.shingleSize, score,
                        likelihoodText(likelihood)))
                .put("score", score)
                .put("likelihood", likelihood)
                .put("score_threshold", a.rcf.score)
                .put("top_dimension", FEATURES[top])
                .put("top_dimension_side", high[top] >= low[top] ? "high" : "low")
                .put("top_dimension_share", (high[top] + low[top]) / Math.max(1e-12, sum(high) + sum(low)))
                .put("shingle_size", (long) a.rcf.shingleSize)
                .put("statistic", a.statistic.yaml())
                .put("value", x)
                .put("baseline_median", median);
        return new AlertCandidate(RCF, AlertKind.ANOMALY, Severity.WARNING, AlertStatus.FIRING,
                w.component, w.metric, score, a.rcf.score, w.windowEnd, startedAt, evidence);
    }

    /**
     * The series' forest before its window number {@code s.windowsSeen}: rebuilt at each multiple of the
     * epoch from the features of the windows before, then fed window by window (see the class comment).
     */
    private Forest forestFor(Long key, SeriesState s) {
        long i = s.windowsSeen;
        int capacity = featureCapacity();
        int epoch = Math.max(1, capacity / 2);
        int history = capacity - epoch;
        long builtAt = i / epoch * epoch;
        Forest cached = forests.get(key);
        if (cached != null && cached.builtAt == builtAt && cached.fedUpTo == i) {
            return cached;
        }
        RandomCutForest forest = newForest(MetricSample.seriesKeyHash(s.component, s.metric));
        // Window j's features sit at j % capacity; the ring holds the last capacity windows. Feed
        // [builtAt - history, i), or what of it the ring holds.
        boolean sized = s.features.length == capacity * FEATURES.length;
        long first = Math.max(Math.max(0, builtAt - history), Math.max(i - capacity, s.featuresFrom));
        for (long j = sized ? first : i; j < i; j++) {
            int at = (int) (j % capacity);
            forest.update(java.util.Arrays.copyOfRange(s.features, at * FEATURES.length, (at + 1) * FEATURES.length));
        }
        Forest rebuilt = new Forest(forest, builtAt, i);
        forests.put(key, rebuilt);
        return rebuilt;
    }

    /**
     * Windows of features kept per series for its forest: the forest's sample size (at least the
     * baseline): rebuilt every half of it from the half before, a forest holds between a half and all of it.
     * None while the forest is off (its default): 6 KiB a series saved; turned on, it starts from there.
     */
    private int featureCapacity() {
        return a.rcf.enabled ? Math.max(a.baselineWindows, 2 * a.rcf.sampleSize) : 0;
    }

    /** seriesHash: the hash of the series' key text (a seed that does not depend on how the job keys it). */
    private RandomCutForest newForest(int seriesHash) {
        return RandomCutForest.builder()
                .dimensions(FEATURES.length * a.rcf.shingleSize)
                .shingleSize(a.rcf.shingleSize)
                .internalShinglingEnabled(true)
                .numberOfTrees(a.rcf.trees)
                .sampleSize(a.rcf.sampleSize)
                .outputAfter(Math.max(1, Math.min(a.coldStartWindows, a.rcf.sampleSize)))
                .randomSeed(a.rcf.seed ^ seriesHash)
                .build();
    }

    private static AlertCandidate cleared(String rule, WindowSummary w, double value, double threshold, long startedAt, Evidence evidence) {
        return new AlertCandidate(rule, AlertKind.ANOMALY, Severity.WARNING, AlertStatus.CLEARED,
                w.component, w.metric, value, threshold, w.windowEnd, startedAt, evidence);
    }

    /** (mean, p95, stddev), each as sign(v) log(1 + |v|) so series of any scale give comparable shapes. */
    static double[] features(WindowSummary w) {
        return new double[] {signedLog(w.mean), signedLog(w.p95), signedLog(w.stddev)};
    }

    private static double signedLog(double v) {
        return Math.copySign(Math.log1p(Math.abs(v)), v);
    }

    /**
     * The robust scale of a baseline sorted ascending, whose median is {@code median}: 1.4826 MAD (when that is 0,
     * as it is when over half the values are one value, 1.2533 times the mean absolute deviation), floored
     * at the data's resolution (the smallest step between distinct baseline values: a quantized series does
     * not turn one step into a huge z) and at {@link #SCALE_FLOOR} of the median.
     */
    static double robustScaleOfSorted(double[] sorted, double median) {
        return robustScaleOfSorted(sorted, median, SCALE_FLOOR * Math.abs(median));
    }

    /** The same, floored at {@code floor} instead of a share of the median (the logarithms' scale: a factor). */
    static double robustScaleOfSorted(double[] sorted, double median, double floor) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double scale = Robust.MAD_TO_SIGMA * Robust.madOfSorted(sorted, median);
        if (scale == 0) {
            // Over half the baseline at one value (a zero-inflated series: GC pauses, errors, bursts off a quiet
            // level): the MAD says nothing of the other values' spread, and the resolution alone turned every
            // routine value into a z of hundreds, so an excursion never settled. The mean absolute deviation
            // instead (times sqrt(pi / 2), sigma for normal noise), as Iglewicz and Hoaglin's modified z does.
            double sum = 0;
            for (double v : sorted) {
                sum += Math.abs(v - median);
            }
            scale = MEAN_AD_TO_SIGMA * sum / sorted.length;
        }
        return Math.max(scale, Math.max(resolutionOfSorted(sorted), floor));
    }

    /** The smallest positive difference between two values sorted ascending (0 when all are equal). */
    private static double resolutionOfSorted(double[] sorted) {
        double step = Double.POSITIVE_INFINITY;
        for (int i = 1; i < sorted.length; i++) {
            double d = sorted[i] - sorted[i - 1];
            if (d > 0 && d < step) {
                step = d;
            }
        }
        return Double.isInfinite(step) ? 0 : step;
    }

    /** {@code values}, sorted in place. */
    private static double[] sorted(double[] values) {
        java.util.Arrays.sort(values);
        return values;
    }

    /**
     * {@code sorted} (ascending, as {@code Arrays.sort} orders doubles) with {@code added} in and, when
     * {@code evict}, one copy of {@code evicted} out: the array {@code Arrays.sort} would give for the ring's
     * new values, in linear time (null if {@code evicted} is not in it). Changes {@code sorted} in place when a
     * value is evicted.
     */
    static double[] withValue(double[] sorted, boolean evict, double evicted, double added) {
        int n = sorted.length;
        double[] out = sorted;
        if (evict) {
            int i = java.util.Arrays.binarySearch(sorted, evicted);
            if (i < 0) {
                return null; // not the ring's values (cannot happen): sorted afresh at the next window
            }
            System.arraycopy(sorted, i + 1, sorted, i, n - 1 - i);
            n--;
        } else {
            out = java.util.Arrays.copyOf(sorted, n + 1);
        }
        int j = java.util.Arrays.binarySearch(out, 0, n, added);
        if (j < 0) {
            j = -j - 1;
        }
        System.arraycopy(out, j, out, j + 1, n - j);
        out[j] = added;
        return out;
    }

    /** Ring-buffer contents oldest first, {@code width} values per entry. */
    static double[] ordered(double[] ring, int size, int next, int width) {
        int capacity = ring.length / width;
        double[] out = new double[size * width];
        int start = size < capacity ? 0 : next;
        for (int i = 0; i < size; i++) {
            System.arraycopy(ring, ((start + i) % capacity) * width, out, i * width, width);
        }
        return out;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }

    /**
     * Silent for the retention: the series' alerts clear ("no data"), and what the scores learned is kept until
     * it has been silent for {@code forget-after} (a second timer then; in BATCH mode, where a timer registered
     * here may be dropped, {@link #processElement} forgets it when its next window comes that much later).
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertCandidate> out) throws Exception {
        SeriesState s = state.value();
        if (s == null) {
            return;
        }
        boolean retained = timestamp == s.lastEnd + retention.toMillis();
        if (!retained) {
            if (timestamp == s.lastEnd + forgetMillis) {
                state.clear();
                forests.remove(ctx.getCurrentKey());
            }
            return;
        }
        AlertState jittery = s.volatility != null ? s.volatility.rule : new AlertState();
        for (AlertState rule : new AlertState[] {s.z, s.rcf, s.stuck != null ? s.stuck : new AlertState(), jittery}) {
            String name = rule == s.z ? ROBUST_Z : rule == s.rcf ? RCF : rule == jittery ? Volatility.RULE : STUCK;
            rule.end(new AlertState.Listener() {
                @Override
                public void fired(AlertState r) {}

                @Override
                public void cleared(AlertState r) {
                    out.collect(new AlertCandidate(name, AlertKind.ANOMALY, Severity.WARNING, AlertStatus.CLEARED,
                            s.component, s.metric, null, null, timestamp, r.activeAt,
                            new Evidence().put("note", "no data for " + retention)));
                }
            });
        }
        if (forgetMillis > retention.toMillis()) {
            state.update(s);
            ctx.timerService().registerEventTimeTimer(s.lastEnd + forgetMillis);
            return;
        }
        state.clear();
        forests.remove(ctx.getCurrentKey());
    }
}
