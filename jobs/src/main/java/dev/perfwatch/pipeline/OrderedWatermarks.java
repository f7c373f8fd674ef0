package dev.perfwatch.pipeline;

import dev.perfwatch.model.Ingested;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks emitted from the data itself, not on a processing-time timer:
 * the watermark is {@code maxTimestamp - bound - 1}, emitted whenever it has moved by at least
 * {@link #STEP_MILLIS}. Whether a sample counts as late then depends only on the order of the input,
 * never on how fast the machine happened to be, so the same input gives the same late samples on
 * every run. (Flink's built-in generator emits periodically and would not.) One generator runs per
 * split (file, Kafka partition); records without an event time (dead letters) move nothing.
 */
public final class OrderedWatermarks implements WatermarkGenerator<Ingested> {

    /** Event-time granularity of emitted watermarks; bounds their number to one per second of data. */
    public static final long STEP_MILLIS = 1_000;

    private final long boundMillis;
    private long maxTimestamp = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    public OrderedWatermarks(long boundMillis) {
        this.boundMillis = boundMillis;
    }

    @Override
    public void onEvent(Ingested record, long eventTimestamp, WatermarkOutput output) {
        if (record.sample != null && eventTimestamp > maxTimestamp) {
            maxTimestamp = eventTimestamp;
            long candidate = maxTimestamp - boundMillis - 1;
            if (emitted == Long.MIN_VALUE || candidate >= emitted + STEP_MILLIS) {
                emitted = candidate;
                output.emitWatermark(new Watermark(candidate));
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // Nothing: emitting here would make lateness depend on timing.
    }
}
