package dev.perfwatch.pipeline;

import dev.perfwatch.io.JsonLinesEncoder;
import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.Timestamps;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends samples at or behind the current watermark to dead letters with reason {@code late}, before
 * any window or pattern sees them, so every downstream operator agrees on what was on time and no
 * late sample vanishes inside a window operator.
 */
public class LateFilter extends ProcessFunction<MetricSample, MetricSample> {

    private static final long serialVersionUID = 1L;

    private final long maxOutOfOrdernessMillis;
    private transient LongCounter late;

    public LateFilter(long maxOutOfOrdernessMillis) {
        this.maxOutOfOrdernessMillis = maxOutOfOrdernessMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getLongCounter(Counters.LATE);
    }

    @Override
    public void processElement(MetricSample sample, Context ctx, Collector<MetricSample> out) {
        long watermark = ctx.timerService().currentWatermark();
        if (sample.timestamp <= watermark) {
            late.add(1);
            ctx.output(ParseMetrics.DEAD_LETTERS, lateLetter(sample, watermark, maxOutOfOrdernessMillis));
        } else {
            out.collect(sample);
        }
    }

    static DeadLetter lateLetter(MetricSample sample, long watermark, long maxOutOfOrdernessMillis) {
        String detail = "event time " + Timestamps.iso(sample.timestamp) + " is at or behind the watermark "
                + (watermark == Long.MAX_VALUE ? "(end of input)" : Timestamps.iso(watermark))
                + "; samples may arrive at most " + maxOutOfOrdernessMillis
                + " ms out of order (event-time.max-out-of-orderness)";
        return new DeadLetter(JsonLinesEncoder.toJson(sample), DeadLetter.Reason.LATE, detail,
                sample.origin, sample.line, sample.timestamp);
    }
}
