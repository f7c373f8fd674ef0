package dev.perfwatch.alerting;

import dev.perfwatch.config.LifecycleConfig;
import dev.perfwatch.io.LineParser;
import dev.perfwatch.io.TimestampParser;
import dev.perfwatch.model.ControlCommand;
import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.SourceLine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads control commands (see {@link ControlCommand}) and checks them: the command, its fields, the
 * alert id's form, the silence's matchers and window. A bad line becomes a dead letter with reason
 * {@code bad_command} and a sentence naming the field.
 */
public final class CommandParser extends LineParser<ParsedCommand> {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "ack", Set.of("command", "alert_id", "by", "comment", "at"),
            "resolve", Set.of("command", "alert_id", "by", "comment", "at"),
            "silence", Set.of("command", "silence_id", "matchers", "starts_at", "ends_at", "by", "comment", "at"),
            "expire_silence", Set.of("command", "silence_id", "by", "comment", "at"));

    @Override
    public TypeInformation<ParsedCommand> producedType() {
        return TypeInformation.of(ParsedCommand.class);
    }

    @Override
    public Function<SourceLine, ParsedCommand> open() {
        return CommandParser::parse;
    }

    @Override
    public long eventTime(ParsedCommand record) {
        return record.eventTime();
    }

    static ParsedCommand parse(SourceLine line) {
        ParsedCommand out = new ParsedCommand();
        if (line.kind != SourceLine.RECORD || line.text.isBlank()) {
            if (line.kind == SourceLine.TOO_LONG || line.kind == SourceLine.BAD_ENCODING) {
                out.rejected = letter(line, "the line is too long or not valid UTF-8");
            } else if (line.kind == SourceLine.BAD_COMPRESSION) {
                out.rejected = letter(line, line.text);
            }
            return out;
        }
        try {
            out.command = command(line);
        } catch (IllegalArgumentException e) {
            out.rejected = letter(line, e.getMessage());
        }
        return out;
    }

    private static DeadLetter letter(SourceLine line, String detail) {
        return new DeadLetter(line.text, DeadLetter.Reason.BAD_COMMAND, detail, line.origin, line.line, null);
    }

    /** The command of one JSON line; IllegalArgumentException names what is wrong. */
    public static ControlCommand command(SourceLine line) {
        JsonNode n;
        try {
            n = JSON.readTree(line.text);
        } catch (Exception e) {
            throw new IllegalArgumentException("not valid JSON: " + firstLine(e.getMessage()));
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("expected a JSON object with a command");
        }
        String name = n.path("command").asText(null);
        Set<String> allowed = name == null ? null : FIELDS.get(name);
        if (allowed == null) {
            throw new IllegalArgumentException("command must be one of ack, resolve, silence, expire_silence, got " + n.get("command"));
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "' for " + name + "; expected " + new java.util.TreeSet<>(allowed));
            }
        }
        ControlCommand c = new ControlCommand();
        c.command = name;
        c.by = text(n, "by", true);
        c.comment = text(n, "comment", false);
        c.at = time(n, "at");
        c.origin = line.origin + ":" + line.line;
        switch (name) {
            case "ack":
            case "resolve":
                c.alertId = text(n, "alert_id", true);
                if (!c.alertId.matches("[0-9a-f]{16}")) {
                    throw new IllegalArgumentException("alert_id must be 16 hex digits (as in alerts/ and alert-events/), got '" + c.alertId + "'");
                }
                break;
            case "silence":
                c.silenceId = text(n, "silence_id", true);
                JsonNode m = n.get("matchers");
                if (m == null || !m.isObject() || m.isEmpty()) {
                    throw new IllegalArgumentException("silence needs matchers, an object of label to value, e.g. {\"component\":\"search\"}");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!LifecycleConfig.LABELS.contains(e.getKey())) {
                        throw new IllegalArgumentException("unknown matcher label '" + e.getKey() + "'; expected some of "
                                + new java.util.TreeSet<>(LifecycleConfig.LABELS));
                    }
                    if (!e.getValue().isTextual()) {
                        throw new IllegalArgumentException("matcher " + e.getKey() + " must be a string");
                    }
                    c.matchers.put(e.getKey(), e.getValue().asText());
                }
                c.startsAt = time(n, "starts_at");
                c.endsAt = time(n, "ends_at");
                if (c.endsAt <= c.startsAt) {
                    throw new IllegalArgumentException("ends_at must be after starts_at");
                }
                break;
            default:
                c.silenceId = text(n, "silence_id", true);
                break;
        }
        return c;
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("required field " + field + " is missing");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static long time(JsonNode n, String field) {
        String text = text(n, field, true);
        try {
            return TimestampParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
