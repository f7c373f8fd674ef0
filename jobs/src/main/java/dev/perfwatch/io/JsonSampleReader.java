package dev.perfwatch.io;

import dev.perfwatch.model.DeadLetter.Reason;
import dev.perfwatch.model.MetricSample;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.perfwatch.io.Texts.clip;

/**
 * Reads one JSON object into a {@link MetricSample} with Jackson's streaming parser (no tree is
 * built), telling apart missing, null, repeated and mistyped fields; the event time is kept as soon
 * as it is read, so a later refusal still carries it.
 */
final class JsonSampleReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final int F_TIMESTAMP = 1, F_METRIC = 2, F_VALUE = 4, F_COMPONENT = 8,
            F_HOST = 16, F_UNIT = 32, F_TAGS = 64;

    private final SampleValidator validator;
    /** Epoch timestamps in milliseconds (ingest.epoch-unit's default): read as longs, the fast way. */
    private final boolean epochMillis;

    JsonSampleReader(SampleValidator validator) {
        this.validator = validator;
        this.epochMillis = validator.epochInMillis();
    }

    MetricSample read(String text) throws Rejection {
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
            throw new Rejection(Reason.MALFORMED_JSON, "not valid JSON: " + Texts.firstLine(e.getOriginalMessage())
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
                return validator.parseTimestamp(p.getText());
            case VALUE_NUMBER_INT:
                if (epochMillis && p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
                    throw new Rejection(Reason.TIMESTAMP_OUT_OF_RANGE, "timestamp " + clip(p.getText()) + " is too large for epoch milliseconds");
                }
                return validator.checkTimestampRange(epochMillis ? p.getLongValue() : validator.epochMillis(p.getDecimalValue(), p.getText()),
                        p.getText());
            case VALUE_NUMBER_FLOAT:
                // (milliseconds: refused, saying so; seconds: to the millisecond; micro- and nanoseconds: refused)
                return validator.checkTimestampRange(validator.epochMillis(p.getDecimalValue(), p.getText()), p.getText());
            case VALUE_NULL:
                throw new Rejection(Reason.MISSING_FIELD, "required field timestamp is null");
            default:
                throw new Rejection(Reason.WRONG_TYPE, "timestamp must be a string or epoch milliseconds, got " + describe(v));
        }
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
            validator.putTag(tags, key, p.getText(), ts);
        }
        return tags.isEmpty() ? null : canonicalTags(tags);
    }

    /** Tags as a canonical JSON object text (keys sorted). */
    static String canonicalTags(Map<String, String> tags) {
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

}
