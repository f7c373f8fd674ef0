package dev.perfwatch.pipeline;

import dev.perfwatch.io.MetricParser;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.io.Rejection;
import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.SourceLine;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses and validates lines. Good samples go on; every refused line goes to {@link #DEAD_LETTERS}
 * with its reason; blank lines and CSV headers are counted. Never throws on bad input.
 */
public class ParseMetrics extends ProcessFunction<SourceLine, MetricSample> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final ParserSettings settings;
    private transient MetricParser parser;
    private transient LongCounter lines;
    private transient LongCounter samples;
    private transient LongCounter blank;
    private transient LongCounter rejected;

    public ParseMetrics(ParserSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new MetricParser(settings);
        lines = getRuntimeContext().getLongCounter(Counters.LINES);
        samples = getRuntimeContext().getLongCounter(Counters.SAMPLES);
        blank = getRuntimeContext().getLongCounter(Counters.BLANK_LINES);
        rejected = getRuntimeContext().getLongCounter(Counters.DEAD_LETTERS);
    }

    @Override
    public void processElement(SourceLine line, Context ctx, Collector<MetricSample> out) {
        lines.add(1);
        try {
            MetricSample sample = parser.parse(line);
            if (sample != null) {
                samples.add(1);
                out.collect(sample);
            } else if (line.kind != SourceLine.CSV_HEADER) {
                blank.add(1);
            }
        } catch (Rejection r) {
            rejected.add(1);
            ctx.output(DEAD_LETTERS, new DeadLetter(line.text, r.reason(), r.getMessage(), line.origin, line.line, r.eventTime()));
        }
    }
}
