package dev.perfwatch.io;

import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.DeadLetter.Reason;
import dev.perfwatch.model.Ingested;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.SourceLine;

/**
 * Turns one {@link SourceLine} (a JSON object, or a CSV row with its file's header) into a validated
 * {@link MetricSample} ({@link JsonSampleReader}, {@link CsvSampleReader}, {@link SampleValidator}),
 * or a refusal that names the field and the bad value. Never throws anything else on bad input. Not
 * thread-safe (keeps the last CSV header's layout); one per reader.
 */
public final class MetricParser {

    private final SampleValidator validator;
    private final JsonSampleReader json;
    private final CsvSampleReader csv;

    public MetricParser(ParserSettings settings) {
        this.validator = new SampleValidator(settings);
        this.json = new JsonSampleReader(validator);
        this.csv = new CsvSampleReader(validator, settings);
    }

    /**
     * @return the sample, or null for a line that carries none (blank line, CSV header row)
     * @throws Rejection when the line is refused
     */
    public MetricSample parse(SourceLine line) throws Rejection {
        switch (line.kind) {
            case SourceLine.CSV_HEADER:
                return null;
            case SourceLine.TOO_LONG:
                throw new Rejection(Reason.LINE_TOO_LONG, "line is longer than the limit (ingest.max-line-bytes); its start is kept");
            case SourceLine.BAD_ENCODING:
                throw new Rejection(Reason.BAD_ENCODING, "line is not valid UTF-8; invalid bytes shown as U+FFFD");
            case SourceLine.BAD_COMPRESSION:
                throw new Rejection(Reason.BAD_COMPRESSION, line.text);
            default:
                break;
        }
        String text = stripBomAndCr(line.text);
        if (isBlank(text)) {
            return null;
        }
        MetricSample sample = line.csvHeader == null ? json.read(text) : csv.read(text, line.csvHeader, line.origin);
        validator.validate(sample);
        sample.origin = line.origin;
        sample.line = line.line;
        return sample;
    }

    /** The line as a sample, a dead letter with its reason, or skipped; never throws on bad input. */
    public Ingested ingest(SourceLine line) {
        try {
            MetricSample sample = parse(line);
            return sample != null ? Ingested.accepted(sample) : Ingested.skipped(line.kind == SourceLine.CSV_HEADER);
        } catch (Rejection r) {
            return Ingested.refused(new DeadLetter(line.text, r.reason(), r.getMessage(), line.origin, line.line, r.eventTime()));
        }
    }

    public static boolean isBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String stripBomAndCr(String text) {
        int start = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
        int end = text.length();
        if (end > start && text.charAt(end - 1) == '\r') {
            end--;
        }
        return start == 0 && end == text.length() ? text : text.substring(start, end);
    }
}
