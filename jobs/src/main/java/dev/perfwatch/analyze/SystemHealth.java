package dev.perfwatch.analyze;

import dev.perfwatch.model.HealthScore;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole system's health per profile window, from the components' scores of that window (all keyed
 * to one key: one row per window). Its breakdown is each component's share of the lost points. The
 * components' scores pass through it, so the health output is one stream (one exchange fewer upstream).
 */
public final class SystemHealth extends ProcessWindowFunction<HealthScore, HealthScore, String, TimeWindow> {

    private static final long serialVersionUID = 1L;
    private static final ValueStateDescriptor<double[]> PREVIOUS = new ValueStateDescriptor<>("system-health-previous", double[].class);

    /** The key every component score is sent to. */
    public static String key(HealthScore h) {
        return HealthScore.SYSTEM;
    }

    @Override
    public void process(String key, Context ctx, Iterable<HealthScore> scores, Collector<HealthScore> out) throws Exception {
        List<HealthScore> components = new ArrayList<>();
        scores.forEach(components::add);
        ValueState<double[]> previous = ctx.globalState().getState(PREVIOUS);
        double[] before = previous.value() == null ? new double[0] : previous.value();
        HealthScore system = HealthScores.system(components, before);
        system.windowStart = ctx.window().getStart();
        system.windowEnd = ctx.window().getEnd();
        previous.update(HealthScores.remember(before, system.score));
        out.collect(system);
        components.forEach(out::collect);
    }
}
