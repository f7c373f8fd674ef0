package dev.perfwatch.io;

import dev.perfwatch.model.DeadLetter.Reason;
import dev.perfwatch.model.MetricSample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static dev.perfwatch.io.Texts.clip;

/**
 * Reads one CSV row, with its file's header row, into a {@link MetricSample}. Cells are split by
 * jackson-dataformat-csv (RFC 4180: commas separate, double quotes quote, "" is a quote inside
 * quotes); a quote inside an unquoted cell is refused as well, as RFC 4180 asks. Columns named
 * timestamp, value, metric, component, host, unit (in any case) are the sample's; any other column is a tag. A
 * file without metric or component columns takes them from the command line ({@code {file}} in the
 * component stands for the file's name without extension). Keeps the last header's layout.
 */
final class CsvSampleReader {

    private static final CsvFactory CSV = new CsvFactory();
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private final SampleValidator validator;
    private final ParserSettings settings;
    private String cachedHeaderText;
    private Layout cachedLayout;

    CsvSampleReader(SampleValidator validator, ParserSettings settings) {
        this.validator = validator;
        this.settings = settings;
    }

    MetricSample read(String text, String headerText, String origin) throws Rejection {
        Layout layout = layoutOf(headerText);
        if (layout.problem != null) {
            throw new Rejection(Reason.CSV_HEADER, layout.problem);
        }
        List<String> cells = cells(text);
        if (cells.size() != layout.columns.size()) {
            throw new Rejection(Reason.CSV_COLUMNS, "row has " + cells.size() + " columns, the header has "
                    + layout.columns.size() + " (" + String.join(",", layout.columns) + ")");
        }
        MetricSample s = new MetricSample();
        String tsText = cells.get(layout.timestamp).trim();
        if (tsText.isEmpty()) {
            throw new Rejection(Reason.MISSING_FIELD, "required column timestamp is empty");
        }
        Long ts = validator.parseTimestamp(tsText);
        s.timestamp = ts;
        String valueText = cells.get(layout.value).trim();
        if (valueText.isEmpty()) {
            throw new Rejection(Reason.MISSING_FIELD, "required column value is empty", ts);
        }
        if (!NUMBER.matcher(valueText).matches()) {
            String lower = valueText.toLowerCase(Locale.ROOT);
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
                    validator.putTag(tags, tag.getValue(), v, ts);
                }
            }
            s.tags = tags.isEmpty() ? null : JsonSampleReader.canonicalTags(tags);
        }
        return s;
    }

    /** The row's cells, split by Jackson's CSV parser. */
    static List<String> cells(String text) throws Rejection {
        List<String> cells = new ArrayList<>(8);
        try (CsvParser p = (CsvParser) CSV.createParser(text)) {
            p.setSchema(CsvSchema.emptySchema());
            p.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.VALUE_STRING) {
                    String cell = p.getText();
                    int at = (int) p.currentTokenLocation().getCharOffset();
                    boolean quoted = at >= 0 && at < text.length() && text.charAt(at) == '"';
                    int quote = cell.indexOf('"');
                    if (!quoted && quote >= 0) {
                        throw new Rejection(Reason.CSV_QUOTING, "a quote inside an unquoted field at position " + (at + quote + 1));
                    }
                    cells.add(cell);
                }
            }
        } catch (JsonProcessingException e) {
            String message = Texts.firstLine(e.getOriginalMessage());
            throw new Rejection(Reason.CSV_QUOTING, message.startsWith("Missing closing quote")
                    ? "a quoted field is not closed" : "not valid CSV: " + message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (cells.isEmpty()) {
            cells.add(""); // an empty row is one empty cell, as a splitter at commas sees it
        }
        return cells;
    }

    /** Replaces {@code {file}} in a default name with the file's name without its extension (and without .gz before it). */
    static String fromFile(String name, String origin) {
        if (name == null || !name.contains("{file}")) {
            return name;
        }
        String file = origin == null ? "" : LineFormat.withoutCompression(origin.substring(origin.lastIndexOf('/') + 1));
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

    private Layout layoutOf(String headerText) {
        if (!headerText.equals(cachedHeaderText)) {
            cachedLayout = new Layout(headerText, settings);
            cachedHeaderText = headerText;
        }
        return cachedLayout;
    }

    /** Where each column of a CSV header is; a problem when the header cannot carry samples. */
    private static final class Layout {
        final List<String> columns;
        int timestamp = -1, value = -1, metric = -1, component = -1, host = -1, unit = -1;
        final Map<Integer, String> tagColumns = new TreeMap<>();
        String problem;

        Layout(String headerText, ParserSettings settings) {
            List<String> cols;
            try {
                cols = cells(MetricParser.stripBomAndCr(headerText));
            } catch (Rejection e) {
                columns = List.of();
                problem = "CSV header row is not valid: " + e.getMessage();
                return;
            }
            columns = cols;
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < cols.size(); i++) {
                String name = cols.get(i).trim();
                // The sample's own columns in any case (spreadsheets and exports write "Timestamp", "Value").
                String lower = name.toLowerCase(Locale.ROOT);
                if (seen.put(lower, i) != null) {
                    problem = "CSV header names column '" + name + "' twice";
                    return;
                }
                switch (lower) {
                    case "timestamp": timestamp = i; break;
                    case "value": value = i; break;
                    case "metric": metric = i; break;
                    case "component": component = i; break;
                    case "host": host = i; break;
                    case "unit": unit = i; break;
                    default:
                        String nameProblem = Names.problem(name, settings.maxNameLength);
                        if (nameProblem != null) {
                            problem = "CSV header column '" + clip(name) + "' is not a valid tag name: " + nameProblem
                                    + (cols.size() == 1 && (name.contains(";") || name.contains("\t"))
                                            ? " (the file looks " + (name.contains(";") ? "';'" : "tab") + "-separated; perfwatch reads comma-separated CSV)"
                                            : "");
                            return;
                        }
                        tagColumns.put(i, name);
                }
            }
            if (timestamp < 0 || value < 0) {
                problem = "CSV header has no '" + (timestamp < 0 ? "timestamp" : "value") + "' column (its columns: "
                        + clip(String.join(", ", cols)) + "; timestamp and value are required, in any case)";
            } else if (metric < 0 && settings.csvMetric == null) {
                problem = "CSV header has no 'metric' column and no --metric was given";
            } else if (component < 0 && settings.csvComponent == null) {
                problem = "CSV header has no 'component' column and no --component was given";
            }
        }
    }
}
