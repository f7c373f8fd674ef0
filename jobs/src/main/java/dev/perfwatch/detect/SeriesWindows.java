package dev.perfwatch.detect;

import dev.perfwatch.analyze.ComponentInput;
import dev.perfwatch.analyze.SummaryAccumulator;
import dev.perfwatch.analyze.SummaryPartial;
import dev.perfwatch.analyze.WindowSummaries;
import dev.perfwatch.config.AlertsConfig;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.Keys;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One keyed operator per series for everything that reads its window summaries alone: it folds the
 * window parts ({@link SummaryPartial}) into tumbling event-time windows, emits each window's
 * {@link WindowSummary} when the window closes, and hands the same summary at once to the
 * {@link SeriesDetectors} (thresholds, anomaly scores, the sequence patterns' pre-filters, the memory
 * leak's ring), whose alert candidates go to {@link #COMPONENT} and whose pattern windows to their side output.
 *
 * <p>It replaces a window operator followed by a second exchange to the detectors: each series-window
 * is shuffled, serialized, looked up and timed once instead of twice, and in BATCH mode sorted once
 * instead of twice (at one sample a minute every window is a record, so a backfill of a month sorted
 * 43.2 million summaries a second time).
 *
 * <p>The windows behave as Flink's {@code TumblingEventTimeWindows} with an incremental aggregate: a
 * window fires when the watermark passes its last millisecond, its summary stamped with that
 * millisecond; a part whose window has already fired is late (in streaming mode it goes to
 * {@link #LATE}). In BATCH mode a series' parts come sorted by time and the watermark stays back
 * until the series ends, so a window is complete as soon as a part of a later window arrives, and it
 * fires then: one window open per series, not all of its history. There the detectors' cleanup timer
 * (window end plus {@code alerts.retention}, the same for all of them) is kept by this operator, since
 * Flink ignores timers registered once a series has ended: it fires before the next window when the
 * series was silent for longer than the retention (as in streaming), and at the series' end after its
 * last window. In streaming mode the detectors' timers are kept as keyed state with one Flink timer at or
 * before the earliest ({@link DetectorTimers}): they move their cleanup at every window, and Flink's timer
 * queue is not touched for that.
 */
public final class SeriesWindows extends AbstractUdfStreamOperator<WindowSummary, SeriesDetectors>
        implements OneInputStreamOperator<SummaryPartial, WindowSummary>, Triggerable<Long, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    /** Window parts that arrived after their window had fired (streaming mode only). */
    public static final OutputTag<SummaryPartial> LATE = new OutputTag<>("window-late") {};
    /**
     * To the per-component stages: each series' part of every profile window, the summaries the component
     * patterns can match ({@link AlertPatterns.ComponentPatternWindows}), and the detectors' alert candidates
     * (thresholds, anomaly scores, the memory leak), for the alert lifecycle.
     */
    public static final OutputTag<ComponentInput> COMPONENT = new OutputTag<>("component-inputs") {};

    private final long windowMillis;
    private final double relativeAccuracy;
    private final long retentionMillis;
    private final boolean batch;
    private final MetricLevels levels;
    private final long profileMillis;
    private final AlertPatterns.ComponentPatternWindows componentWindows;

    private transient MapState<Long, SummaryAccumulator> windows;
    private transient ValueState<ComponentInput> profilePart;
    /** BATCH mode: the detectors' cleanup time after the last window fired (its end plus the retention). */
    private transient ValueState<Long> cleanup;
    private transient InternalTimerService<VoidNamespace> timers;
    /** Streaming mode: the detectors' timers, kept as state and registered with Flink lazily ({@link DetectorTimers}). */
    private transient DetectorTimers detectorTimers;
    private transient Detectors detectors;

    /**
     * profileMillis: the component profile window ({@link #COMPONENT} gets each series' part of it); componentWindows:
     * the summaries {@link #COMPONENT} gets as well.
     */
    SeriesWindows(SeriesDetectors detectors, long windowMillis, double relativeAccuracy, long retentionMillis, boolean batch,
            MetricLevels levels, long profileMillis, AlertPatterns.ComponentPatternWindows componentWindows) {
        super(detectors);
        this.windowMillis = windowMillis;
        this.relativeAccuracy = relativeAccuracy;
        this.retentionMillis = retentionMillis;
        this.batch = batch;
        this.levels = levels;
        this.profileMillis = profileMillis;
        this.componentWindows = componentWindows;
    }

    /**
     * The window summaries of {@code parts} (the operator's output) with the per-series detectors over them:
     * their alert candidates (the memory leak's among them) on {@link #COMPONENT}, the sequence patterns' windows
     * on {@link SequencePreFilters#PATTERN_WINDOWS}, late parts on {@link #LATE}.
     */
    public static SingleOutputStreamOperator<WindowSummary> apply(DataStream<SummaryPartial> parts, java.time.Duration window,
            double relativeAccuracy, AlertsConfig alerts, MetricLevels levels, java.time.Duration profileWindow, boolean batch) {
        AlertsConfig.Patterns p = alerts.patterns;
        boolean runs = p.consecutiveBreaches.enabled;
        boolean crossings = p.flapping.enabled;
        SequencePreFilters preFilters = runs || crossings ? new SequencePreFilters(levels, alerts.retention, runs, crossings) : null;
        MemoryLeakPattern.Rising leak = p.memoryLeak.enabled ? new MemoryLeakPattern.Rising(p.memoryLeak, levels, alerts.retention.toMillis()) : null;
        SeriesDetectors detectors = new SeriesDetectors(new ThresholdRules(levels, alerts.retention),
                new AnomalyScores(alerts.anomaly, levels, alerts.retention), preFilters, leak, p.memoryLeak.metric);
        return parts.keyBy(Keys.PARTIAL_SERIES)
                .transform("window summaries, threshold rules, anomaly scores" + (preFilters != null ? ", pattern pre-filters" : "")
                                + (leak != null ? ", memory leak" : ""),
                        TypeInformation.of(WindowSummary.class),
                        new SeriesWindows(detectors, window.toMillis(), relativeAccuracy, alerts.retention.toMillis(), batch, levels,
                                profileWindow.toMillis(), new AlertPatterns.ComponentPatternWindows(p, levels)))
                .uid("series-windows");
    }

    @Override
    public void open() throws Exception {
        super.open();
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("open-windows", Types.LONG,
                TypeInformation.of(SummaryAccumulator.class)));
        profilePart = getRuntimeContext().getState(new ValueStateDescriptor<>("profile-part", ComponentInput.class));
        cleanup = batch ? getRuntimeContext().getState(new ValueStateDescriptor<>("detectors-cleanup", Types.LONG)) : null;
        timers = getInternalTimerService("series-windows", VoidNamespaceSerializer.INSTANCE, this);
        TimerService service = new SimpleTimerService(timers);
        detectorTimers = batch ? null : new DetectorTimers(service,
                getRuntimeContext().getState(new ValueStateDescriptor<>("detector-timers", long[].class)));
        detectors = new Detectors(userFunction, batch ? new OwnedCleanup(service) : detectorTimers);
    }

    @Override
    public void processElement(StreamRecord<SummaryPartial> element) throws Exception {
        SummaryPartial part = element.getValue();
        long start = TimeWindow.getWindowStartWithOffset(element.getTimestamp(), 0, windowMillis);
        long last = start + windowMillis - 1;
        if (batch) {
            fireBefore(start);
        } else if (last <= timers.currentWatermark()) {
            output.collect(LATE, new StreamRecord<>(part, element.getTimestamp()));
            return;
        }
        SummaryAccumulator acc = windows.get(start);
        boolean opened = acc == null;
        acc = part.foldInto(opened ? new SummaryAccumulator(relativeAccuracy) : acc);
        windows.put(start, acc);
        if (opened) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, last);
            if (batch) {
                // The detectors' cleanup for the window that will be the series' last (see OwnedCleanup).
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, start + windowMillis + retentionMillis);
            }
        }
    }

    /** BATCH mode: every open window before {@code start} is complete (the input is sorted by time); fire them. */
    private void fireBefore(long start) throws Exception {
        long[] before = null;
        int n = 0;
        for (Long s : windows.keys()) { // one at most: the series' windows come in time order
            if (s < start) {
                before = before == null ? new long[2] : before.length == n ? java.util.Arrays.copyOf(before, 2 * n) : before;
                before[n++] = s;
            }
        }
        if (before == null) {
            return;
        }
        java.util.Arrays.sort(before, 0, n);
        for (int i = 0; i < n; i++) {
            long s = before[i];
            SummaryAccumulator acc = windows.get(s);
            windows.remove(s);
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, s + windowMillis - 1);
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, s + windowMillis + retentionMillis);
            fire(s, acc);
        }
    }

    @Override
    public void onEventTime(InternalTimer<Long, VoidNamespace> timer) throws Exception {
        long ts = timer.getTimestamp();
        long start = ts + 1 - windowMillis;
        SummaryAccumulator acc = windows.get(start);
        if (acc != null) {
            windows.remove(start);
            fire(start, acc);
        }
        if (batch) {
            detectors.timer(ts);
        } else {
            detectorTimers.fired(ts);
        }
        ComponentInput part = profilePart.value();
        // Streaming: the profile window's end (its timer); BATCH: the series' end (no window open any more).
        if (part != null && (batch ? windows.isEmpty() : ts == part.profileStart + profileMillis - 1)) {
            emit(part);
        }
    }

    private void fire(long start, SummaryAccumulator acc) throws Exception {
        long last = start + windowMillis - 1;
        if (batch) {
            // A series silent for longer than the retention: in streaming the detectors' cleanup timer fires before
            // this window does (timers fire in time order); here, where the windows fire as the next one opens, it
            // fires now, at its own time.
            Long due = cleanup.value();
            if (due != null && due < last) {
                detectors.timer(due);
            }
            cleanup.update(start + windowMillis + retentionMillis);
        }
        WindowSummary summary = WindowSummaries.summarize(acc.component(), acc.metric(), start, start + windowMillis, acc);
        output.collect(new StreamRecord<>(summary, last));
        detectors.element(summary, last);
        if (componentWindows.filter(summary)) {
            output.collect(COMPONENT, new StreamRecord<>(ComponentInput.of(summary), last));
        }
        profile(summary, last);
    }

    /**
     * Folds the summary into the series' part of its profile window, and sends the part on once complete: when
     * the summary is the window's last, when a summary of a later window comes (BATCH), or at the window's end
     * (streaming: a timer) or the series' end (BATCH).
     */
    private void profile(WindowSummary summary, long last) throws Exception {
        long start = TimeWindow.getWindowStartWithOffset(last, 0, profileMillis);
        ComponentInput part = profilePart.value();
        if (part != null && part.profileStart != start) {
            emit(part); // a summary of a later profile window: the part is complete
            part = null;
        }
        boolean created = part == null;
        if (created) {
            part = ComponentInput.profilePart(summary.component, summary.metric, start);
        }
        MetricThresholds t = levels.of(summary.component, summary.metric);
        part.profile.add(summary, t == null ? null : t.statistic);
        if (summary.windowEnd == start + profileMillis) {
            emit(part);
            return;
        }
        profilePart.update(part);
        if (created && !batch) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, start + profileMillis - 1);
        }
    }

    private void emit(ComponentInput part) {
        output.collect(COMPONENT, new StreamRecord<>(part, part.profileStart + profileMillis - 1));
        profilePart.clear();
    }

    @Override
    public void onProcessingTime(InternalTimer<Long, VoidNamespace> timer) {}

    /**
     * BATCH mode: Flink ignores (with a warning each) a timer registered while a series' timers fire at its end,
     * which is when its last window fires. The detectors' timers are their cleanup at the newest window's end
     * plus the retention; this operator keeps it for them (registered for each window it opens, dropped when that
     * window fires before the series' end, and fired before the next window when the series was silent that
     * long), so the detectors' own registrations are not needed and not passed on.
     */
    private static final class OwnedCleanup extends EventTimeOnly {
        OwnedCleanup(TimerService timers) {
            super(timers);
        }

        @Override
        public void registerEventTimeTimer(long time) {}

        @Override
        public void deleteEventTimeTimer(long time) {}
    }

    /** The detectors' timer service: event time only, the clocks read from Flink's. */
    private abstract static class EventTimeOnly implements TimerService {
        final TimerService flink;

        EventTimeOnly(TimerService flink) {
            this.flink = flink;
        }

        @Override
        public long currentProcessingTime() {
            return flink.currentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return flink.currentWatermark();
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            throw new UnsupportedOperationException("the series detectors use event time only");
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {}
    }

    /**
     * Streaming mode: the detectors' event-time timers as keyed state (a short ascending set of times, usually
     * one: the cleanup at the newest window's end plus the retention, which every detector moves at every
     * window), with one Flink timer (the guard) at or before the earliest. The detectors delete and register
     * theirs at each window, which on Flink's timer queue was three deletions and three registrations a
     * series-window; here they change the set, and a guard is registered only when the earliest time is earlier
     * than the guard, or the guard has fired. A guard left behind by a moved time fires at its time, finds no
     * detector timer there and registers the earliest one: about once per retention a series, not at every
     * window. The detectors are called at each of their times and only then (they act only on a timer that is
     * their own, so calling them at the window timers as before changed nothing). A key without the set (none
     * registered, or state from before it existed) calls them at every timer, as before.
     */
    private final class DetectorTimers extends EventTimeOnly {
        private static final long NONE = Long.MIN_VALUE;
        /** The guard's time (NONE: none pending), then the set ascending. */
        private final ValueState<long[]> state;
        private long[] set = new long[4];
        private int n;
        private long guard;
        private boolean wasNull;
        private boolean changed;

        DetectorTimers(TimerService flink, ValueState<long[]> state) {
            super(flink);
            this.state = state;
        }

        /** Reads the current key's set (before the detectors are called). */
        void load() throws Exception {
            long[] held = state.value();
            wasNull = held == null;
            n = held == null ? 0 : held.length - 1;
            guard = held == null ? NONE : held[0];
            if (n > set.length) {
                set = new long[Math.max(n, 2 * set.length)];
            }
            if (n > 0) {
                System.arraycopy(held, 1, set, 0, n);
            }
            changed = false;
        }

        /** Registers a guard when the earliest time has none at or before it, and writes the set back. */
        void store() throws Exception {
            if (n > 0 && (guard == NONE || set[0] < guard)) {
                flink.registerEventTimeTimer(set[0]);
                guard = set[0];
                changed = true;
            }
            if (!changed) {
                return;
            }
            if (n > 0) {
                long[] held = new long[n + 1];
                held[0] = guard;
                System.arraycopy(set, 0, held, 1, n);
                state.update(held);
            } else if (!wasNull) {
                state.clear(); // a guard still pending fires, finds no set and calls the detectors, who ignore it
            }
        }

        /** A Flink timer of the current key at {@code ts}: calls the detectors if it is one of their times. */
        void fired(long ts) throws Exception {
            load();
            if (ts == guard) {
                guard = NONE;
                changed = true;
            }
            if (wasNull) {
                detectors.timer(ts);
            } else {
                int i = java.util.Arrays.binarySearch(set, 0, n, ts);
                if (i >= 0) {
                    remove(i);
                    detectors.timer(ts);
                }
            }
            store();
        }

        private void remove(int i) {
            System.arraycopy(set, i + 1, set, i, n - i - 1);
            n--;
            changed = true;
        }

        @Override
        public void registerEventTimeTimer(long time) {
            int i = java.util.Arrays.binarySearch(set, 0, n, time);
            if (i >= 0) {
                return;
            }
            i = -i - 1;
            if (n == set.length) {
                set = java.util.Arrays.copyOf(set, 2 * n);
            }
            System.arraycopy(set, i, set, i + 1, n - i);
            set[i] = time;
            n++;
            changed = true;
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            int i = java.util.Arrays.binarySearch(set, 0, n, time);
            if (i >= 0) {
                remove(i);
            }
        }
    }

    /** Calls the detectors with their summary (or timer) as their own keyed operator would. */
    private final class Detectors {
        private final SeriesDetectors function;
        private final TimerService service;
        private final ElementContext elementContext;
        private final TimerContext timerContext;
        private final Out out = new Out();

        Detectors(SeriesDetectors function, TimerService service) {
            this.function = function;
            this.service = service;
            this.elementContext = new ElementContext(function);
            this.timerContext = new TimerContext(function);
        }

        /** The time of the summary or timer the detectors are called with: their outputs' time. */
        private long timestamp;

        void element(WindowSummary summary, long timestamp) throws Exception {
            this.timestamp = timestamp;
            if (detectorTimers == null) {
                function.processElement(summary, elementContext, out);
                return;
            }
            detectorTimers.load();
            function.processElement(summary, elementContext, out);
            detectorTimers.store();
        }

        void timer(long timestamp) throws Exception {
            this.timestamp = timestamp;
            function.onTimer(timestamp, timerContext, out);
        }

        private <X> void emit(OutputTag<X> tag, X value) {
            output.collect(tag, new StreamRecord<>(value, timestamp));
        }

        private final class Out implements Collector<AlertCandidate> {
            @Override
            public void collect(AlertCandidate candidate) {
                emit(COMPONENT, ComponentInput.of(candidate));
            }

            @Override
            public void close() {}
        }

        private final class ElementContext extends SeriesDetectors.Context {
            ElementContext(SeriesDetectors function) {
                function.super();
            }

            @Override
            public Long timestamp() {
                return timestamp;
            }

            @Override
            public TimerService timerService() {
                return service;
            }

            @Override
            public <X> void output(OutputTag<X> tag, X value) {
                emit(tag, value);
            }

            @Override
            public Long getCurrentKey() {
                return (Long) SeriesWindows.this.getCurrentKey();
            }
        }

        private final class TimerContext extends SeriesDetectors.OnTimerContext {
            TimerContext(SeriesDetectors function) {
                function.super();
            }

            @Override
            public Long timestamp() {
                return timestamp;
            }

            @Override
            public TimerService timerService() {
                return service;
            }

            @Override
            public <X> void output(OutputTag<X> tag, X value) {
                emit(tag, value);
            }

            @Override
            public TimeDomain timeDomain() {
                return TimeDomain.EVENT_TIME;
            }

            @Override
            public Long getCurrentKey() {
                return (Long) SeriesWindows.this.getCurrentKey();
            }
        }
    }
}
