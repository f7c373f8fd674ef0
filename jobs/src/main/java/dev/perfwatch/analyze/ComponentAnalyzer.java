package dev.perfwatch.analyze;

import dev.perfwatch.alerting.LifecycleInput;
import dev.perfwatch.alerting.LifecycleInputs;
import dev.perfwatch.config.AnalysisConfig;
import dev.perfwatch.config.MetricLevels;
import dev.perfwatch.model.BottleneckReport;
import dev.perfwatch.model.BottleneckStatus;
import dev.perfwatch.model.BottleneckType;
import dev.perfwatch.model.Evidence;
import dev.perfwatch.model.HealthScore;
import dev.perfwatch.model.SuggestionReport;
import dev.perfwatch.pipeline.CleanupTimers;
import dev.perfwatch.suggest.Condition;
import dev.perfwatch.suggest.Facts;
import dev.perfwatch.suggest.Suggestion;
import dev.perfwatch.suggest.SuggestionCatalogue;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per component, at each profile window: the profile ({@link Profile}), its bottlenecks
 * ({@link BottleneckRules}) with their lifecycle, the health score ({@link HealthScores}) and the
 * catalogue suggestions that apply ({@link SuggestionCatalogue}).
 *
 * <p>A bottleneck is reported when it opens, when its severity (smoothed: half the last window's, half
 * the smoothed value before) moves by {@code analysis.severity-step} from what was last reported (ongoing), and when it has not held for {@code analysis.resolve-after}
 * windows (resolved); not every window. A suggestion is reported when it starts to apply, and again
 * when its evidence grows (a condition holds that the last row did not show, or its priority is a quarter
 * above the last row's) or {@code analysis.suggestion-repeat} has passed since the last row; one that stops
 * applying and applies again before that adds no row. Health is reported every window (side output).
 *
 * <p>State per component: a few numbers per metric and profile window for {@code history-windows}
 * windows, the open bottlenecks and reported suggestions; all of it removed (open bottlenecks resolved
 * first) when the component has been silent for {@code alerts.retention}.
 */
public class ComponentAnalyzer extends KeyedProcessFunction<String, ComponentWindow, BottleneckReport>
        implements CleanupTimers.Cleanup {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<HealthScore> HEALTH = new OutputTag<>("health") {};
    public static final OutputTag<SuggestionReport> SUGGESTIONS = new OutputTag<>("suggestions") {};
    /**
     * What the alert lifecycle needs from here: each bottleneck report as a candidate and each health
     * score as a heartbeat, in one stream (one exchange fewer for the task to write).
     */
    public static final OutputTag<LifecycleInput> LIFECYCLE = new OutputTag<>("lifecycle") {};

    private final AnalysisConfig cfg;
    private final MetricLevels levels;
    private final SuggestionCatalogue catalogue;
    private final Duration retention;
    private transient ValueState<ComponentState> state;

    public ComponentAnalyzer(AnalysisConfig cfg, MetricLevels levels, SuggestionCatalogue catalogue, Duration retention) {
        this.cfg = cfg;
        this.levels = levels;
        this.catalogue = catalogue;
        this.retention = retention;
    }

    /**
     * A bottleneck opens once the windows its condition held in, in a row, hold this many samples of the metric
     * behind it (as a p95 needs, {@link MetricWindow#MIN_VALUES_FOR_P95}), or after {@code resolve-after}
     * windows, whichever comes first: at once where a window holds a minute of 2-second samples, after three
     * windows of a series sampled every minute, whose single windows are five values.
     */
    static final long MIN_EVIDENCE_SAMPLES = MetricWindow.MIN_VALUES_FOR_P95;

    /** How far below its bar (a tenth) the metric behind an open bottleneck keeps it open. */
    static final double HYSTERESIS = 0.1;

    /** Whether the metric behind an open bottleneck is still near what opened it ({@link Profile.Signal#near}). */
    private boolean nearWhatOpenedIt(Profile p, ComponentState.OpenBottleneck o) {
        Profile.Signal sig = o.metric == null ? null : p.metric(o.metric);
        return sig != null && sig.near(cfg.elevatedRatio, HYSTERESIS);
    }

    /** The samples of the metric a detection rests on in this window (as many as needed when it names none). */
    private static long samplesBehind(Profile p, BottleneckRules.Detection d) {
        Profile.Signal sig = p.metric(d.evidence().text("metric"));
        return sig == null ? MIN_EVIDENCE_SAMPLES : sig.samples;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("component-analysis", ComponentState.class));
    }

    @Override
    public void processElement(ComponentWindow w, Context ctx, Collector<BottleneckReport> out) throws Exception {
        if (!cfg.enabled) {
            return; // kept in the graph (stable uids) but idle
        }
        ComponentState s = state.value();
        if (s == null) {
            s = new ComponentState();
            s.component = w.component;
        } else {
            ctx.timerService().deleteEventTimeTimer(s.lastWindowEnd + retention.toMillis());
        }
        Profile p = Profile.of(w, s, levels, cfg);
        Map<BottleneckType, BottleneckRules.Detection> detected = BottleneckRules.detect(p, cfg);

        // Lifecycle: which reports this window makes.
        List<BottleneckReport> reports = new ArrayList<>();
        for (BottleneckType type : BottleneckType.values()) {
            BottleneckRules.Detection d = detected.get(type);
            ComponentState.OpenBottleneck o = s.open.get(type.code());
            if (d != null) {
                if (o == null) {
                    ComponentState.PendingBottleneck pending = s.pending.computeIfAbsent(type.code(), k -> new ComponentState.PendingBottleneck());
                    if (pending.windows == 0) {
                        pending.since = w.windowStart;
                    }
                    pending.windows++;
                    pending.samples += samplesBehind(p, d);
                    if (pending.samples < MIN_EVIDENCE_SAMPLES && pending.windows < cfg.resolveAfter) {
                        continue; // too few samples yet to tell a bottleneck from one high value
                    }
                    s.pending.remove(type.code());
                    d.evidence().put("held_windows", pending.windows).put("held_samples", pending.samples);
                    o = new ComponentState.OpenBottleneck();
                    o.openedAt = pending.since;
                    o.reportedSeverity = d.severity();
                    s.open.put(type.code(), o);
                    reports.add(report(p, type, BottleneckStatus.OPEN, d.severity(), d.confidence(), d.rootCause(), d.evidence(), o));
                    o.severity = d.severity();
                } else {
                    // Severity smoothed over windows (half each), so a series that swings around a level
                    // does not report every swing.
                    o.severity = 0.5 * o.severity + 0.5 * d.severity();
                    if (Math.abs(o.severity - o.reportedSeverity) >= cfg.severityStep) {
                        o.reportedSeverity = o.severity;
                        reports.add(report(p, type, BottleneckStatus.ONGOING, o.severity, d.confidence(), d.rootCause(), d.evidence(), o));
                    }
                }
                o.confidence = d.confidence();
                o.rootCause = d.rootCause();
                o.metric = d.evidence().text("metric");
                o.misses = 0;
            } else if (o == null) {
                s.pending.remove(type.code());
            } else if (nearWhatOpenedIt(p, o)) {
                o.misses = 0; // hysteresis: not gone while its metric is within a tenth of the level or ratio
            } else if (++o.misses >= cfg.resolveAfter) {
                s.open.remove(type.code());
                reports.add(report(p, type, BottleneckStatus.RESOLVED, 0, o.confidence,
                        "resolved after " + cfg.resolveAfter + " windows without it; it was: " + o.rootCause,
                        new Evidence().put("ended_by", "condition cleared"), o));
            }
        }

        // Suggestions, on the profile's facts and the open bottlenecks.
        Facts facts = p.facts();
        Map<BottleneckType, Double> open = new EnumMap<>(BottleneckType.class);
        double worst = 0;
        double confidence = 0;
        for (Map.Entry<String, ComponentState.OpenBottleneck> e : s.open.entrySet()) {
            BottleneckType type = BottleneckType.of(e.getKey());
            open.put(type, e.getValue().severity);
            facts.put("bottleneck." + type.code(), e.getValue().severity).put("bottleneck." + type.code() + ".confidence", e.getValue().confidence);
            worst = Math.max(worst, e.getValue().severity);
            confidence = Math.max(confidence, e.getValue().confidence);
        }
        facts.put("bottleneck.any", worst).put("confidence", open.isEmpty() ? 0.5 : confidence);
        List<SuggestionCatalogue.Match> matches = catalogue.matching(facts);
        for (BottleneckReport r : reports) {
            if (r.status != BottleneckStatus.RESOLVED) {
                String metric = r.evidence.text("metric");
                for (SuggestionCatalogue.Match m : matches) {
                    if (relevant(m, r.type, metric)) {
                        r.suggestions.add(m.suggestion().id);
                    }
                }
            }
            out.collect(r);
            ctx.output(LIFECYCLE, LifecycleInputs.bottleneck(r));
        }
        reportSuggestions(p, facts, matches, s, ctx);

        HealthScore health = HealthScores.of(p, open, s.scores);
        s.scores = HealthScores.remember(s.scores, health.score);
        ctx.output(HEALTH, health);
        ctx.output(LIFECYCLE, LifecycleInputs.heartbeat(health));

        remember(p, s);
        s.lastWindowEnd = w.windowEnd;
        state.update(s);
        ctx.timerService().registerEventTimeTimer(w.windowEnd + retention.toMillis());
    }

    private void reportSuggestions(Profile p, Facts facts, List<SuggestionCatalogue.Match> matches, ComponentState s, Context ctx) {
        Set<String> applying = new HashSet<>();
        for (int i = 0; i < matches.size(); i++) {
            SuggestionCatalogue.Match m = matches.get(i);
            Suggestion sg = m.suggestion();
            applying.add(sg.id);
            StringBuilder heldText = new StringBuilder();
            m.held().forEach(c -> heldText.append(c.describe()).append(';'));
            ComponentState.ReportedSuggestion before = s.suggestions.get(sg.id);
            // Evidence that grew is a condition holding that the last row did not show, or a priority a quarter
            // above the last row's. Evidence that shrank is not reported again: a rule of "any" conditions on a
            // signal that hovers at one's limit (CPU about 95%: cpu_headroom <= 5) wrote a row at every
            // crossing, 55 a day on a real CPU series (the NAB series ec2_cpu_utilization_825cc2).
            boolean report = before == null
                    || p.windowStart - before.reportedAt >= cfg.suggestionRepeat.toMillis()
                    || newCondition(m, before.held)
                    || m.priority() >= 1.25 * before.priority;
            if (!report) {
                continue;
            }
            ComponentState.ReportedSuggestion now = new ComponentState.ReportedSuggestion();
            now.reportedAt = p.windowStart;
            now.priority = m.priority();
            now.held = heldText.toString();
            s.suggestions.put(sg.id, now);
            SuggestionReport r = new SuggestionReport();
            r.component = p.component;
            r.windowStart = p.windowStart;
            r.windowEnd = p.windowEnd;
            r.suggestionId = sg.id;
            r.rank = i + 1;
            r.category = sg.category;
            r.title = sg.title;
            r.priority = m.priority();
            r.impact = sg.impact;
            r.effort = sg.effort;
            r.risk = sg.risk;
            r.confidence = m.confidence();
            r.timeEstimate = sg.timeEstimate;
            m.bottlenecks().forEach(b -> r.bottlenecks.add(b.code()));
            for (Condition c : m.held()) {
                Object actual = facts.get(c.field);
                r.reasons.add(new SuggestionReport.Reason(c.describe(), Condition.format(actual)));
            }
            r.steps = new ArrayList<>(sg.steps);
            r.metricsToWatch = new ArrayList<>(sg.metricsToWatch);
            r.example = sg.example;
            ctx.output(SUGGESTIONS, r);
        }
        // A suggestion that stopped applying is remembered until its repeat is due: one that applies again
        // with the same conditions (the next of a CPU series' 15-minute peaks, four a day) adds no row.
        s.suggestions.entrySet().removeIf(e -> !applying.contains(e.getKey())
                && p.windowStart - e.getValue().reportedAt >= cfg.suggestionRepeat.toMillis());
    }

    /** Whether a condition of the match held that is not among {@code reported} (conditions, each ended by ';'). */
    private static boolean newCondition(SuggestionCatalogue.Match m, String reported) {
        List<String> shown = Arrays.asList(reported.split(";"));
        for (Condition c : m.held()) {
            if (!shown.contains(c.describe())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a suggestion addresses a bottleneck: one of the conditions that held names the bottleneck
     * or a signal of the metric behind it (e.g. cache_hit_rate_change for the cache's exhaustion).
     */
    static boolean relevant(SuggestionCatalogue.Match m, BottleneckType type, String metric) {
        if (m.bottlenecks().contains(type)) {
            return true;
        }
        if (metric == null) {
            return false;
        }
        for (Condition c : m.held()) {
            if (c.field.startsWith(metric) || c.field.startsWith(SIGNAL_PREFIX.getOrDefault(metric, metric))) {
                return true;
            }
        }
        return false;
    }

    /** The prefix of the derived signals of a metric (db_share of database_query_time, ...). */
    private static final Map<String, String> SIGNAL_PREFIX = Map.of("database_query_time", "db_", "cpu_usage", "cpu_",
            "memory_usage", "memory_", "queue_depth", "queue_", "disk_io", "disk_", "network_io", "network_", "gc_time", "gc_");

    private BottleneckReport report(Profile p, BottleneckType type, BottleneckStatus status, double severity, double confidence,
            String rootCause, Evidence evidence, ComponentState.OpenBottleneck o) {
        BottleneckReport r = new BottleneckReport();
        r.component = p.component;
        r.windowStart = p.windowStart;
        r.windowEnd = p.windowEnd;
        r.type = type;
        r.status = status;
        r.severity = severity;
        r.confidence = confidence;
        r.rootCause = rootCause;
        r.evidence = evidence;
        r.openedAt = o.openedAt;
        return r;
    }

    /**
     * Adds this window to each metric's history, marked elevated when it is, or when an open bottleneck
     * rests on it (elevated windows stay out of baselines: a leak is measured from where it started).
     */
    private void remember(Profile p, ComponentState s) {
        Set<String> behindBottlenecks = new HashSet<>();
        s.open.values().forEach(o -> behindBottlenecks.add(o.metric));
        for (Profile.Signal sig : p.metrics.values()) {
            ComponentState.MetricHistory h = s.history.computeIfAbsent(sig.metric, m -> new ComponentState.MetricHistory(cfg.historyWindows));
            h.add(p.windowStart, sig.mean, sig.p95, sig.elevated(cfg.elevatedRatio) || behindBottlenecks.contains(sig.metric));
        }
    }

    @Override
    public long cleanupDue() throws Exception {
        ComponentState s = state.value();
        return s == null ? Long.MIN_VALUE : s.lastWindowEnd + retention.toMillis();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<BottleneckReport> out) throws Exception {
        ComponentState s = state.value();
        if (s == null || timestamp != s.lastWindowEnd + retention.toMillis()) {
            return;
        }
        for (BottleneckType type : BottleneckType.values()) {
            ComponentState.OpenBottleneck o = s.open.get(type.code());
            if (o == null) {
                continue;
            }
            BottleneckReport r = new BottleneckReport();
            r.component = s.component;
            r.windowStart = s.lastWindowEnd;
            r.windowEnd = timestamp;
            r.type = type;
            r.status = BottleneckStatus.RESOLVED;
            r.confidence = o.confidence;
            r.rootCause = "no data for " + org.apache.flink.util.TimeUtils.formatWithHighestUnit(retention) + "; it was: " + o.rootCause;
            r.evidence = new Evidence().put("ended_by", "no data");
            r.openedAt = o.openedAt;
            out.collect(r);
            ctx.output(LIFECYCLE, LifecycleInputs.bottleneck(r));
        }
        state.clear();
    }
}
