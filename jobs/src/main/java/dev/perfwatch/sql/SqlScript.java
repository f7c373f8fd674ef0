package dev.perfwatch.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file of SQL statements split at semicolons (outside quotes, backticks and comments), each with
 * the line it starts on, and with {@code ${name}} placeholders replaced.
 */
public final class SqlScript {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    /** One statement, its 1-based number in the file and its first line. */
    public record Statement(String source, int number, int line, String text) {
        public String where() {
            return source + ", statement " + number + " (line " + line + ")";
        }
    }

    private SqlScript() {}

    public static List<Statement> parse(String source, String text, Map<String, String> defines) {
        List<Statement> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (int k = i; k < end; k++) {
                    if (text.charAt(k) == '\n') {
                        line++;
                    }
                }
                current.append(' ');
                i = end;
                continue;
            }
            if (c == '\'' || c == '`' || c == '"') {
                if (startLine < 0) {
                    startLine = line;
                }
                int j = i + 1;
                while (j < n) {
                    if (text.charAt(j) == c) {
                        if (j + 1 < n && text.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                int end = Math.min(j + 1, n);
                String quoted = text.substring(i, end);
                line += (int) quoted.chars().filter(ch -> ch == '\n').count();
                current.append(quoted);
                i = end;
                continue;
            }
            if (c == ';') {
                add(out, source, current, startLine, defines);
                startLine = -1;
                i++;
                continue;
            }
            if (c == '\n') {
                line++;
            } else if (!Character.isWhitespace(c) && startLine < 0) {
                startLine = line;
            }
            current.append(c);
            i++;
        }
        add(out, source, current, startLine, defines);
        return out;
    }

    private static void add(List<Statement> out, String source, StringBuilder current, int startLine, Map<String, String> defines) {
        String text = current.toString().trim();
        current.setLength(0);
        if (text.isEmpty()) {
            return;
        }
        Statement draft = new Statement(source, out.size() + 1, startLine, text);
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder replaced = new StringBuilder();
        while (m.find()) {
            String value = defines.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(draft.where() + ": ${" + m.group(1)
                        + "} is not defined; pass --define " + m.group(1) + "=VALUE (defined: " + defines.keySet() + ")");
            }
            m.appendReplacement(replaced, Matcher.quoteReplacement(value));
        }
        m.appendTail(replaced);
        out.add(new Statement(source, draft.number(), startLine, replaced.toString()));
    }
}
