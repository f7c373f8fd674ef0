package dev.perfwatch.sql;

import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A query's rows for people and for tools: {@code table} (numbers rounded to 4 significant digits,
 * text in full, timestamps ISO-8601), {@code csv} (RFC 4180, full precision) or {@code json} (one object
 * per row, full precision).
 */
public final class ResultPrinter {

    public enum Format { TABLE, CSV, JSON }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultPrinter() {}

    public static Format format(String name) {
        try {
            return Format.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format must be table, csv or json, got '" + name + "'");
        }
    }

    public static void print(TableResult result, Format format, PrintStream out) throws Exception {
        List<String> columns = result.getResolvedSchema().getColumnNames();
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        switch (format) {
            case CSV -> {
                out.println(String.join(",", columns.stream().map(ResultPrinter::csv).toList()));
                for (Row r : rows) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < columns.size(); i++) {
                        cells.add(csv(full(r.getField(i))));
                    }
                    out.println(String.join(",", cells));
                }
            }
            case JSON -> {
                for (Row r : rows) {
                    ObjectNode o = JSON.createObjectNode();
                    for (int i = 0; i < columns.size(); i++) {
                        o.set(columns.get(i), JSON.valueToTree(jsonValue(r.getField(i))));
                    }
                    out.println(JSON.writeValueAsString(o));
                }
            }
            default -> table(columns, rows, out);
        }
    }

    private static void table(List<String> columns, List<Row> rows, PrintStream out) {
        List<String[]> cells = new ArrayList<>();
        int[] width = new int[columns.size()];
        boolean[] numeric = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            width[i] = columns.get(i).length();
            numeric[i] = true;
        }
        for (Row r : rows) {
            String[] c = new String[columns.size()];
            for (int i = 0; i < c.length; i++) {
                Object v = r.getField(i);
                c[i] = display(v);
                numeric[i] &= v == null || v instanceof Number;
                width[i] = Math.max(width[i], c[i].length());
            }
            cells.add(c);
        }
        StringBuilder border = new StringBuilder("+");
        for (int w : width) {
            border.append("-".repeat(w + 2)).append('+');
        }
        out.println(border);
        out.println(line(columns.toArray(new String[0]), width, new boolean[columns.size()]));
        out.println(border);
        for (String[] c : cells) {
            out.println(line(c, width, numeric));
        }
        out.println(border);
        out.println(rows.size() == 1 ? "1 row" : rows.size() + " rows");
    }

    private static String line(String[] c, int[] width, boolean[] right) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < c.length; i++) {
            String pad = " ".repeat(width[i] - c[i].length());
            b.append(' ').append(right[i] ? pad + c[i] : c[i] + pad).append(" |");
        }
        return b.toString();
    }

    /** For people: 4 significant digits (no exponent between 1e-4 and 1e9), NULL, ISO times, text in full. */
    static String display(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d) || d == 0) {
                return Double.toString(d).replace(".0", "");
            }
            double a = Math.abs(d);
            if (a >= 1e9 || a < 1e-4) {
                return String.format(Locale.ROOT, "%.3e", d);
            }
            String s = new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
            return s;
        }
        return full(v);
    }

    static String full(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Instant || v instanceof LocalDateTime) {
            return v.toString();
        }
        return String.valueOf(v);
    }

    private static Object jsonValue(Object v) {
        if (v instanceof Instant || v instanceof LocalDateTime || v instanceof Row || v instanceof java.time.LocalDate) {
            return v.toString();
        }
        return v;
    }

    private static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
