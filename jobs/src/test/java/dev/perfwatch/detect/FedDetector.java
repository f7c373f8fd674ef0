package dev.perfwatch.detect;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.pipeline.PartialAggregates;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import java.util.List;

/**
 * The regression detector fed as the job feeds it: samples folded into interval parts where they are
 * read ({@link PartialAggregates}, as the job's local aggregation does), the parts into the detector's
 * operator harness; a watermark reaches the parts first, then the detector.
 */
final class FedDetector {
    final KeyedOneInputStreamOperatorTestHarness<Long, BucketPartial, RegressionFinding> harness;
    private final PartialAggregates parts;

    FedDetector(PerfwatchConfig c) throws Exception {
        KeySelector<BucketPartial, Long> key = p -> p.seriesId;
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new RegressionDetector(c.regression, c.levels(), c.catalogue()), key, Types.LONG);
        long interval = c.regression.evaluationInterval.toMillis();
        parts = PartialAggregates.intervals(c.regression, c.eventTime.maxOutOfOrderness.toMillis(),
                    p -> harness.processElement(new StreamRecord<>(p, p.bucket.start + interval - 1)));
    }

    /** Opened already (the harness factory opens it). */
    void open() {}

    void processElement(StreamRecord<MetricSample> sample) throws Exception {
        parts.add(sample.getValue());
    }

    void processWatermark(Watermark w) throws Exception {
        parts.advance(w.getTimestamp());
        harness.processWatermark(w);
    }

    List<RegressionFinding> extractOutputValues() {
        return harness.extractOutputValues();
    }

    int numKeyedStateEntries() {
        return harness.numKeyedStateEntries();
    }

    int numEventTimeTimers() {
        return harness.numEventTimeTimers();
    }

    org.apache.flink.streaming.api.operators.AbstractStreamOperator<RegressionFinding> getOperator() {
        return harness.getOperator();
    }

    void close() throws Exception {
        harness.close();
    }
}
