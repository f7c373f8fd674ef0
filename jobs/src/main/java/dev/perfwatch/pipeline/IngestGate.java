package dev.perfwatch.pipeline;

import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.Ingested;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.OutputJson;
import dev.perfwatch.model.Timestamps;

import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.EnumMap;

/**
 * Every record a source read passes here, right after the source (chained, no shuffle): it is
 * counted; a refused line goes to {@link #DEAD_LETTERS}; a sample at or behind the watermark goes
 * there too, with reason {@code late}, before any window or pattern sees it, so every operator
 * downstream agrees on what was on time and no late sample vanishes inside a window; the rest go on.
 */
public class IngestGate extends ProcessFunction<Ingested, MetricSample> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final long maxOutOfOrdernessMillis;
    private final TimeRange range;
    private transient JobCounter outside;
    private transient JobCounter filesDone;
    private transient JobCounter warmup;
    private transient JobCounter lines;
    private transient JobCounter samples;
    private transient JobCounter blank;
    private transient JobCounter deadLetters;
    private transient JobCounter late;
    private transient EnumMap<DeadLetter.Reason, JobCounter> byReason;
    private transient LongMinimum firstEvent;
    private transient LongMaximum lastEvent;

    public IngestGate(long maxOutOfOrdernessMillis) {
        this(maxOutOfOrdernessMillis, TimeRange.ALL);
    }

    /** A gate that passes on only the samples (and dead letters with an event time) that {@code range} reads. */
    public IngestGate(long maxOutOfOrdernessMillis, TimeRange range) {
        this.maxOutOfOrdernessMillis = maxOutOfOrdernessMillis;
        this.range = range;
    }

    @Override
    public void open(OpenContext openContext) {
        lines = JobCounter.of(getRuntimeContext(), null, Counters.LINES);
        samples = JobCounter.of(getRuntimeContext(), null, Counters.SAMPLES);
        blank = JobCounter.of(getRuntimeContext(), null, Counters.BLANK_LINES);
        deadLetters = JobCounter.of(getRuntimeContext(), null, Counters.DEAD_LETTERS);
        late = JobCounter.of(getRuntimeContext(), null, Counters.LATE);
        outside = JobCounter.of(getRuntimeContext(), null, Counters.OUTSIDE_RANGE);
        filesDone = JobCounter.of(getRuntimeContext(), null, Counters.FILES_DONE);
        warmup = JobCounter.of(getRuntimeContext(), null, Counters.WARMUP_SAMPLES);
        byReason = new EnumMap<>(DeadLetter.Reason.class);
        firstEvent = new LongMinimum();
        lastEvent = new LongMaximum();
        getRuntimeContext().addAccumulator(Counters.accumulator(Counters.FIRST_EVENT), firstEvent);
        getRuntimeContext().addAccumulator(Counters.accumulator(Counters.LAST_EVENT), lastEvent);
    }

    @Override
    public void processElement(Ingested record, Context ctx, Collector<MetricSample> out) {
        if (record.fileDone != null) {
            filesDone.add(1);
            return;
        }
        lines.add(1);
        if (record.rejected != null) {
            long t = record.rejected.partitionTime();
            if (t != Long.MIN_VALUE && !range.reads(t)) {
                outside.add(1); // another range's run reports it
            } else {
                refuse(record.rejected, ctx);
            }
        } else if (record.sample == null) {
            if (!record.header) {
                blank.add(1);
            }
        } else {
            MetricSample sample = record.sample;
            if (!range.reads(sample.timestamp)) {
                outside.add(1);
                return;
            }
            if (sample.timestamp < range.writeFrom()) {
                warmup.add(1);
            }
            long watermark = ctx.timerService().currentWatermark();
            if (sample.timestamp <= watermark) {
                late.add(1);
                refuse(lateLetter(sample, watermark, maxOutOfOrdernessMillis), ctx);
            } else {
                samples.add(1);
                firstEvent.add(sample.timestamp);
                lastEvent.add(sample.timestamp);
                out.collect(sample);
            }
        }
    }

    private void refuse(DeadLetter letter, Context ctx) {
        deadLetters.add(1);
        byReason.computeIfAbsent(letter.reason,
                r -> JobCounter.of(getRuntimeContext(), Counters.DEAD_LETTERS_BY_REASON, r.code())).add(1);
        ctx.output(DEAD_LETTERS, letter);
    }

    static DeadLetter lateLetter(MetricSample sample, long watermark, long maxOutOfOrdernessMillis) {
        String detail = "event time " + Timestamps.iso(sample.timestamp) + " is at or behind the watermark "
                + (watermark == Long.MAX_VALUE ? "(end of input)" : Timestamps.iso(watermark))
                + "; samples may arrive at most " + maxOutOfOrdernessMillis
                + " ms out of order (event-time.max-out-of-orderness)";
        return new DeadLetter(OutputJson.toJson(sample), DeadLetter.Reason.LATE, detail,
                sample.origin, sample.line, sample.timestamp);
    }
}
