package dev.perfwatch.detect;

import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.RegressionConfig;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.AlertKind;
import dev.perfwatch.model.AlertStatus;
import dev.perfwatch.model.ChangeDirection;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.MetricKind;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.pipeline.Counters;
import dev.perfwatch.pipeline.JobCounter;
import dev.perfwatch.suggest.SuggestionCatalogue;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Regression detection per series (see {@link RegressionEvaluator}). Its input is one bucket per
 * series and interval, filled where the samples are read ({@link BucketPartial}; parts of one interval
 * merge); an event-time timer at each interval end evaluates the windows while data is in the
 * comparison window (all timers are registered from processElement: BATCH ignores timers registered
 * in onTimer, and both modes must evaluate at the same times). One finding per episode:
 * an episode opens with the first significant evaluation (the finding is emitted then), later
 * confirmations only extend it, and it ends after {@code close-after} evaluations without one.
 * State is bounded: buckets older than the baseline are dropped, and all state goes once a series has
 * no buckets left.
 */
public class RegressionDetector extends KeyedProcessFunction<Long, BucketPartial, RegressionFinding> {

    private static final long serialVersionUID = 1L;

    /** Predictive alert candidates: the forecast reaches the critical level within the horizon. */
    public static final org.apache.flink.util.OutputTag<AlertCandidate> PREDICTIONS =
            new org.apache.flink.util.OutputTag<>("forecast-alerts") {};
    /** Regression episodes (degradations) as alert candidates for the lifecycle: firing when opened (or updated), cleared when closed. */
    public static final org.apache.flink.util.OutputTag<AlertCandidate> EPISODES =
            new org.apache.flink.util.OutputTag<>("regression-episodes") {};

    private final RegressionConfig config;
    private final MetricLevels levels;
    private final SuggestionCatalogue catalogue;
    /** The evaluator, sequential test and configuration per stride (index; 1: every interval; null: not a stride a series can have). */
    private transient Strided[] strided;
    /** The strides above 1 a series can have (their longer intervals line up a day apart), and the longest retention of all. */
    private transient int[] strides;
    private transient long retention;
    /** The buckets of intervals not yet evaluated (usually the newest one or two), by start. */
    private transient MapState<Long, Bucket> open;
    /**
     * The buckets of evaluated intervals, sorted by start: read whole at each evaluation, which then
     * needs no map iteration and no sort (at 1-minute sampling that was a third of the detector's time).
     */
    private transient ListState<Bucket> closed;
    private transient ValueState<Episode> episode;
    /** The forecast trend's arrays, reused across evaluations (one detector instance runs on one thread). */
    private transient Predictions.Scratch trendScratch;
    private transient JobCounter evaluations;
    private transient JobCounter tooSparse;

    public RegressionDetector(RegressionConfig config, MetricLevels levels, SuggestionCatalogue catalogue) {
        this.config = config;
        this.levels = levels;
        this.catalogue = catalogue;
    }

    @Override
    public void open(OpenContext openContext) {
        strided = new Strided[maxStride(config) + 1];
        strided[1] = Strided.of(config, catalogue, true);
        retention = strided[1].evaluator.retentionMillis();
        List<Integer> longer = new ArrayList<>();
        for (int m = 2; m < strided.length; m++) {
            if (linesUp(m, config)) {
                strided[m] = Strided.of(config.strided(m), catalogue, false);
                retention = Math.max(retention, strided[m].evaluator.retentionMillis());
                longer.add(m);
            }
        }
        strides = longer.stream().mapToInt(Integer::intValue).toArray();
        open = getRuntimeContext().getMapState(new MapStateDescriptor<>("regression-buckets", Long.class, Bucket.class));
        closed = getRuntimeContext().getListState(new ListStateDescriptor<>("regression-closed-buckets", Bucket.class));
        episode = getRuntimeContext().getState(new ValueStateDescriptor<>("regression-episode", Episode.class));
        trendScratch = new Predictions.Scratch();
        evaluations = JobCounter.of(getRuntimeContext(), null, Counters.REGRESSION_EVALUATIONS);
        tooSparse = JobCounter.of(getRuntimeContext(), null, Counters.REGRESSION_TOO_SPARSE);
    }

    @Override
    public void processElement(BucketPartial part, Context ctx, Collector<RegressionFinding> out) throws Exception {
        if (!config.enabled) {
            return; // kept in the graph (stable uids) but idle
        }
        long interval = config.evaluationInterval.toMillis();
        long start = part.bucket.start;
        Bucket b = open.get(start);
        if (b == null) {
            Episode e = episode.value();
            if (e == null) {
                e = new Episode();
                e.component = part.component;
                e.metric = part.metric;
            }
            if (start < e.closedBefore) {
                // A part for an interval already evaluated: merged into its bucket among the closed ones,
                // where the next evaluations (or the expiry) see it. (An interval that had no bucket yet gets
                // one in the map below; the next evaluation moves it, in order, as it does every bucket.)
                List<Bucket> done = storedClosed();
                int i = ChangeShape.firstAtOrAfter(done, start);
                if (i < done.size() && done.get(i).start == start) {
                    done.get(i).merge(part.bucket);
                    closed.update(done);
                    if (e.bucketIndex != null && e.bucketIndex.matches(done)) {
                        e.bucketIndex.changed(i, done.get(i));
                    } else {
                        e.bucketIndex = null;
                    }
                    return;
                }
            }
            // Every timer is registered here, none in onTimer: in BATCH mode timers registered from a
            // timer callback are ignored, and streaming and batch must evaluate at the same times. A
            // bucket is evaluated at every interval end while it is in the comparison window (timers on
            // the same timestamp are one), and one cleanup timer follows the newest bucket.
            // The newest bucket before this one registered its own interval ends; those still ahead of the
            // watermark are pending, and registering them again would change nothing (one lookup each, twelve
            // of the thirteen at each new interval).
            // The timers cannot follow the series' measured stride: in BATCH mode every element comes before
            // every timer, so the stride is not known yet. A series sampled less often is evaluated at the end
            // of each of its longer intervals that holds data: for every stride a series can have, the end of
            // the longer interval this bucket is in, where the interval ends above do not reach it.
            long comparison = config.comparisonWindow.toMillis();
            long newest = e.newestBucket;
            long pendingFrom = newest == Long.MIN_VALUE ? Long.MAX_VALUE : Math.max(newest + interval, ctx.timerService().currentWatermark() + 1);
            long pendingTo = newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest + comparison + interval;
            for (long t = start + interval; t <= start + comparison + interval; t += interval) {
                if (t < pendingFrom || t > pendingTo) {
                    ctx.timerService().registerEventTimeTimer(t);
                }
            }
            for (int stride : strides) {
                long every = stride * interval;
                long end = start - Math.floorMod(start, every) + every;
                if (end > start + comparison + interval) {
                    ctx.timerService().registerEventTimeTimer(end);
                }
            }
            // The state goes once no stride's evaluations can use it (the same time whatever the stride).
            if (e.newestBucket != Long.MIN_VALUE && start > e.newestBucket) {
                ctx.timerService().deleteEventTimeTimer(cleanupTime(e.newestBucket, retention));
            }
            if (start > e.newestBucket) {
                e.newestBucket = start;
                ctx.timerService().registerEventTimeTimer(cleanupTime(start, retention));
            }
            if (e.oldestOpen != Long.MIN_VALUE) {
                e.oldestOpen = Math.min(e.oldestOpen, start);
            }
            episode.update(e);
            b = part.bucket; // the part is the bucket (the usual case: one part per interval)
        } else {
            b.merge(part.bucket);
        }
        open.put(start, b);
    }

    /**
     * Buckets that have left the retention are dropped from the stored list once there are this many (an hour
     * of intervals at 5 minutes), not one at each interval: the list is then appended to, not rewritten, at
     * most interval ends (rewriting it was a sixth of the detector's time at one sample a minute). Until then
     * they are skipped.
     */
    static final int PRUNE_AFTER = 12;

    /**
     * The closed buckets as stored, sorted by start (on the heap backend the state's own list, else a copy): the
     * list is changed only through the state ({@code addAll}, {@code update}), never here.
     */
    private List<Bucket> storedClosed() throws Exception {
        Iterable<Bucket> stored = closed.get();
        if (stored instanceof List<Bucket> l) {
            return l;
        }
        List<Bucket> all = new ArrayList<>();
        stored.forEach(all::add);
        return all;
    }

    /** When every bucket up to {@code newest} has left the retention (baseline, shape window): the state can go. */
    private long cleanupTime(long newest, long retention) {
        return newest + retention + config.evaluationInterval.toMillis();
    }

    /**
     * The configuration, evaluator and sequential test of series evaluated every {@code stride} intervals (made in
     * open() for every stride {@link #stride} can return). Above 1, without the short-excursion test: see
     * {@link RegressionEvaluator#RegressionEvaluator(RegressionConfig, SuggestionCatalogue, boolean)}.
     */
    record Strided(RegressionConfig config, RegressionEvaluator evaluator, SequentialTest sequential) {
        static Strided of(RegressionConfig c, SuggestionCatalogue catalogue, boolean excursions) {
            return new Strided(c, new RegressionEvaluator(c, catalogue, excursions), new SequentialTest(c.evaluationInterval.toMillis(), c.alpha));
        }
    }

    /** Buckets of the last day a stride is measured from, at least (fewer: the stride stays as it was). */
    static final int STRIDE_MIN_BUCKETS = 8;

    /**
     * The largest stride: the baseline holds at least 12 of its longer intervals (two hours at the defaults).
     * A series sampled less often than that is not evaluated (the run's report says why).
     */
    public static int maxStride(RegressionConfig config) {
        return (int) Math.max(1, config.baselineWindow.toMillis() / (12 * config.evaluationInterval.toMillis()));
    }

    /**
     * How many evaluation intervals a series' evaluations should span, measured on its buckets of the last day
     * (or baseline window, when longer) before t (sorted by start): 1 when nine tenths of the intervals since the first of them hold data (the
     * share the baseline asks for), else the smallest stride at least the 90th percentile of the gaps between
     * its buckets, in intervals, that divides a day and the baseline window (so that the longer intervals line
     * up a day apart), at most {@link #maxStride}: a half-hourly series gets 6 (30 minutes at 5-minute
     * intervals), a 7-minute one 2, a series with a short outage stays at 1. 0 when fewer than
     * {@link #STRIDE_MIN_BUCKETS} buckets say. A new stride's longer intervals must hold data in
     * {@link #STRIDE_FILL} of the day; {@code current} (0: none) is kept while its hold nine tenths.
     */
    static int stride(List<Bucket> buckets, long t, RegressionConfig config, int current) {
        long interval = config.evaluationInterval.toMillis();
        int from = ChangeShape.firstAtOrAfter(buckets, t - Math.max(RegressionEvaluator.DAY, config.baselineWindow.toMillis()));
        int n = buckets.size() - from;
        if (n < STRIDE_MIN_BUCKETS) {
            return 0;
        }
        int max = maxStride(config);
        // A gap longer than the longest stride is an outage, not the series' sampling: its intervals are not
        // counted as ones the series should have filled (a series sampled every minute with an outage of three
        // hours was taken for one sampled every two hours, and evaluated over a comparison window of a day).
        long[] gaps = new long[n - 1];
        long outage = 0;
        for (int i = from + 1; i < buckets.size(); i++) {
            long gap = (buckets.get(i).start - buckets.get(i - 1).start) / interval;
            gaps[i - from - 1] = gap;
            outage += gap > max ? gap - 1 : 0;
        }
        long span = (t - buckets.get(from).start) / interval - outage;
        if (n >= RegressionEvaluator.COVERED * span) {
            return 1;
        }
        java.util.Arrays.sort(gaps);
        long p90 = gaps[(int) Math.ceil(0.9 * gaps.length) - 1];
        List<Bucket> day = buckets.subList(from, buckets.size());
        long outageMillis = max * interval;
        if (current > 1 && current <= max && current >= Math.min(p90, max) && linesUp(current, config)
                && filled(day, t, current * interval, outageMillis) >= RegressionEvaluator.COVERED) {
            return current; // still filled as the baseline asks: a stride that flips starts the sequential test afresh
        }
        for (int m = (int) Math.max(1, Math.min(p90, max)); m <= max; m++) {
            if (linesUp(m, config) && (m == max || filled(day, t, m * interval, outageMillis) >= STRIDE_FILL)) {
                return m;
            }
        }
        return longestStride(config);
    }

    /**
     * A new stride's longer intervals hold data in this share of the last day at least: the baseline asks for
     * nine tenths, and a series sampled at random times (10 minutes apart on average) fills 95% of 30-minute
     * intervals, so one stretch of empty ones left it unevaluated for a day; 40-minute ones it fills 98%.
     */
    static final double STRIDE_FILL = 0.97;

    /**
     * The share of the intervals of {@code every} from the first bucket's to t's that hold data, less those inside a
     * gap between buckets longer than {@code outage} (an outage, not the sampling).
     */
    private static double filled(List<Bucket> buckets, long t, long every, long outage) {
        long first = Math.floorDiv(buckets.get(0).start, every);
        long slots = Math.floorDiv(t - 1, every) - first + 1;
        long held = 0;
        long last = Long.MIN_VALUE;
        long previous = Long.MIN_VALUE;
        for (Bucket b : buckets) {
            long slot = Math.floorDiv(b.start, every);
            if (previous != Long.MIN_VALUE && b.start - previous > outage) {
                slots -= slot - last - 1; // the outage's empty intervals
            }
            if (slot != last) {
                held++;
                last = slot;
            }
            previous = b.start;
        }
        return (double) held / Math.max(1, slots);
    }

    /**
     * Whether the series is sampled less often than the longest stride: at least 3 buckets, every gap between
     * them longer than it (such a series is never evaluated; a longer baseline allows longer strides).
     */
    static boolean sparser(List<Bucket> buckets, RegressionConfig config) {
        if (buckets.size() < 3) {
            return false;
        }
        long longest = longestStride(config) * config.evaluationInterval.toMillis();
        for (int i = 1; i < buckets.size(); i++) {
            if (buckets.get(i).start - buckets.get(i - 1).start <= longest) {
                return false;
            }
        }
        return true;
    }

    /** The longest stride a series can have: at most {@link #maxStride}, its longer intervals lining up a day apart. */
    public static int longestStride(RegressionConfig config) {
        for (int m = maxStride(config); m > 1; m--) {
            if (linesUp(m, config)) {
                return m;
            }
        }
        return 1;
    }

    /** Whether intervals of {@code stride} evaluation intervals line up a day and a baseline window apart. */
    static boolean linesUp(int stride, RegressionConfig config) {
        long every = stride * config.evaluationInterval.toMillis();
        return RegressionEvaluator.DAY % every == 0 && config.baselineWindow.toMillis() % every == 0;
    }

    /** The buckets joined into buckets of {@code every} (a multiple of the interval) aligned on the epoch. */
    static List<Bucket> coarsen(List<Bucket> buckets, long every) {
        List<Bucket> out = new ArrayList<>();
        int i = 0;
        while (i < buckets.size()) {
            long start = buckets.get(i).start - Math.floorMod(buckets.get(i).start, every);
            int j = i + 1;
            while (j < buckets.size() && buckets.get(j).start < start + every) {
                j++;
            }
            out.add(Bucket.union(start, buckets.subList(i, j)));
            i = j;
        }
        return out;
    }

    /** Whether a finding raises an alert: a degradation that does not revert an earlier opposite change. */
    static boolean alerted(RegressionFinding f) {
        return f.direction == ChangeDirection.REGRESSION && f.reverts == null;
    }

    /**
     * "api/response_time regression +42% (sudden): mean 180 -> 255"; for a ratio mostly above one half (a hit rate) also
     * its complement, whose change the gates and the severity read ("..., 1 - mean 0.0299 -> 0.0559 (+87%)").
     */
    static String summary(RegressionFinding f) {
        String s = String.format(java.util.Locale.ROOT, "%s/%s %s %s (%s): mean %.4g -> %.4g", f.component, f.metric,
                f.direction.code(), RegressionFinding.relativeText(f.relativeChange, 0), f.type.code(), f.baseline.mean, f.comparison.mean);
        double b = 1 - f.baseline.mean;
        if (MetricKind.isRatio(f.metric) && b > 0 && b < 0.5) {
            double c = 1 - f.comparison.mean;
            s += String.format(java.util.Locale.ROOT, ", 1 - mean %.4g -> %.4g (%+.0f%%)", b, c, 100 * (c - b) / b);
        }
        return s;
    }

    /** The alert candidate of a regression finding (rule {@code regression}; improvements are findings only), one alert per series. */
    static AlertCandidate candidate(RegressionFinding f, AlertStatus status, long t) {
        Evidence evidence = new Evidence()
                .put("summary", summary(f))
                .put("finding_id", f.findingId)
                .put("type", f.type.code())
                .put("relative_change", f.relativeChange)
                .put("welch_p_value", f.welch.pValue)
                .put("cohens_d", f.cohensD)
                .time("change_point_at", f.changePointAt);
        if (status == AlertStatus.CLEARED) {
            evidence.put("note", "the change no longer holds");
        }
        return new AlertCandidate(f.direction.code(), AlertKind.REGRESSION, f.severity, status, f.component, f.metric,
                f.comparison.mean, f.baseline.mean, t, f.changePointAt, evidence);
    }

    /** Open buckets looked up one interval at a time at most: beyond this many intervals, they are walked. */
    private static final int MAX_LOOKUPS = 64;

    /**
     * Removes from the open buckets and returns those starting before {@code cut}. While the input runs
     * ahead of the watermark (a catch-up, a replay, one source split ahead of another) hundreds are open,
     * and walking them all at each interval end the watermark passes was 5% of the job's CPU at 1-minute
     * sampling: the episode knows the oldest open start, so the complete ones are looked up by start
     * (starts are whole intervals), and the next oldest found the same way (or, past {@link #MAX_LOOKUPS}
     * empty intervals, a start no open bucket is older than). Walks the map when the oldest is not known (a
     * new episode, or state from before it was kept) or the range is long.
     */
    private List<Bucket> completeOpenBuckets(Episode e, long cut, long interval) throws Exception {
        List<Bucket> moved = new ArrayList<>();
        if (e != null && e.oldestOpen >= cut) {
            return moved; // nothing complete (Long.MAX_VALUE: nothing open)
        }
        long to = e == null ? cut : Math.min(cut, e.newestBucket + 1);
        if (e != null && e.oldestOpen != Long.MIN_VALUE && (to - e.oldestOpen) / interval < MAX_LOOKUPS) {
            for (long k = e.oldestOpen; k < to; k += interval) {
                Bucket b = open.get(k);
                if (b != null) {
                    moved.add(b);
                    open.remove(k);
                }
            }
            e.oldestOpen = Long.MAX_VALUE;
            long first = cut - Math.floorMod(cut, interval); // the first start at or after cut
            if (first < cut) {
                first = cut > Long.MAX_VALUE - interval ? Long.MAX_VALUE : first + interval;
            }
            for (long k = first, probes = 0; k <= e.newestBucket; k += interval, probes++) {
                if (probes == MAX_LOOKUPS) {
                    // None in the next MAX_LOOKUPS intervals (buckets far ahead of the watermark: a reader
                    // ahead of another, a catch-up): a lower bound is all the next evaluations need, and
                    // they return at once until the watermark reaches it.
                    e.oldestOpen = k;
                    break;
                }
                if (open.contains(k)) {
                    e.oldestOpen = k;
                    break;
                }
            }
            return moved;
        }
        if (open.isEmpty()) {
            if (e != null) {
                e.oldestOpen = Long.MAX_VALUE;
            }
            return moved;
        }
        List<Long> keys = new ArrayList<>();
        long oldestKept = Long.MAX_VALUE;
        for (java.util.Map.Entry<Long, Bucket> entry : open.entries()) {
            if (entry.getKey() < cut) {
                keys.add(entry.getKey());
                moved.add(entry.getValue());
            } else {
                oldestKept = Math.min(oldestKept, entry.getKey());
            }
        }
        for (Long k : keys) {
            open.remove(k);
        }
        if (e != null) {
            e.oldestOpen = oldestKept;
        }
        return moved;
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<RegressionFinding> out) throws Exception {
        Episode e = episode.value();
        int stride = e == null ? 1 : Math.max(1, e.stride);
        Strided view = strided[stride];
        long oldest = t - view.evaluator.retentionMillis();
        // The closed buckets, sorted by start; the open ones complete by the watermark join them (all of them
        // once the watermark is at its end: in BATCH mode, or after the input, no sample can come for any).
        // A watermark that jumped moves several at the first timer; the timers after it find nothing to move.
        long watermark = ctx.timerService().currentWatermark();
        long interval = config.evaluationInterval.toMillis();
        long cut = watermark == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(t, watermark + 1 - Math.floorMod(watermark + 1, interval));
        // The stored list is read, not copied (on the heap backend it is the state's own list: never changed
        // here but through the state).
        List<Bucket> all = storedClosed();
        // Their starts and means in arrays (kept by the episode between evaluations on the heap backend).
        BucketIndex index = BucketIndex.over(all, e == null ? null : e.bucketIndex);
        List<Bucket> moved = completeOpenBuckets(e, cut, interval);
        boolean inOrder = true;
        for (int i = 0; i < moved.size(); i++) {
            Bucket b = moved.get(i);
            b.trim(); // complete: its spare reservoir slots go
            long previous = i > 0 ? moved.get(i - 1).start : all.isEmpty() ? Long.MIN_VALUE : all.get(all.size() - 1).start;
            inOrder &= b.start > previous;
        }
        int stale = index.firstAtOrAfter(0, index.size(), oldest); // older ones have left the retention
        if (!moved.isEmpty() && inOrder && stale < PRUNE_AFTER) {
            // The usual case: the newest intervals, appended (the state appends; no copy of the list).
            closed.addAll(moved);
            all = storedClosed();
            index.append(moved);
        } else if (!moved.isEmpty() || stale >= PRUNE_AFTER) {
            List<Bucket> kept = new ArrayList<>(all.size() - stale + moved.size());
            kept.addAll(all.subList(stale, all.size()));
            kept.addAll(moved);
            if (!inOrder) {
                kept.sort((a, b) -> Long.compare(a.start, b.start));
            }
            closed.update(kept);
            all = kept;
            if (inOrder) {
                index.dropFirst(stale);
                index.append(moved);
            } else {
                index = BucketIndex.of(kept);
            }
        }
        if (e == null) {
            return;
        }
        e.bucketIndex = index;
        assert index.indexes(all) : "the bucket index is out of step with the closed buckets";
        int from = index.firstAtOrAfter(0, index.size(), oldest);
        // A view: nothing changes the closed buckets until this evaluation is over.
        BucketIndex.Indexed list = index.view(all, from, index.firstAtOrAfter(0, index.size(), t));
        if (e.week == null) {
            e.week = new HourlyMeans(); // state from before the week-ago reference
        }
        // The hourly means take the buckets before t not taken yet (not those moved: in BATCH mode every bucket
        // is moved at the first timer, and the means must be what a streaming run has at t).
        long untaken = e.week.newest == Long.MIN_VALUE ? Long.MIN_VALUE : e.week.newest + 1;
        for (Bucket b : list.subList(ChangeShape.firstAtOrAfter(list, untaken), list.size())) {
            e.week.add(b.start, b.count, b.mean);
        }
        e.closedBefore = Math.max(e.closedBefore, cut);
        if (e.closed != null && e.closed.detectedAt < oldest) {
            e.closed = null; // no change point can lie before the buckets held: it can no longer be continued
        }
        if (list.isEmpty()) {
            if (from == all.size() && open.isEmpty()) {
                open.clear();
                closed.clear();
                episode.clear();
            } else {
                episode.update(e);
            }
            return;
        }
        // The series' sampling decides how often it is evaluated: a series sampled less often than the interval is
        // evaluated every stride intervals, over buckets and windows stride times as long (so 10-minute, 30-minute
        // and hourly series need no configuration of their own). A new stride starts the sequential test afresh.
        int measured = stride(list, t, config, e.stride);
        if (!e.sparser && sparser(list, config)) {
            e.sparser = true;
            tooSparse.add(1); // counted once per series: the run's report names how many were never evaluable
        }
        if (measured > 0 && measured != stride) {
            stride = measured;
            e.stride = measured;
            e.cusum = new SequentialTest.Cusum();
            view = strided[stride];
            list = index.view(all, index.firstAtOrAfter(0, index.size(), t - view.evaluator.retentionMillis()),
                    index.firstAtOrAfter(0, index.size(), t));
        }
        long every = stride * interval;
        if (Math.floorMod(t, every) != 0) {
            episode.update(e); // not the end of one of this series' longer intervals
            return;
        }
        List<Bucket> buckets = stride == 1 ? list : coarsen(list, every);
        if (e.cusum == null) {
            e.cusum = new SequentialTest.Cusum(); // state from before the sequential test
        }
        view.sequential.update(e.cusum, t, buckets);
        e.comparisonMillis = view.config.comparisonWindow.toMillis();
        e.intervalMillis = every;
        RegressionEvaluator.Evaluation ev = view.evaluator.evaluate(e.component, e.metric, levels.directionOf(e.component, e.metric),
                RegressionEvaluator.gatesFor(levels, view.config, e.component, e.metric), t, buckets, e.cusum, e.week);
        if (ev != null) {
            evaluations.add(1);
        }
        RegressionFinding before = e.finding;
        RegressionFinding emitted = e.next(ev, t, config.closeAfter, catalogue);
        if (emitted != null) {
            out.collect(emitted);
        }
        // Alerts are for degradations: an improvement is a finding (regressions/, the report, the SQL tables),
        // not an alert to raise and resolve.
        // A finding that reverts an earlier opposite change (the series back where it was) raises no alert either.
        // An update of the same finding (its next version: the change grew or was retyped) is the same alert, firing
        // on with the new figures, not a resolve and a raise (each a transition the flap guard counts).
        boolean sameFinding = before != null && e.finding != null && before.findingId.equals(e.finding.findingId);
        if (before != null && e.finding != before && alerted(before) && !(sameFinding && alerted(e.finding))) {
            ctx.output(EPISODES, candidate(before, AlertStatus.CLEARED, t));
        }
        if (emitted != null && e.finding == emitted && alerted(emitted)) {
            ctx.output(EPISODES, candidate(emitted, AlertStatus.FIRING, t));
        }
        AlertCandidate prediction = Predictions.next(e, list, t, levels, config, trendScratch);
        if (prediction != null) {
            ctx.output(PREDICTIONS, prediction);
        }
        episode.update(e);

    }
}
