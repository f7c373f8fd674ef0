package dev.perfwatch.detect;

import dev.perfwatch.config.AlertsConfig.Anomaly;
import dev.perfwatch.config.Direction;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.Severity;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.Counters;
import dev.perfwatch.pipeline.JobCounter;
import dev.perfwatch.stats.Moments;
import dev.perfwatch.stats.Robust;

import com.amazon.randomcutforest.RandomCutForest;
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
 *   <li>robust z: {@code (x - median) / (1.4826 MAD)} of the configured statistic over the last
 *       {@code baseline-windows} windows (classic z alongside, as evidence); an anomaly when it is at
 *       least {@code robust-z} in the metric's worse direction and x is at least
 *       {@code min-relative-change} away from the median;</li>
 *   <li>random cut forest (randomcutforest-core): the anomaly score of a shingle of the last
 *       {@code shingle-size} windows' (mean, p95, stddev), log-scaled; an anomaly when it is at least
 *       {@code rcf.score} and the statistic moved in the worse direction. The dimension that
 *       contributed most (from the forest's attribution) is reported.</li>
 * </ul>
 * Neither alerts during the cold start (the first {@code cold-start-windows} windows). Each rule is an
 * {@link AlertState}: firing once {@code min-windows} windows in a row are anomalous (its {@code for}),
 * cleared at the first window that is not.
 *
 * <p>State per series: the recent values and features (bounded by baseline-windows) and the two
 * rules' flags, removed after {@code alerts.retention} of silence. The forest of a series is a function
 * of that state alone, so a job restored from a checkpoint or savepoint scores exactly as one that never
 * stopped: with {@code C = max(baseline-windows, rcf.sample-size)} windows of features kept, every
 * {@code C / 2} windows (at window counts that are multiples of it) it is rebuilt, seeded per series,
 * from the features of the {@code C / 2} windows before, then fed each window as it passes. The forests themselves live in memory as a cache of that; after a
 * restore (or on another subtask after rescaling) a series' forest is rebuilt the same way.
 */
public class AnomalyScores extends KeyedProcessFunction<String, WindowSummary, AlertCandidate> {

    private static final long serialVersionUID = 1L;
    private static final String[] FEATURES = {"mean", "p95", "stddev"};
    static final String ROBUST_Z = "anomaly:robust-z";
    static final String RCF = "anomaly:rcf";

    private final Anomaly a;
    private final MetricLevels levels;
    private final Duration retention;
    private transient ValueState<SeriesState> state;
    private transient Map<String, Forest> forests;

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
    }

    /** Recent windows of one series, oldest first once full (ring buffers), and the two rules. */
    public static class SeriesState {
        public double[] values;
        public double[] features;
        public int size;
        public int next;
        public long windowsSeen;
        /** The first window whose features the ring holds (later than 0 only after a change of its size). */
        public long featuresFrom;
        public AlertState z = new AlertState();
        public AlertState rcf = new AlertState();
        public long lastEnd;
        public String component;
        public String metric;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("anomaly-scores", SeriesState.class));
        forests = new HashMap<>();
        scored = JobCounter.of(getRuntimeContext(), null, Counters.ANOMALY_SCORED);
    }

    @Override
    public void processElement(WindowSummary w, Context ctx, Collector<AlertCandidate> out) throws Exception {
        int capacity = a.baselineWindows;
        SeriesState s = state.value();
        if (s == null) {
            s = new SeriesState();
            s.values = new double[capacity];
            s.features = new double[featureCapacity() * FEATURES.length];
            s.component = w.component;
            s.metric = w.metric;
        } else {
            ctx.timerService().deleteEventTimeTimer(s.lastEnd + retention.toMillis());
        }
        String key = ctx.getCurrentKey();
        Direction direction = levels.directionOf(w.component, w.metric);
        double x = Statistics.of(w, a.statistic);
        double[] point = features(w);
        boolean warm = s.windowsSeen >= a.coldStartWindows;
        if (warm) {
            scored.add(1);
        }
        // min-windows anomalous windows in a row: the rule's 'for', in event time.
        long forMillis = (a.minWindows - 1) * (w.windowEnd - w.windowStart);

        double[] baseline = ordered(s.values, s.size, s.next, 1);
        double median = Robust.median(baseline);
        double scale = robustScale(baseline, median);
        double robustZ = scale > 0 ? (x - median) / scale : (x == median ? 0 : Math.copySign(Double.POSITIVE_INFINITY, x - median));
        double sign = direction.sign();
        double relative = median != 0 ? sign * (x - median) / Math.abs(median) : (sign * (x - median) > 0 ? Double.POSITIVE_INFINITY : 0);
        boolean worse = sign * (x - median) > 0;
        boolean zAnomalous = warm && sign * robustZ >= a.robustZ && relative >= a.minRelativeChange;
        s.z.evaluate(zAnomalous, x, w.windowStart, forMillis, 0, direction, new AlertState.Listener() {
            @Override
            public void fired(AlertState r) {
                Moments m = Moments.of(baseline);
                double z = m.sampleVariance() > 0 ? (x - m.mean()) / Math.sqrt(m.sampleVariance()) : Double.NaN;
                Evidence evidence = new Evidence()
                        .put("statistic", a.statistic.yaml())
                        .time("window_start", w.windowStart)
                        .put("value", x)
                        .put("baseline_windows", (long) baseline.length)
                        .put("baseline_median", median)
                        .put("baseline_scale", scale)
                        .put("robust_z", robustZ)
                        .put("z", z)
                        .put("relative_change", relative * sign)
                        .put("robust_z_threshold", a.robustZ)
                        .put("min_relative_change", a.minRelativeChange);
                out.collect(new AlertCandidate(ROBUST_Z, AlertKind.ANOMALY,
                        Math.abs(robustZ) >= 2 * a.robustZ ? Severity.CRITICAL : Severity.WARNING, AlertStatus.FIRING,
                        w.component, w.metric, x, median, w.windowEnd, r.activeAt, evidence));
            }

            @Override
            public void cleared(AlertState r) {
                out.collect(AnomalyScores.cleared(ROBUST_Z, w, x, median, r.activeAt,
                        new Evidence().put("robust_z", robustZ).put("baseline_median", median)));
            }
        });

        if (a.rcf.enabled) {
            Forest cached = forestFor(key, s);
            RandomCutForest forest = cached.forest;
            RandomCutForest f = forest;
            double score = forest.getAnomalyScore(point);
            boolean rcfAnomalous = warm && score >= a.rcf.score && worse;
            s.rcf.evaluate(rcfAnomalous, score, w.windowStart, forMillis, 0, Direction.HIGHER_IS_WORSE, new AlertState.Listener() {
                @Override
                public void fired(AlertState r) {
                    out.collect(rcfFiring(f, point, score, x, median, w, r.activeAt));
                }

                @Override
                public void cleared(AlertState r) {
                    out.collect(AnomalyScores.cleared(RCF, w, score, a.rcf.score, r.activeAt, new Evidence().put("score", score)));
                }
            });
            forest.update(point);
            cached.fedUpTo = s.windowsSeen + 1;
        }

        s.values[s.next] = x;
        if (s.features.length != featureCapacity() * FEATURES.length) {
            // A state written with another ring size (an upgrade): the features start again from here.
            s.features = new double[featureCapacity() * FEATURES.length];
            s.featuresFrom = s.windowsSeen;
        }
        System.arraycopy(point, 0, s.features, (int) (s.windowsSeen % featureCapacity()) * FEATURES.length, FEATURES.length);
        s.next = (s.next + 1) % capacity;
        s.size = Math.min(s.size + 1, capacity);
        s.windowsSeen++;
        s.lastEnd = w.windowEnd;
        state.update(s);
        ctx.timerService().registerEventTimeTimer(w.windowEnd + retention.toMillis());
    }

    /** The forest's alert, with the dimension that contributed most to the score. */
    private AlertCandidate rcfFiring(RandomCutForest forest, double[] point, double score, double x, double median,
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
                .put("score", score)
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
    private Forest forestFor(String key, SeriesState s) {
        long i = s.windowsSeen;
        int capacity = featureCapacity();
        int epoch = Math.max(1, capacity / 2);
        int history = capacity - epoch;
        long builtAt = i / epoch * epoch;
        Forest cached = forests.get(key);
        if (cached != null && cached.builtAt == builtAt && cached.fedUpTo == i) {
            return cached;
        }
        RandomCutForest forest = newForest(key);
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
     */
    private int featureCapacity() {
        return Math.max(a.baselineWindows, 2 * a.rcf.sampleSize);
    }

    private RandomCutForest newForest(String key) {
        return RandomCutForest.builder()
                .dimensions(FEATURES.length * a.rcf.shingleSize)
                .shingleSize(a.rcf.shingleSize)
                .internalShinglingEnabled(true)
                .numberOfTrees(a.rcf.trees)
                .sampleSize(a.rcf.sampleSize)
                .outputAfter(Math.max(1, Math.min(a.coldStartWindows, a.rcf.sampleSize)))
                .randomSeed(a.rcf.seed ^ key.hashCode())
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

    /** 1.4826 MAD; when the MAD is 0, 1.2533 times the mean absolute deviation (both estimate sigma). */
    static double robustScale(double[] baseline, double median) {
        if (baseline.length == 0) {
            return Double.NaN;
        }
        double mad = Robust.mad(baseline);
        if (mad > 0) {
            return Robust.MAD_TO_SIGMA * mad;
        }
        double sum = 0;
        for (double v : baseline) {
            sum += Math.abs(v - median);
        }
        return 1.2533 * sum / baseline.length;
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

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertCandidate> out) throws Exception {
        SeriesState s = state.value();
        if (s == null || timestamp != s.lastEnd + retention.toMillis()) {
            return;
        }
        for (AlertState rule : new AlertState[] {s.z, s.rcf}) {
            String name = rule == s.z ? ROBUST_Z : RCF;
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
        state.clear();
        forests.remove(ctx.getCurrentKey());
    }
}
