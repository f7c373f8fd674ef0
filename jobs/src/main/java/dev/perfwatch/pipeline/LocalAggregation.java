package dev.perfwatch.pipeline;

import dev.perfwatch.analyze.SummaryPartial;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.detect.BucketPartial;
import dev.perfwatch.detect.RegressionEvaluator;
import dev.perfwatch.model.MetricSample;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Chained to the ingest gate: folds the samples into per-series window and interval parts
 * ({@link PartialAggregates}) and sends those on, the summary parts as its output (to the window
 * summaries) and the bucket parts to {@link #BUCKETS} (to the regression detector), each stamped with
 * the last millisecond of its window. Parts not yet complete at a checkpoint are kept in operator
 * state and taken up again on restore (after a rescale, by whichever instance gets them: the keyed
 * operators behind merge parts of one window).
 */
public final class LocalAggregation extends AbstractStreamOperator<SummaryPartial>
        implements OneInputStreamOperator<MetricSample, SummaryPartial>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    /** Regression buckets, one per series and evaluation interval. */
    public static final OutputTag<BucketPartial> BUCKETS = new OutputTag<>("regression-buckets") {};

    private final long windowMillis;
    private final double relativeAccuracy;
    private final long intervalMillis;
    private final int bucketCapacity;
    private final long boundMillis;
    private transient PartialAggregates parts;
    private transient ListState<SummaryPartial> heldSummaries;
    private transient ListState<BucketPartial> heldBuckets;

    public LocalAggregation(PerfwatchConfig config) {
        this.windowMillis = config.windows.summary.toMillis();
        this.relativeAccuracy = config.windows.quantileRelativeAccuracy;
        this.intervalMillis = config.regression.enabled ? config.regression.evaluationInterval.toMillis() : 0;
        this.bucketCapacity = RegressionEvaluator.bucketCapacity(config.regression);
        this.boundMillis = config.eventTime.maxOutOfOrderness.toMillis();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        parts = new PartialAggregates(windowMillis, relativeAccuracy,
                p -> output.collect(new StreamRecord<>(p, p.windowEnd - 1)),
                intervalMillis, bucketCapacity,
                intervalMillis == 0 ? null : p -> output.collect(BUCKETS, new StreamRecord<>(p, p.bucket.start + intervalMillis - 1)),
                boundMillis);
        heldSummaries = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("held-summary-parts", SummaryPartial.class));
        heldBuckets = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("held-bucket-parts", BucketPartial.class));
        if (context.isRestored()) {
            for (SummaryPartial p : heldSummaries.get()) {
                parts.restore(p);
            }
            for (BucketPartial p : heldBuckets.get()) {
                parts.restore(p);
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        heldSummaries.update(parts.heldSummaries());
        heldBuckets.update(parts.heldBuckets());
    }

    @Override
    public void processElement(StreamRecord<MetricSample> element) throws Exception {
        parts.add(element.getValue());
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        parts.advance(mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void endInput() throws Exception {
        parts.advance(Long.MAX_VALUE);
    }
}
