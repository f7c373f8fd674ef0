package dev.perfwatch.detect;

import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.config.MetricThresholds;
import dev.perfwatch.model.WindowSummary;
import dev.perfwatch.pipeline.Keys;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.Duration;

/**
 * What the two CEP sequence patterns over one series can see, picked from its window summaries in one
 * keyed operator (one shuffle and, in BATCH mode, one sort of every summary for both patterns instead of
 * one each):
 * <ul>
 * <li>{@link #BREACH_RUNS} for {@link ConsecutiveBreachesPattern}: the windows with p95 beyond the warning
 *     level, and the first window after a run of them (it ends the run: the pattern is strictly
 *     consecutive). State while a run lasts: whether the last window breached.</li>
 * <li>{@link #CROSSINGS} for {@link FlappingPattern}: the windows where the series crosses its warning
 *     level, either way, to a side that holds: a window of {@link #SAMPLES_FOR_A_SIDE} samples or more, or
 *     two windows in a row on the new side (one sample a minute above the level and back is a burst, not
 *     the series' level moving across it); the crossing is the window that shows the new side holds. State:
 *     the side the series holds, and whether a sparse window on the other side awaits the next.</li>
 * </ul>
 * With either, the end of the last window; all of a series' state is cleared by a timer once it is silent
 * for {@code alerts.retention} (as the other detectors' alert state is).
 * A series' quiet windows, nearly all of them, never reach the pattern operators. Emits nothing on its
 * main output.
 */
public final class SequencePreFilters extends KeyedProcessFunction<Long, WindowSummary, WindowSummary> {

    private static final long serialVersionUID = 1L;

    /**
     * Both patterns' windows on one side output, each marked with its pattern: one exchange for both (in BATCH
     * mode each exchange a task writes holds 512 network buffers while it runs, {@link Keys}).
     */
    static final OutputTag<PatternWindow> PATTERN_WINDOWS = new OutputTag<>("pattern-windows", TypeInformation.of(PatternWindow.class));

    /** A window for one of the two sequence patterns: {@link #BREACH_RUNS} or {@link #CROSSINGS}. */
    public static final class PatternWindow {
        public boolean crossing;
        public WindowSummary window;

        public PatternWindow() {}

        PatternWindow(boolean crossing, WindowSummary window) {
            this.crossing = crossing;
            this.window = window;
        }
    }

    /** The windows for {@link ConsecutiveBreachesPattern}. */
    static final boolean BREACH_RUNS = false;
    /** The windows for {@link FlappingPattern}. */
    static final boolean CROSSINGS = true;

    /**
     * A window of this many samples or more holds its side of the warning level by itself (the count a p95
     * needs, jobs/BENCHMARKS.md); sparser windows need the next window on the same side.
     */
    static final long SAMPLES_FOR_A_SIDE = 20;

    private final MetricLevels levels;
    private final Duration retention;
    private final boolean runs;
    private final boolean crossings;
    private transient ValueState<Boolean> inRun;
    private transient ValueState<Boolean> beyond;
    private transient ValueState<Boolean> pendingCrossing;
    private transient ValueState<Long> lastEnd;

    SequencePreFilters(MetricLevels levels, Duration retention, boolean runs, boolean crossings) {
        this.levels = levels;
        this.retention = retention;
        this.runs = runs;
        this.crossings = crossings;
    }

    /** The operator over the summaries, passing runs of breaches and/or crossings to its side outputs. */
    static SingleOutputStreamOperator<WindowSummary> apply(DataStream<WindowSummary> summaries, MetricLevels levels, Duration retention,
            boolean runs, boolean crossings) {
        String name = runs && crossings ? "patterns: runs of breaches, level crossings" : runs ? "pattern: runs of breaches" : "pattern: level crossings";
        return summaries.keyBy(Keys.SUMMARY_SERIES)
                .process(new SequencePreFilters(levels, retention, runs, crossings))
                .uid("pattern-sequence-prefilters").name(name);
    }

    /** The pattern windows of {@code filters}, keyed by series: one exchange, read by both patterns. */
    static KeyedStream<PatternWindow, Long> keyed(SingleOutputStreamOperator<?> filters) {
        return filters.getSideOutput(PATTERN_WINDOWS).keyBy(Keys.PATTERN_SERIES);
    }

    /** One pattern's windows ({@link #BREACH_RUNS} or {@link #CROSSINGS}) after the shared exchange, still keyed by series. */
    static KeyedStream<WindowSummary, Long> windows(KeyedStream<PatternWindow, Long> keyed, boolean crossing) {
        DataStream<WindowSummary> mine = Keys.afterExchange(keyed)
                .flatMap(new Role(crossing)).returns(WindowSummary.class)
                .uid(crossing ? "pattern-crossings" : "pattern-breach-runs")
                .name(crossing ? "pattern: level crossings" : "pattern: runs of breaches");
        return DataStreamUtils.reinterpretAsKeyedStream(mine, Keys.SUMMARY_SERIES);
    }

    /** Keeps one pattern's windows. */
    private static final class Role implements FlatMapFunction<PatternWindow, WindowSummary> {
        private static final long serialVersionUID = 1L;
        private final boolean crossing;

        Role(boolean crossing) {
            this.crossing = crossing;
        }

        @Override
        public void flatMap(PatternWindow w, Collector<WindowSummary> out) {
            if (w.crossing == crossing) {
                out.collect(w.window);
            }
        }
    }

    @Override
    public void open(OpenContext openContext) {
        inRun = getRuntimeContext().getState(new ValueStateDescriptor<>("in-breach-run", Boolean.class));
        beyond = getRuntimeContext().getState(new ValueStateDescriptor<>("beyond-warning", Boolean.class));
        pendingCrossing = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-crossing", Boolean.class));
        lastEnd = getRuntimeContext().getState(new ValueStateDescriptor<>("last-window-end", Long.class));
    }

    @Override
    public void processElement(WindowSummary w, Context ctx, Collector<WindowSummary> out) throws Exception {
        filter(w, ctx);
    }

    /** Passes the window to the side outputs it belongs on (the context of this or another function of the key). */
    void filter(WindowSummary w, KeyedProcessFunction<Long, WindowSummary, ?>.Context ctx) throws Exception {
        MetricThresholds t = levels.of(w.component, w.metric);
        if (t == null || t.warning == null) {
            return; // no warning level: neither pattern can match, nothing to keep
        }
        if (runs) {
            if (AlertPatterns.p95BeyondWarning(levels, w)) {
                ctx.output(PATTERN_WINDOWS, new PatternWindow(BREACH_RUNS, w));
                inRun.update(true);
            } else if (inRun.value() != null) {
                ctx.output(PATTERN_WINDOWS, new PatternWindow(BREACH_RUNS, w));
                inRun.clear();
            }
        }
        if (crossings) {
            boolean now = AlertPatterns.beyondWarning(levels, w);
            Boolean before = beyond.value();
            if (before == null) {
                beyond.update(now);
            } else if (before == now) {
                pendingCrossing.clear(); // a sparse window on the other side, then back: a burst, no crossing
            } else if (w.count >= SAMPLES_FOR_A_SIDE || pendingCrossing.value() != null) {
                // The crossing, at the window that shows the new side holds (its time is the record's: the pattern
                // and the lifecycle see each crossing when it is known, the same in streaming and in batch).
                ctx.output(PATTERN_WINDOWS, new PatternWindow(CROSSINGS, w));
                pendingCrossing.clear();
                beyond.update(now);
            } else {
                pendingCrossing.update(true);
            }
        }
        Long previous = lastEnd.value();
        if (previous != null) {
            ctx.timerService().deleteEventTimeTimer(previous + retention.toMillis());
        }
        lastEnd.update(w.windowEnd);
        ctx.timerService().registerEventTimeTimer(w.windowEnd + retention.toMillis());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowSummary> out) throws Exception {
        expire(timestamp);
    }

    /** Forgets the series when the timer is its own: silent for the retention (a run it was in ends there). */
    void expire(long timestamp) throws Exception {
        Long last = lastEnd.value();
        if (last != null && timestamp == last + retention.toMillis()) {
            inRun.clear();
            beyond.clear();
            pendingCrossing.clear();
            lastEnd.clear();
        }
    }
}
