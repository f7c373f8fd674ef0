package dev.perfwatch.suggest;

import dev.perfwatch.config.ConfigException;
import dev.perfwatch.model.BottleneckType;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The optimization suggestions: the bundled catalogue ({@code conf/suggestions.yaml}) with a user's
 * file merged over it by id (an entry with a known id replaces it; {@code disabled: true} removes
 * it). Conditions are declarative comparisons on named facts, checked when the catalogue is loaded: a
 * malformed entry stops the command naming the file, the entry and the field.
 */
public final class SuggestionCatalogue implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String BUNDLED_RESOURCE = "/perfwatch/suggestions.yaml";
    static final String BUNDLED_SOURCE = "built-in catalogue (conf/suggestions.yaml)";
    private static final Set<String> KEYS = Set.of("id", "category", "title", "description", "when", "impact", "effort", "risk",
            "prerequisites", "steps", "time_estimate", "metrics_to_watch", "example", "disabled");
    private static final Set<String> REQUIRED = Set.of("id", "category", "title", "description", "when", "impact", "effort", "risk",
            "steps", "time_estimate", "metrics_to_watch");

    private final List<Suggestion> entries;

    SuggestionCatalogue(List<Suggestion> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Suggestion> entries() {
        return entries;
    }

    /** The bundled catalogue alone. */
    public static SuggestionCatalogue bundled() {
        return load(null);
    }

    /** The bundled catalogue with {@code userFile} (may be null) merged over it by id. */
    public static SuggestionCatalogue load(Path userFile) {
        Map<String, Suggestion> byId = new LinkedHashMap<>();
        try (InputStream in = SuggestionCatalogue.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED_RESOURCE + " is missing from the classpath");
            }
            read(yaml().readTree(in), BUNDLED_SOURCE, byId);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + BUNDLED_RESOURCE, e);
        }
        if (userFile != null) {
            String source = userFile.toString();
            if (!Files.isRegularFile(userFile)) {
                throw new ConfigException(source, null, "file not found (analysis.suggestions-file)");
            }
            JsonNode tree;
            try {
                tree = yaml().readTree(userFile.toFile());
            } catch (JacksonException e) {
                throw new ConfigException(source, null, "not valid YAML" + (e.getLocation() == null ? "" : " at line "
                        + e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new ConfigException(source, null, "cannot read: " + e.getMessage());
            }
            read(tree, source, byId);
        }
        return new SuggestionCatalogue(new ArrayList<>(byId.values()));
    }

    private static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory());
    }

    private static void read(JsonNode root, String source, Map<String, Suggestion> byId) {
        JsonNode list = root == null ? null : root.get("suggestions");
        if (list == null || !list.isArray()) {
            throw new ConfigException(source, "suggestions", "expected a list of suggestion entries under 'suggestions'");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String where = "suggestions[" + i + "]";
            if (!entry.isObject()) {
                throw new ConfigException(source, where, "expected a mapping with id, category, title, ...");
            }
            String id = entry.path("id").asText(null);
            if (id != null) {
                where = where + " (id " + id + ")";
            }
            if (entry.path("disabled").asBoolean(false)) {
                if (id == null) {
                    throw new ConfigException(source, where, "a disabled entry needs the id of the entry it removes");
                }
                byId.remove(id);
                continue;
            }
            byId.put(id == null ? "" : id, parse(entry, source, where));
        }
        byId.remove("");
    }

    private static Suggestion parse(JsonNode e, String source, String where) {
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new ConfigException(source, where + "." + key, "unknown field; expected one of " + new java.util.TreeSet<>(KEYS));
            }
        }
        for (String key : REQUIRED) {
            if (e.get(key) == null || e.get(key).isNull()) {
                throw new ConfigException(source, where + "." + key, "a value is required");
            }
        }
        String id = text(e, "id", source, where);
        if (!id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new ConfigException(source, where + ".id", "expected lowercase letters, digits and '-', got '" + id + "'");
        }
        String category = oneOf(e, "category", Suggestion.CATEGORIES, source, where);
        JsonNode when = e.get("when");
        if (!when.isObject()) {
            throw new ConfigException(source, where + ".when", "expected a mapping with 'all' and/or 'any' lists of conditions");
        }
        for (Iterator<String> it = when.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("all") && !key.equals("any")) {
                throw new ConfigException(source, where + ".when." + key, "unknown field; expected all or any");
            }
        }
        List<Condition> all = conditions(when.get("all"), source, where + ".when.all");
        List<Condition> any = conditions(when.get("any"), source, where + ".when.any");
        if (all.isEmpty() && any.isEmpty()) {
            throw new ConfigException(source, where + ".when", "at least one condition is needed, under 'all' or 'any'");
        }
        return new Suggestion(id, category, text(e, "title", source, where), text(e, "description", source, where), all, any,
                oneOf(e, "impact", Suggestion.LEVELS, source, where), oneOf(e, "effort", Suggestion.LEVELS, source, where),
                oneOf(e, "risk", Suggestion.LEVELS, source, where), texts(e.get("prerequisites"), source, where + ".prerequisites"),
                texts(e.get("steps"), source, where + ".steps"), text(e, "time_estimate", source, where),
                texts(e.get("metrics_to_watch"), source, where + ".metrics_to_watch"),
                e.hasNonNull("example") ? text(e, "example", source, where) : null);
    }

    private static List<Condition> conditions(JsonNode list, String source, String where) {
        List<Condition> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new ConfigException(source, where, "expected a list of conditions {field, op, value}");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            String at = where + "[" + i + "]";
            if (!c.isObject()) {
                throw new ConfigException(source, at, "expected a condition {field, op, value}");
            }
            for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!Set.of("field", "op", "value").contains(key)) {
                    throw new ConfigException(source, at + "." + key, "unknown field; expected field, op, value");
                }
            }
            String field = c.path("field").asText(null);
            if (field == null || !c.get("field").isTextual()) {
                throw new ConfigException(source, at + ".field", "a fact name is required, e.g. db_share");
            }
            String problem = Facts.problem(field);
            if (problem != null) {
                throw new ConfigException(source, at + ".field", problem);
            }
            Condition.Op op = Condition.Op.of(c.path("op").asText(""));
            if (op == null) {
                throw new ConfigException(source, at + ".op", "expected one of ==, !=, >, >=, <, <=, in, exists, got '"
                        + c.path("op").asText("") + "'");
            }
            JsonNode v = c.get("value");
            Object value;
            if (op == Condition.Op.EXISTS) {
                value = null;
            } else if (op == Condition.Op.IN) {
                if (v == null || !v.isArray() || v.isEmpty()) {
                    throw new ConfigException(source, at + ".value", "'in' needs a non-empty list of values");
                }
                List<Object> values = new ArrayList<>();
                v.forEach(x -> values.add(x.isNumber() ? (Object) x.asDouble() : x.asText()));
                value = values;
            } else if (v == null || v.isNull() || v.isContainerNode()) {
                throw new ConfigException(source, at + ".value", "a number or a text is required");
            } else if (op.numeric() && !v.isNumber()) {
                throw new ConfigException(source, at + ".value", "'" + op.symbol + "' compares numbers, got '" + v.asText() + "'");
            } else {
                value = v.isNumber() ? (Object) v.asDouble() : v.asText();
            }
            out.add(new Condition(field, op, value));
        }
        return out;
    }

    private static String text(JsonNode e, String key, String source, String where) {
        JsonNode v = e.get(key);
        if (v == null || !v.isValueNode() || v.asText().isBlank()) {
            throw new ConfigException(source, where + "." + key, "a text is required");
        }
        return v.asText().strip();
    }

    private static String oneOf(JsonNode e, String key, List<String> allowed, String source, String where) {
        String v = text(e, key, source, where);
        if (!allowed.contains(v)) {
            throw new ConfigException(source, where + "." + key, "expected one of " + allowed + ", got '" + v + "'");
        }
        return v;
    }

    private static List<String> texts(JsonNode list, String source, String where) {
        List<String> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new ConfigException(source, where, "expected a list of texts");
        }
        list.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** One entry that applies, with why and how much it is worth doing. */
    public record Match(Suggestion suggestion, List<Condition> held, double confidence, double priority, List<BottleneckType> bottlenecks) {}

    /**
     * Every entry whose conditions hold for the facts, best first: priority = impact against effort
     * ({@link Suggestion#value()}) times the confidence of the evidence it rests on (the confidence of
     * the bottlenecks its conditions name, else the fact {@code confidence}, else 0.5); ties by id.
     */
    public List<Match> matching(Facts facts) {
        List<Match> out = new ArrayList<>();
        for (Suggestion s : entries) {
            List<Condition> held = new ArrayList<>();
            boolean ok = true;
            for (Condition c : s.all) {
                if (!c.test(facts)) {
                    ok = false;
                    break;
                }
                held.add(c);
            }
            if (!ok) {
                continue;
            }
            boolean anyHeld = s.any.isEmpty();
            for (Condition c : s.any) {
                if (c.test(facts)) {
                    anyHeld = true;
                    held.add(c);
                }
            }
            if (!anyHeld) {
                continue;
            }
            List<BottleneckType> bottlenecks = new ArrayList<>();
            double confidence = Double.NaN;
            for (Condition c : held) {
                BottleneckType type = c.field.startsWith("bottleneck.") ? BottleneckType.of(c.field.substring(11).replace(".confidence", "")) : null;
                if (type != null && !bottlenecks.contains(type)) {
                    bottlenecks.add(type);
                    double conf = facts.number("bottleneck." + type.code() + ".confidence");
                    confidence = Double.isNaN(confidence) ? conf : Math.max(confidence, conf);
                }
            }
            if (Double.isNaN(confidence)) {
                double fact = facts.number("confidence");
                double finding = facts.number("finding.confidence");
                confidence = !Double.isNaN(finding) ? finding : !Double.isNaN(fact) ? fact : 0.5;
            }
            out.add(new Match(s, held, confidence, s.value() * confidence, bottlenecks));
        }
        out.sort(Comparator.comparingDouble((Match m) -> -m.priority()).thenComparing(m -> m.suggestion().id));
        return out;
    }
}
