package dev.perfwatch.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.apache.flink.util.TimeUtils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads {@link PerfwatchConfig}: the defaults ({@code conf/perfwatch.yaml}, bundled in the jar as
 * {@value #DEFAULTS_RESOURCE}), then a user's file merged key by key over them, then {@code key=value}
 * overrides from the command line. Every error names where the value came from, the key, and what
 * was expected; unknown keys are errors.
 */
public final class ConfigLoader {

    public static final String DEFAULTS_RESOURCE = "/perfwatch/perfwatch.yaml";
    static final String DEFAULTS_SOURCE = "built-in defaults (conf/perfwatch.yaml)";

    private static final Pattern FRACTION = Pattern.compile("(\\d+\\.\\d+)\\s*(ms|s|m|h|d)");

    private ConfigLoader() {}

    public static PerfwatchConfig defaults() {
        return load(null, List.of());
    }

    /**
     * @param userFile a YAML file merged over the defaults, or null
     * @param overrides {@code dotted.key=value} pairs (from --set and dedicated options), applied last
     */
    public static PerfwatchConfig load(Path userFile, List<String> overrides) {
        ObjectMapper yaml = mapper();
        ObjectNode merged = readDefaults(yaml);
        ObjectNode defaults = merged.deepCopy();
        ObjectNode user = null;
        if (userFile != null) {
            user = readUserFile(yaml, userFile);
            deepMerge(merged, user);
        }
        Map<String, String> overrideSources = new LinkedHashMap<>();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(
                        override.startsWith("notifications.") ? "--set notifications..." : "--set " + override, null,
                        "expected key=value, e.g. windows.summary=30s");
            }
            String key = override.substring(0, eq).trim();
            String value = override.substring(eq + 1).trim();
            // Notification settings may hold secrets (tokens in URLs): their values never go into a message.
            String label = key.startsWith("notifications.") ? "--set " + key + "=<value not shown>" : "--set " + override;
            setPath(merged, key, value, label);
            overrideSources.put(key, label);
        }
        Sources sources = new Sources(userFile, user, defaults, overrideSources);
        PerfwatchConfig config;
        try {
            config = yaml.treeToValue(merged, PerfwatchConfig.class);
        } catch (JsonMappingException e) {
            String key = pathOf(e);
            throw new ConfigException(sources.of(key), key, explain(e));
        } catch (JacksonException e) {
            throw new ConfigException(sources.of(""), null, e.getOriginalMessage());
        }
        config.validate(new Check(sources::of, ""));
        config.catalogue(); // a malformed catalogue stops the command here, naming the entry and field
        return config;
    }

    private static ObjectMapper mapper() {
        SimpleModule time = new SimpleModule("perfwatch-time");
        time.addDeserializer(Duration.class, new DurationDeserializer());
        time.addDeserializer(Instant.class, new InstantDeserializer());
        return new ObjectMapper(new YAMLFactory())
                .registerModule(time)
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    }

    private static ObjectNode readDefaults(ObjectMapper yaml) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
            }
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
        }
    }

    /** Jackson's message for a key given twice in one mapping (FAIL_ON_READING_DUP_TREE_KEY). */
    private static final java.util.regex.Pattern DUPLICATE_KEY = java.util.regex.Pattern.compile("^Duplicate field '([^']*)'");

    private static ObjectNode readUserFile(ObjectMapper yaml, Path file) {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(source, null, "file not found");
        }
        JsonNode tree;
        try {
            tree = yaml.readTree(file.toFile());
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            java.util.regex.Matcher dup = DUPLICATE_KEY.matcher(String.valueOf(e.getOriginalMessage()));
            if (dup.find()) {
                throw new ConfigException(source, null, "key '" + dup.group(1) + "' is given twice in one mapping" + where
                        + " (YAML keeps one; say which value you mean)");
            }
            throw new ConfigException(source, null, "not valid YAML" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(source, null, "cannot read: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw new ConfigException(source, null, "expected a mapping of keys at the top level, got " + tree.getNodeType());
        }
        return (ObjectNode) tree;
    }

    /** Merges {@code over} into {@code base}: mappings key by key, anything else replaced. */
    static void deepMerge(ObjectNode base, ObjectNode over) {
        Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode && field.getValue() instanceof ObjectNode) {
                deepMerge((ObjectNode) existing, (ObjectNode) field.getValue());
            } else {
                base.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static void setPath(ObjectNode root, String dottedKey, String value, String source) {
        String[] parts = dottedKey.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(parts[i]);
            } else if (!child.isObject()) {
                throw new ConfigException(source, String.join(".", java.util.Arrays.copyOf(parts, i + 1)),
                        "is a value, not a section");
            }
            node = (ObjectNode) child;
        }
        if (value.startsWith("[") && value.endsWith("]")) {
            // a list, in YAML's flow style: --set notifications.email.to=[a@example.com, b@example.com]
            try {
                node.set(parts[parts.length - 1], new ObjectMapper(new YAMLFactory()).readTree(value));
                return;
            } catch (IOException e) {
                throw new ConfigException(source, dottedKey, "expected a list like [a, b]"
                        + (dottedKey.startsWith("notifications.") ? "" : ", got " + value));
            }
        }
        node.put(parts[parts.length - 1], value);
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (key.length() > 0) {
                    key.append('.');
                }
                key.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                key.append('[').append(ref.getIndex()).append(']');
            }
        }
        return key.toString();
    }

    private static String explain(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException) {
            UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
            TreeSet<String> known = new TreeSet<>();
            if (u.getKnownPropertyIds() != null) {
                u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            }
            return "unknown key; expected one of " + known;
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        String message = e.getOriginalMessage();
        // Jackson's messages name Java types; keep the part a user can act on.
        int nl = message.indexOf('\n');
        return nl > 0 ? message.substring(0, nl) : message;
    }

    /**
     * Parses "500ms", "30s", "5m", "2h", "1d" or ISO-8601 "PT30S" with Flink's own {@link TimeUtils}, and
     * a fractional amount such as "1.5s" (which TimeUtils does not take). A number without a unit is
     * refused: Flink would read it as milliseconds, which is rarely what was meant.
     */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        Matcher fraction = FRACTION.matcher(t);
        if (fraction.matches()) {
            double amount = Double.parseDouble(fraction.group(1));
            long unitMillis = TimeUtils.parseDuration("1" + fraction.group(2)).toMillis();
            return Duration.ofMillis(Math.round(amount * unitMillis));
        }
        if (!t.isEmpty() && !t.chars().allMatch(Character::isDigit)) {
            try {
                return TimeUtils.parseDuration(t);
            } catch (IllegalArgumentException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException(
                "expected a duration like 500ms, 30s, 5m, 2h, 1d (or ISO-8601 PT30S), got '" + text + "'");
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            try {
                return parseDuration(p.getValueAsString(""));
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage(), e);
            }
        }
    }

    private static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString("");
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw JsonMappingException.from(p,
                        "expected an ISO-8601 UTC time like 2026-01-01T00:00:00Z, got '" + text + "'", e);
            }
        }
    }

    /** Tells which layer a key's value came from: the longest prefix of the key that a layer sets. */
    private static final class Sources {
        private final Path userFile;
        private final ObjectNode user;
        private final ObjectNode defaults;
        private final Map<String, String> overrides;

        Sources(Path userFile, ObjectNode user, ObjectNode defaults, Map<String, String> overrides) {
            this.userFile = userFile;
            this.user = user;
            this.defaults = defaults;
            this.overrides = overrides;
        }

        String of(String key) {
            if (!key.isEmpty()) {
                // An error reported at a key an override set below it (an unknown section: --set foo.bar=1 is
                // reported at 'foo'): the override is where it came from.
                for (Map.Entry<String, String> o : overrides.entrySet()) {
                    if (o.getKey().startsWith(key + ".")) {
                        return o.getValue();
                    }
                }
            }
            String[] parts = key.isEmpty() ? new String[0] : key.split("\\.");
            for (int i = parts.length; i > 0; i--) {
                String prefix = String.join(".", java.util.Arrays.copyOf(parts, i));
                if (overrides.containsKey(prefix)) {
                    return overrides.get(prefix);
                }
                String pointer = "/" + prefix.replace('.', '/');
                if (user != null && !user.at(pointer).isMissingNode()) {
                    return userFile.toString();
                }
                if (!defaults.at(pointer).isMissingNode()) {
                    return DEFAULTS_SOURCE;
                }
            }
            return userFile != null ? userFile.toString() : DEFAULTS_SOURCE;
        }
    }
}
