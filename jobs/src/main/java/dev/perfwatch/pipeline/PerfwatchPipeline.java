package dev.perfwatch.pipeline;

import dev.perfwatch.analyze.WindowSummaries;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.detect.AlertPatterns;
import dev.perfwatch.detect.AnomalyScores;
import dev.perfwatch.detect.RegressionDetector;
import dev.perfwatch.detect.ThresholdRules;
import dev.perfwatch.model.RegressionFinding;
import dev.perfwatch.model.AlertCandidate;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.SourceLine;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The one graph perfwatch runs. It takes its input as a stream of lines and returns its outputs as
 * streams, so the live job, the backfill, the demo, the benchmark and every test build the same
 * graph and differ only in the sources and sinks they attach.
 */
public final class PerfwatchPipeline {

    private static final OutputTag<MetricSample> WINDOW_LATE = new OutputTag<>("window-late") {};

    private PerfwatchPipeline() {}

    /** What the pipeline produces. */
    public static final class Outputs {
        /** On-time, validated samples (with event-time timestamps). */
        public final DataStream<MetricSample> samples;
        public final DataStream<WindowSummary> summaries;
        /** Refused and late lines, each with its reason. */
        public final DataStream<DeadLetter> deadLetters;
        /** Threshold, pattern and anomaly alert candidates. */
        public final DataStream<AlertCandidate> alerts;
        /** One finding per regression (or improvement) episode. */
        public final DataStream<RegressionFinding> regressions;

        Outputs(DataStream<MetricSample> samples, DataStream<WindowSummary> summaries, DataStream<DeadLetter> deadLetters,
                DataStream<AlertCandidate> alerts, DataStream<RegressionFinding> regressions) {
            this.samples = samples;
            this.summaries = summaries;
            this.deadLetters = deadLetters;
            this.alerts = alerts;
            this.regressions = regressions;
        }
    }

    public static Outputs build(DataStream<SourceLine> lines, PerfwatchConfig config, ParserSettings parserSettings) {
        SingleOutputStreamOperator<MetricSample> parsed = lines
                .process(new ParseMetrics(parserSettings))
                .uid("parse").name("parse and validate");

        long outOfOrderness = config.eventTime.maxOutOfOrderness.toMillis();
        SingleOutputStreamOperator<MetricSample> onTime = parsed
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<MetricSample>forGenerator(ctx -> new OrderedWatermarks(outOfOrderness))
                        .withTimestampAssigner((sample, previous) -> sample.timestamp)
                        .withIdleness(config.eventTime.idleness))
                .uid("watermarks").name("event-time watermarks")
                .process(new LateFilter(outOfOrderness))
                .uid("late-filter").name("late samples to dead letters");

        SingleOutputStreamOperator<WindowSummary> summaries = onTime
                .keyBy(MetricSample::seriesKey)
                .window(TumblingEventTimeWindows.of(config.windows.summary))
                .sideOutputLateData(WINDOW_LATE)
                .aggregate(new WindowSummaries.Aggregate(config.windows.quantileRelativeAccuracy), new WindowSummaries.Emit())
                .uid("window-summaries").name("window summaries");

        // The late filter runs first, so this stays empty; kept so nothing can vanish silently.
        DataStream<DeadLetter> windowLate = summaries.getSideOutput(WINDOW_LATE)
                .map(sample -> LateFilter.lateLetter(sample, Long.MAX_VALUE, outOfOrderness))
                .returns(DeadLetter.class)
                .uid("window-late").name("window-late samples to dead letters");

        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(ParseMetrics.DEAD_LETTERS)
                .union(onTime.getSideOutput(ParseMetrics.DEAD_LETTERS), windowLate);

        DataStream<AlertCandidate> thresholds = summaries.keyBy(WindowSummary::seriesKey)
                .process(new ThresholdRules(config))
                .uid("threshold-rules").name("threshold rules");
        DataStream<AlertCandidate> anomalies = summaries.keyBy(WindowSummary::seriesKey)
                .process(new AnomalyScores(config))
                .uid("anomaly-scores").name("anomaly scores");

        SingleOutputStreamOperator<RegressionFinding> detected = onTime.keyBy(MetricSample::seriesKey)
                .process(new RegressionDetector(config))
                .uid("regression-detector").name("regression detection");
        DataStream<RegressionFinding> regressions = detected;
        DataStream<AlertCandidate> predictions = detected.getSideOutput(RegressionDetector.PREDICTIONS);
        DataStream<AlertCandidate> alerts = thresholds.union(anomalies, AlertPatterns.all(summaries, config), predictions);

        return new Outputs(onTime, summaries, deadLetters, alerts, regressions);
    }
}
