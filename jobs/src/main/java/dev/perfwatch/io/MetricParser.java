package dev.perfwatch.io;

import dev.perfwatch.model.DeadLetter.Reason;
import dev.perfwatch.model.MetricKind;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.SourceLine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns one {@link SourceLine} (a JSON object, or a CSV row with its file's header) into a validated
 * {@link MetricSample}, or a {@link Rejection} that names the field and the bad value. Never throws
 * anything else on bad input. Not thread-safe (keeps the last CSV header's layout); one per task.
 */
public final class MetricParser {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Pattern CSV_NUMBER =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private static final int F_TIMESTAMP = 1, F_METRIC = 2, F_VALUE = 4, F_COMPONENT = 8,
            F_HOST = 16, F_UNIT = 32, F_TAGS = 64;

    private final ParserSettings settings;
    private String cachedHeaderText;
    private CsvLayout cachedLayout;

    public MetricParser(ParserSettings settings) {
        this.settings = settings;
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
            default:
                break;
        }
        String text = stripBomAndCr(line.text);
        if (isBlank(text)) {
            return null;
        }
        MetricSample sample = line.csvHeader == null ? parseJson(text) : parseCsv(text, line.csvHeader, line.origin);
        validate(sample);
        sample.origin = line.origin;
        sample.line = line.line;
        return sample;
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

    // ---------------------------------------------------------------- JSON

    private MetricSample parseJson(String text) throws Rejection {
        MetricSample s = new MetricSample();
        int seen = 0;
        Long timestamp = null;
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new Rejection(Reason.NOT_AN_OBJECT, "expected a JSON object, got " + describe(first));
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int flag = flagOf(name);
                if (flag == 0) {
                    throw new Rejection(Reason.UNKNOWN_FIELD, "unknown field '" + clip(name)
                            + "'; expected timestamp, metric, value, component, host, unit, tags", timestamp);
                }
                if ((seen & flag) != 0) {
                    throw new Rejection(Reason.DUPLICATE_KEY, "field '" + name + "' appears more than once", timestamp);
                }
                seen |= flag;
                switch (flag) {
                    case F_TIMESTAMP:
                        timestamp = readTimestamp(p, v);
                        s.timestamp = timestamp;
                        break;
                    case F_METRIC:
                        s.metric = readString(p, v, "metric", true, timestamp);
                        break;
                    case F_COMPONENT:
                        s.component = readString(p, v, "component", true, timestamp);
                        break;
                    case F_HOST:
                        s.host = readString(p, v, "host", false, timestamp);
                        break;
                    case F_UNIT:
                        s.unit = readString(p, v, "unit", false, timestamp);
                        break;
                    case F_VALUE:
                        s.value = readValue(p, v, timestamp);
                        break;
                    default:
                        s.tags = readTags(p, v, timestamp);
                        break;
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new Rejection(Reason.MALFORMED_JSON, "JSON object is not closed");
            }
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new Rejection(Reason.MALFORMED_JSON, "unexpected " + describe(after) + " after the JSON object", timestamp);
            }
        } catch (JsonProcessingException e) {
            throw new Rejection(Reason.MALFORMED_JSON, "not valid JSON: " + firstLine(e.getOriginalMessage())
                    + " (column " + e.getLocation().getColumnNr() + ")", timestamp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requireFields(seen, timestamp);
        return s;
    }

    private static int flagOf(String name) {
        switch (name) {
            case "timestamp": return F_TIMESTAMP;
            case "metric": return F_METRIC;
            case "value": return F_VALUE;
            case "component": return F_COMPONENT;
            case "host": return F_HOST;
            case "unit": return F_UNIT;
            case "tags": return F_TAGS;
            default: return 0;
        }
    }

    private static void requireFields(int seen, Long timestamp) throws Rejection {
        List<String> missing = new ArrayList<>(4);
        if ((seen & F_TIMESTAMP) == 0) {
            missing.add("timestamp");
        }
        if ((seen & F_METRIC) == 0) {
            missing.add("metric");
        }
        if ((seen & F_VALUE) == 0) {
            missing.add("value");
        }
        if ((seen & F_COMPONENT) == 0) {
            missing.add("component");
        }
        if (!missing.isEmpty()) {
            throw new Rejection(Reason.MISSING_FIELD, "required field" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + (missing.size() > 1 ? " are" : " is") + " missing", timestamp);
        }
    }

    private Long readTimestamp(JsonParser p, JsonToken v) throws IOException, Rejection {
        switch (v) {
            case VALUE_STRING:
                return parseTimestamp(p.getText());
            case VALUE_NUMBER_INT:
                if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
                    throw new Rejection(Reason.TIMESTAMP_OUT_OF_RANGE, "timestamp " + clip(p.getText()) + " is too large for epoch milliseconds");
                }
                return checkTimestampRange(p.getLongValue(), p.getText());
            case VALUE_NUMBER_FLOAT:
                throw new Rejection(Reason.WRONG_TYPE, "timestamp " + clip(p.getText())
                        + " is a fractional number; epoch timestamps must be whole milliseconds");
            case VALUE_NULL:
                throw new Rejection(Reason.MISSING_FIELD, "required field timestamp is null");
            default:
                throw new Rejection(Reason.WRONG_TYPE, "timestamp must be a string or epoch milliseconds, got " + describe(v));
        }
    }

    private long parseTimestamp(String text) throws Rejection {
        long millis;
        try {
            millis = TimestampParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Rejection(Reason.BAD_TIMESTAMP, e.getMessage());
        }
        return checkTimestampRange(millis, text);
    }

    private long checkTimestampRange(long millis, String text) throws Rejection {
        if (millis < settings.earliestTimestamp || millis >= settings.latestTimestamp) {
            throw new Rejection(Reason.TIMESTAMP_OUT_OF_RANGE, "timestamp " + clip(text) + " is outside ["
                    + java.time.Instant.ofEpochMilli(settings.earliestTimestamp) + ", "
                    + java.time.Instant.ofEpochMilli(settings.latestTimestamp) + ") (ingest.earliest-timestamp, ingest.latest-timestamp)");
        }
        return millis;
    }

    private static String readString(JsonParser p, JsonToken v, String field, boolean required, Long ts)
            throws IOException, Rejection {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.VALUE_NULL) {
            if (required) {
                throw new Rejection(Reason.MISSING_FIELD, "required field " + field + " is null", ts);
            }
            return null;
        }
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            throw new Rejection(Reason.WRONG_TYPE, field + " must be a string, got " + describe(v), ts);
        }
        throw new Rejection(Reason.WRONG_TYPE, field + " must be a string, got " + describe(v) + " " + clip(p.getText()), ts);
    }

    private static double readValue(JsonParser p, JsonToken v, Long ts) throws IOException, Rejection {
        switch (v) {
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                double d = p.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw new Rejection(Reason.NOT_FINITE, "value " + clip(p.getText()) + " is not a finite double", ts);
                }
                return d;
            case VALUE_NULL:
                throw new Rejection(Reason.MISSING_FIELD, "required field value is null", ts);
            case VALUE_STRING:
                throw new Rejection(Reason.WRONG_TYPE, "value must be a number, got string \"" + clip(p.getText()) + "\"", ts);
            default:
                throw new Rejection(Reason.WRONG_TYPE, "value must be a number, got " + describe(v), ts);
        }
    }

    private String readTags(JsonParser p, JsonToken v, Long ts) throws IOException, Rejection {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            throw new Rejection(Reason.INVALID_TAGS, "tags must be an object of string values, got " + describe(v), ts);
        }
        TreeMap<String, String> tags = new TreeMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken tv = p.nextToken();
            if (tv != JsonToken.VALUE_STRING) {
                throw new Rejection(Reason.INVALID_TAGS, "tag '" + clip(key) + "' must be a string, got " + describe(tv), ts);
            }
            putTag(tags, key, p.getText(), ts);
        }
        return tags.isEmpty() ? null : canonicalTags(tags);
    }

    private void putTag(Map<String, String> tags, String key, String value, Long ts) throws Rejection {
        String problem = Names.problem(key, settings.maxNameLength);
        if (problem != null) {
            throw new Rejection(Reason.INVALID_TAGS, "tag key '" + clip(key) + "' is not valid: " + problem, ts);
        }
        if (value.length() > 256) {
            throw new Rejection(Reason.INVALID_TAGS, "tag '" + key + "' value is " + value.length() + " characters long, the limit is 256", ts);
        }
        if (tags.put(key, value) != null) {
            throw new Rejection(Reason.DUPLICATE_KEY, "tag '" + key + "' appears more than once", ts);
        }
        if (tags.size() > settings.maxTags) {
            throw new Rejection(Reason.INVALID_TAGS, "more than " + settings.maxTags + " tags (ingest.max-tags)", ts);
        }
    }

    private static String canonicalTags(Map<String, String> tags) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : tags.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- CSV

    private MetricSample parseCsv(String text, String headerText, String origin) throws Rejection {
        CsvLayout layout = layoutOf(headerText);
        if (layout.problem != null) {
            throw new Rejection(Reason.CSV_HEADER, layout.problem);
        }
        List<String> cells = splitCsv(text);
        if (cells.size() != layout.columns.size()) {
            throw new Rejection(Reason.CSV_COLUMNS, "row has " + cells.size() + " columns, the header has "
                    + layout.columns.size() + " (" + String.join(",", layout.columns) + ")");
        }
        MetricSample s = new MetricSample();
        Long ts = null;
        String tsText = cells.get(layout.timestamp).trim();
        if (tsText.isEmpty()) {
            throw new Rejection(Reason.MISSING_FIELD, "required column timestamp is empty");
        }
        ts = parseTimestamp(tsText);
        s.timestamp = ts;
        String valueText = cells.get(layout.value).trim();
        if (valueText.isEmpty()) {
            throw new Rejection(Reason.MISSING_FIELD, "required column value is empty", ts);
        }
        if (!CSV_NUMBER.matcher(valueText).matches()) {
            String lower = valueText.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("nan") || lower.contains("inf")) {
                throw new Rejection(Reason.NOT_FINITE, "value '" + clip(valueText) + "' is not a finite number", ts);
            }
            throw new Rejection(Reason.WRONG_TYPE, "value '" + clip(valueText) + "' is not a number", ts);
        }
        s.value = Double.parseDouble(valueText);
        if (!Double.isFinite(s.value)) {
            throw new Rejection(Reason.NOT_FINITE, "value " + clip(valueText) + " is not a finite double", ts);
        }
        s.metric = layout.metric >= 0 ? requiredCell(cells, layout.metric, "metric", ts) : settings.csvMetric;
        s.component = layout.component >= 0 ? requiredCell(cells, layout.component, "component", ts) : fromFile(settings.csvComponent, origin);
        s.host = layout.host >= 0 ? emptyToNull(cells.get(layout.host)) : null;
        s.unit = layout.unit >= 0 ? emptyToNull(cells.get(layout.unit)) : null;
        if (!layout.tagColumns.isEmpty()) {
            TreeMap<String, String> tags = new TreeMap<>();
            for (Map.Entry<Integer, String> tag : layout.tagColumns.entrySet()) {
                String v = cells.get(tag.getKey());
                if (!v.isEmpty()) {
                    putTag(tags, tag.getValue(), v, ts);
                }
            }
            s.tags = tags.isEmpty() ? null : canonicalTags(tags);
        }
        return s;
    }

    /** Replaces {@code {file}} in a default name with the file's name without its extension. */
    static String fromFile(String name, String origin) {
        if (name == null || !name.contains("{file}")) {
            return name;
        }
        String file = origin == null ? "" : origin.substring(origin.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return name.replace("{file}", dot > 0 ? file.substring(0, dot) : file);
    }

    private static String requiredCell(List<String> cells, int index, String column, Long ts) throws Rejection {
        String v = cells.get(index).trim();
        if (v.isEmpty()) {
            throw new Rejection(Reason.MISSING_FIELD, "required column " + column + " is empty", ts);
        }
        return v;
    }

    private static String emptyToNull(String v) {
        String t = v.trim();
        return t.isEmpty() ? null : t;
    }

    private CsvLayout layoutOf(String headerText) {
        if (!headerText.equals(cachedHeaderText)) {
            cachedLayout = new CsvLayout(headerText, settings);
            cachedHeaderText = headerText;
        }
        return cachedLayout;
    }

    /** RFC 4180 fields: commas separate, double quotes quote, "" is a quote inside quotes. */
    static List<String> splitCsv(String text) throws Rejection {
        List<String> cells = new ArrayList<>(8);
        StringBuilder cell = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (true) {
            cell.setLength(0);
            if (i < n && text.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        cell.append(c);
                    }
                }
                if (!closed) {
                    throw new Rejection(Reason.CSV_QUOTING, "a quoted field is not closed");
                }
                if (i < n && text.charAt(i) != ',') {
                    throw new Rejection(Reason.CSV_QUOTING, "unexpected character '" + text.charAt(i)
                            + "' after a closing quote at position " + (i + 1));
                }
            } else {
                while (i < n && text.charAt(i) != ',') {
                    char c = text.charAt(i++);
                    if (c == '"') {
                        throw new Rejection(Reason.CSV_QUOTING, "a quote inside an unquoted field at position " + i);
                    }
                    cell.append(c);
                }
            }
            cells.add(cell.toString());
            if (i >= n) {
                return cells;
            }
            i++; // the comma
        }
    }

    /** Where each column of a CSV header is; a problem when the header cannot carry samples. */
    private static final class CsvLayout {
        final List<String> columns;
        int timestamp = -1, value = -1, metric = -1, component = -1, host = -1, unit = -1;
        final Map<Integer, String> tagColumns = new TreeMap<>();
        String problem;

        CsvLayout(String headerText, ParserSettings settings) {
            List<String> cols;
            try {
                cols = splitCsv(stripBomAndCr(headerText));
            } catch (Rejection e) {
                columns = List.of();
                problem = "CSV header row is not valid: " + e.getMessage();
                return;
            }
            columns = cols;
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < cols.size(); i++) {
                String name = cols.get(i).trim();
                if (seen.put(name, i) != null) {
                    problem = "CSV header names column '" + name + "' twice";
                    return;
                }
                switch (name) {
                    case "timestamp": timestamp = i; break;
                    case "value": value = i; break;
                    case "metric": metric = i; break;
                    case "component": component = i; break;
                    case "host": host = i; break;
                    case "unit": unit = i; break;
                    default:
                        String nameProblem = Names.problem(name, settings.maxNameLength);
                        if (nameProblem != null) {
                            problem = "CSV header column '" + clip(name) + "' is not a valid tag name: " + nameProblem;
                            return;
                        }
                        tagColumns.put(i, name);
                }
            }
            if (timestamp < 0 || value < 0) {
                problem = "CSV header has no '" + (timestamp < 0 ? "timestamp" : "value") + "' column";
            } else if (metric < 0 && settings.csvMetric == null) {
                problem = "CSV header has no 'metric' column and no --metric was given";
            } else if (component < 0 && settings.csvComponent == null) {
                problem = "CSV header has no 'component' column and no --component was given";
            }
        }
    }

    // ---------------------------------------------------------------- checks common to both formats

    private void validate(MetricSample s) throws Rejection {
        Long ts = s.timestamp;
        checkName("metric", s.metric, ts);
        checkName("component", s.component, ts);
        if (s.host != null) {
            checkName("host", s.host, ts);
        }
        if (Math.abs(s.value) > settings.maxAbsValue) {
            throw new Rejection(Reason.OUT_OF_RANGE, "value " + s.value + " of " + s.metric
                    + " is beyond +/-" + settings.maxAbsValue + " (ingest.max-abs-value)", ts);
        }
        MetricKind kind = MetricKind.of(s.metric);
        if (s.unit != null) {
            if (s.unit.length() > 32) {
                throw new Rejection(Reason.INVALID_NAME, "unit is " + s.unit.length() + " characters long, the limit is 32", ts);
            }
            if (kind != null && !kind.unit().accepts(s.unit)) {
                throw new Rejection(Reason.UNIT_MISMATCH, "unit '" + clip(s.unit) + "' does not match " + s.metric
                        + ", which is measured in " + kind.unit().canonical(), ts);
            }
        }
        if (kind != null) {
            MetricKind.Unit unit = kind.unit();
            if (s.value < unit.min() || s.value > unit.max()) {
                throw new Rejection(Reason.OUT_OF_RANGE, s.metric + " value " + s.value + " must be "
                        + unit.describeRange() + " (" + unit.canonical() + ")", ts);
            }
        }
    }

    private void checkName(String field, String name, Long ts) throws Rejection {
        String problem = Names.problem(name, settings.maxNameLength);
        if (problem != null) {
            throw new Rejection(Reason.INVALID_NAME, field + " '" + clip(name) + "' is not valid: " + problem, ts);
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        switch (t) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return t.asString() == null ? t.name() : "'" + t.asString() + "'";
        }
    }

    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
        for (int i = 0; i < s.length() && i < 80; i++) {
            b.append(Names.printable(s.charAt(i)));
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
