package dev.perfwatch.config;

import dev.perfwatch.config.PerfwatchConfig.MetricThresholds;
import dev.perfwatch.io.Names;

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

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

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
                        "--set " + override, null, "expected key=value, e.g. windows.summary=30s");
            }
            String key = override.substring(0, eq).trim();
            String value = override.substring(eq + 1).trim();
            setPath(merged, key, value, "--set " + override);
            overrideSources.put(key, "--set " + override);
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
        validate(config, sources);
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
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
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

    private static void validate(PerfwatchConfig c, Sources s) {
        requireSection(c.ingest, "ingest", s);
        requireSection(c.eventTime, "event-time", s);
        requireSection(c.windows, "windows", s);
        requireSection(c.output, "output", s);
        positive(c.ingest.maxLineBytes, "ingest.max-line-bytes", s);
        positive(c.ingest.maxAbsValue, "ingest.max-abs-value", s);
        positive(c.ingest.maxNameLength, "ingest.max-name-length", s);
        if (c.ingest.maxTags < 0) {
            throw new ConfigException(s.of("ingest.max-tags"), "ingest.max-tags", "expected 0 or more, got " + c.ingest.maxTags);
        }
        required(c.ingest.earliestTimestamp, "ingest.earliest-timestamp", s);
        required(c.ingest.latestTimestamp, "ingest.latest-timestamp", s);
        if (!c.ingest.earliestTimestamp.isBefore(c.ingest.latestTimestamp)) {
            throw new ConfigException(s.of("ingest.latest-timestamp"), "ingest.latest-timestamp",
                    "expected a time after ingest.earliest-timestamp (" + c.ingest.earliestTimestamp + "), got " + c.ingest.latestTimestamp);
        }
        nonNegative(c.eventTime.maxOutOfOrderness, "event-time.max-out-of-orderness", s);
        positive(c.eventTime.idleness, "event-time.idleness", s);
        positive(c.windows.summary, "windows.summary", s);
        double acc = c.windows.quantileRelativeAccuracy;
        if (!(acc > 0 && acc <= 0.1)) {
            throw new ConfigException(s.of("windows.quantile-relative-accuracy"), "windows.quantile-relative-accuracy",
                    "expected a number in (0, 0.1], e.g. 0.005 for 0.5%, got " + acc);
        }
        if (c.output.path == null || c.output.path.isBlank()) {
            throw new ConfigException(s.of("output.path"), "output.path", "expected a directory path");
        }
        positive(c.output.checkpointInterval, "output.checkpoint-interval", s);
        validateAlerts(c, s);
        validateRegression(c, s);
        for (Map.Entry<String, Map<String, MetricThresholds>> e : c.components.entrySet()) {
            String problem = Names.problem(e.getKey(), c.ingest.maxNameLength);
            if (problem != null) {
                throw new ConfigException(s.of("components." + e.getKey()), "components." + e.getKey(), "not a valid component name: " + problem);
            }
            if (e.getValue() == null) {
                throw new ConfigException(s.of("components." + e.getKey()), "components." + e.getKey(), "expected a mapping of metric names to levels");
            }
        }
        for (Map.Entry<String, MetricThresholds> e : c.metrics.entrySet()) {
            String key = "metrics." + e.getKey();
            String nameProblem = Names.problem(e.getKey(), c.ingest.maxNameLength);
            if (nameProblem != null) {
                throw new ConfigException(s.of(key), key, "not a valid metric name: " + nameProblem);
            }
            MetricThresholds t = e.getValue();
            if (t == null) {
                throw new ConfigException(s.of(key), key, "expected a mapping with warning, critical and direction");
            }
            required(t.direction, key + ".direction", s);
            if (t.warning == null && t.critical == null) {
                throw new ConfigException(s.of(key), key, "expected at least one of warning or critical");
            }
            for (Double level : new Double[] {t.warning, t.critical}) {
                if (level != null && !Double.isFinite(level)) {
                    throw new ConfigException(s.of(key), key, "levels must be finite numbers, got " + level);
                }
            }
            for (String g : new String[] {"min-relative-change", "min-effect-size"}) {
                Double v = g.equals("min-relative-change") ? t.minRelativeChange : t.minEffectSize;
                if (v != null && !(v >= 0 && Double.isFinite(v))) {
                    throw new ConfigException(s.of(key + "." + g), key + "." + g, "expected a finite number of 0 or more, got " + v);
                }
            }
            for (String d : new String[] {"for", "keep-firing-for"}) {
                Duration v = d.equals("for") ? t.forDuration : t.keepFiringFor;
                if (v != null && v.isNegative()) {
                    throw new ConfigException(s.of(key + "." + d), key + "." + d, "expected a duration of 0 or more, got " + v);
                }
            }
            if (t.warning != null && t.critical != null && !Objects.equals(t.warning, t.critical)
                    && t.direction.breaches(t.warning, t.critical)) {
                throw new ConfigException(s.of(key), key, "with direction " + t.direction.yaml()
                        + " the critical level must be beyond the warning level, got warning "
                        + t.warning + " and critical " + t.critical);
            }
        }
    }

    private static void validateAlerts(PerfwatchConfig c, Sources s) {
        requireSection(c.alerts, "alerts", s);
        positive(c.alerts.retention, "alerts.retention", s);
        PerfwatchConfig.Patterns p = c.alerts.patterns;
        requireSection(p, "alerts.patterns", s);
        requireSection(p.consecutiveBreaches, "alerts.patterns.consecutive-breaches", s);
        atLeast(p.consecutiveBreaches.count, 2, "alerts.patterns.consecutive-breaches.count", s);
        positive(p.consecutiveBreaches.within, "alerts.patterns.consecutive-breaches.within", s);
        requireSection(p.correlatedSaturation, "alerts.patterns.correlated-saturation", s);
        required(p.correlatedSaturation.cause, "alerts.patterns.correlated-saturation.cause", s);
        required(p.correlatedSaturation.effects, "alerts.patterns.correlated-saturation.effects", s);
        positive(p.correlatedSaturation.within, "alerts.patterns.correlated-saturation.within", s);
        requireSection(p.memoryLeak, "alerts.patterns.memory-leak", s);
        required(p.memoryLeak.metric, "alerts.patterns.memory-leak.metric", s);
        atLeast(p.memoryLeak.windows, 3, "alerts.patterns.memory-leak.windows", s);
        probability(p.memoryLeak.alpha, "alerts.patterns.memory-leak.alpha", s);
        requireSection(p.queueBacklog, "alerts.patterns.queue-backlog", s);
        required(p.queueBacklog.queueMetric, "alerts.patterns.queue-backlog.queue-metric", s);
        required(p.queueBacklog.processingMetrics, "alerts.patterns.queue-backlog.processing-metrics", s);
        atLeast(p.queueBacklog.windows, 3, "alerts.patterns.queue-backlog.windows", s);
        probability(p.queueBacklog.alpha, "alerts.patterns.queue-backlog.alpha", s);
        requireSection(p.flapping, "alerts.patterns.flapping", s);
        atLeast(p.flapping.crossings, 2, "alerts.patterns.flapping.crossings", s);
        positive(p.flapping.within, "alerts.patterns.flapping.within", s);
        PerfwatchConfig.Anomaly a = c.alerts.anomaly;
        requireSection(a, "alerts.anomaly", s);
        required(a.statistic, "alerts.anomaly.statistic", s);
        atLeast(a.baselineWindows, 5, "alerts.anomaly.baseline-windows", s);
        atLeast(a.coldStartWindows, 1, "alerts.anomaly.cold-start-windows", s);
        if (a.coldStartWindows > a.baselineWindows) {
            throw new ConfigException(s.of("alerts.anomaly.cold-start-windows"), "alerts.anomaly.cold-start-windows",
                    "expected at most alerts.anomaly.baseline-windows (" + a.baselineWindows + "), got " + a.coldStartWindows);
        }
        positive(a.robustZ, "alerts.anomaly.robust-z", s);
        atLeast(a.minWindows, 1, "alerts.anomaly.min-windows", s);
        if (a.minRelativeChange < 0) {
            throw new ConfigException(s.of("alerts.anomaly.min-relative-change"), "alerts.anomaly.min-relative-change",
                    "expected 0 or more, got " + a.minRelativeChange);
        }
        requireSection(a.rcf, "alerts.anomaly.rcf", s);
        atLeast(a.rcf.shingleSize, 1, "alerts.anomaly.rcf.shingle-size", s);
        atLeast(a.rcf.trees, 10, "alerts.anomaly.rcf.trees", s);
        atLeast(a.rcf.sampleSize, 16, "alerts.anomaly.rcf.sample-size", s);
        positive(a.rcf.score, "alerts.anomaly.rcf.score", s);
    }

    private static void validateRegression(PerfwatchConfig c, Sources s) {
        PerfwatchConfig.Regression r = c.regression;
        requireSection(r, "regression", s);
        positive(r.evaluationInterval, "regression.evaluation-interval", s);
        positive(r.comparisonWindow, "regression.comparison-window", s);
        positive(r.baselineWindow, "regression.baseline-window", s);
        nonNegative(r.minBaseline, "regression.min-baseline", s);
        for (String key : new String[] {"comparison-window", "baseline-window"}) {
            java.time.Duration d = key.equals("comparison-window") ? r.comparisonWindow : r.baselineWindow;
            if (d.toMillis() % r.evaluationInterval.toMillis() != 0) {
                throw new ConfigException(s.of("regression." + key), "regression." + key,
                        "expected a whole multiple of regression.evaluation-interval (" + r.evaluationInterval + "), got " + d);
            }
        }
        if (r.minBaseline.compareTo(r.baselineWindow) > 0) {
            throw new ConfigException(s.of("regression.min-baseline"), "regression.min-baseline",
                    "expected at most regression.baseline-window (" + r.baselineWindow + "), got " + r.minBaseline);
        }
        atLeast(r.reservoirSize, 20, "regression.reservoir-size", s);
        probability(r.alpha, "regression.alpha", s);
        if (r.minRelativeChange < 0 || r.minEffectSize < 0) {
            throw new ConfigException(s.of("regression"), "regression", "min-relative-change and min-effect-size must be 0 or more");
        }
        atLeast(r.closeAfter, 1, "regression.close-after", s);
        positive(r.gradualMinDuration, "regression.gradual-min-duration", s);
        positive(r.forecastHorizon, "regression.forecast-horizon", s);
    }

    private static void atLeast(int value, int min, String key, Sources s) {
        if (value < min) {
            throw new ConfigException(s.of(key), key, "expected a whole number of at least " + min + ", got " + value);
        }
    }

    private static void probability(double value, String key, Sources s) {
        if (!(value > 0 && value < 1)) {
            throw new ConfigException(s.of(key), key, "expected a probability in (0, 1), got " + value);
        }
    }

    private static void requireSection(Object section, String key, Sources s) {
        if (section == null) {
            throw new ConfigException(s.of(key), key, "section is missing or empty");
        }
    }

    private static void required(Object value, String key, Sources s) {
        if (value == null) {
            throw new ConfigException(s.of(key), key, "a value is required");
        }
    }

    private static void positive(double value, String key, Sources s) {
        if (!(value > 0)) {
            throw new ConfigException(s.of(key), key, "expected a number greater than 0, got " + value);
        }
    }

    private static void positive(Duration value, String key, Sources s) {
        required(value, key, s);
        if (value.isZero() || value.isNegative()) {
            throw new ConfigException(s.of(key), key, "expected a duration greater than 0, got " + value);
        }
    }

    private static void nonNegative(Duration value, String key, Sources s) {
        required(value, key, s);
        if (value.isNegative()) {
            throw new ConfigException(s.of(key), key, "expected a duration of 0 or more, got " + value);
        }
    }

    /** Parses "500ms", "30s", "5m", "2h", "1d" or ISO-8601 "PT30S". */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            long unitMillis;
            switch (m.group(2)) {
                case "ms": unitMillis = 1; break;
                case "s": unitMillis = 1_000; break;
                case "m": unitMillis = 60_000; break;
                case "h": unitMillis = 3_600_000; break;
                default: unitMillis = 86_400_000; break;
            }
            return Duration.ofMillis(Math.round(amount * unitMillis));
        }
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "expected a duration like 500ms, 30s, 5m, 2h, 1d (or ISO-8601 PT30S), got '" + text + "'");
        }
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
