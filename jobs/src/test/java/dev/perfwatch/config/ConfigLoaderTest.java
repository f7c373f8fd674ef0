package dev.perfwatch.config;

import dev.perfwatch.model.MetricKind;
import dev.perfwatch.pipeline.FlinkSettings;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ExecutionOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("user.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private ConfigException fails(String yaml) throws IOException {
        Path file = write(yaml);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of()));
    }

    @Test
    void defaultsCoverEveryKnownMetric() {
        PerfwatchConfig c = ConfigLoader.defaults();
        assertEquals(Duration.ofMinutes(1), c.windows.summary);
        assertEquals(Duration.ofSeconds(30), c.eventTime.maxOutOfOrderness);
        assertEquals(0.005, c.windows.quantileRelativeAccuracy);
        // Streaming jobs send a part-filled network buffer after 25 ms (Flink's default, 100 ms, at each
        // of an alert's exchanges); batch jobs leave Flink's setting alone.
        assertEquals(Duration.ofMillis(25), c.output.bufferTimeout);
        assertEquals(Duration.ofMillis(25), FlinkSettings.forJob(c, RuntimeExecutionMode.STREAMING).get(ExecutionOptions.BUFFER_TIMEOUT));
        assertFalse(FlinkSettings.forJob(c, RuntimeExecutionMode.BATCH).contains(ExecutionOptions.BUFFER_TIMEOUT));
        for (MetricKind kind : MetricKind.values()) {
            MetricThresholds t = c.metrics.get(kind.metricName());
            assertTrue(t != null && t.warning != null && t.critical != null && t.direction != null, kind.metricName());
        }
        assertEquals(Direction.LOWER_IS_WORSE, c.metrics.get("cache_hit_rate").direction);
    }

    @Test
    void userFileMergesKeyByKeyAndSetOverridesLast() throws IOException {
        Path file = write("windows:\n  summary: 30s\nmetrics:\n  cpu_usage:\n    warning: 70\n  queue_latency:\n    critical: 5000\n    direction: higher-is-worse\n");
        PerfwatchConfig c = ConfigLoader.load(file, List.of("event-time.idleness=2m"));
        assertEquals(Duration.ofSeconds(30), c.windows.summary);
        assertEquals(0.005, c.windows.quantileRelativeAccuracy, "untouched keys keep their defaults");
        assertEquals(70.0, c.metrics.get("cpu_usage").warning);
        assertEquals(95.0, c.metrics.get("cpu_usage").critical, "sibling keys of a changed one stay");
        assertEquals(5000.0, c.metrics.get("queue_latency").critical);
        assertEquals(Duration.ofMinutes(2), c.eventTime.idleness);
    }

    @Test
    void regressionGatesPerMetricAndComponent() throws IOException {
        Path file = write("metrics:\n  network_in:\n    critical: 1e9\n    direction: higher-is-worse\n    min-relative-change: 0.3\n"
                + "components:\n  edge:\n    network_in:\n      min-effect-size: 1.5\n");
        PerfwatchConfig c = ConfigLoader.load(file, List.of());
        assertEquals(List.of(0.07, 0.35), toList(gates(c, "api", "cpu_usage")), "the regression section's gates by default");
        assertEquals(List.of(0.3, 0.35), toList(gates(c, "api", "network_in")), "the metric's own gate");
        assertEquals(List.of(0.3, 1.5), toList(gates(c, "edge", "network_in")), "the component's over the metric's");
        ConfigException e = fails("metrics:\n  cpu_usage:\n    min-effect-size: -1\n");
        assertTrue(e.getMessage().contains("metrics.cpu_usage.min-effect-size") && e.getMessage().contains("-1"), e.getMessage());
    }

    private static List<Double> toList(dev.perfwatch.detect.RegressionEvaluator.Gates g) {
        return List.of(g.minRelativeChange(), g.minEffectSize());
    }

    private static dev.perfwatch.detect.RegressionEvaluator.Gates gates(PerfwatchConfig c, String component, String metric) {
        return dev.perfwatch.detect.RegressionEvaluator.gatesFor(c.levels(), c.regression, component, metric);
    }

    @Test
    void unknownKeyNamesFileKeyAndChoices() throws IOException {
        ConfigException e = fails("windows:\n  sumary: 30s\n");
        assertTrue(e.getMessage().startsWith(dir.resolve("user.yaml").toString()), e.getMessage());
        assertEquals("windows.sumary", e.key());
        assertTrue(e.getMessage().contains("unknown key; expected one of [quantile-relative-accuracy, summary]"), e.getMessage());
    }

    @Test
    void aKeyGivenTwiceIsNamedWithItsLine() throws IOException {
        ConfigException e = fails("regression:\n  alpha: 0.01\n  alpha: 0.02\n");
        assertTrue(e.getMessage().contains("key 'alpha' is given twice in one mapping at line 3"), e.getMessage());
        assertTrue(!e.getMessage().contains("DeserializationFeature"), e.getMessage());
    }

    @Test
    void anUnknownSectionFromSetNamesTheSetNotTheDefaults() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("regresion.alpha=0.05")));
        assertTrue(e.getMessage().startsWith("--set regresion.alpha=0.05"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key; expected one of [alerts,"), e.getMessage());
        ConfigException nested = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("windows.sumary=30s")));
        assertTrue(nested.getMessage().startsWith("--set windows.sumary=30s"), nested.getMessage());
    }

    @Test
    void badValuesSayWhatWasExpected() throws IOException {
        ConfigException duration = fails("windows:\n  summary: soon\n");
        assertEquals("windows.summary", duration.key());
        assertTrue(duration.getMessage().contains("expected a duration like 500ms, 30s"), duration.getMessage());

        ConfigException direction = fails("metrics:\n  cpu_usage:\n    direction: up\n");
        assertEquals("metrics.cpu_usage.direction", direction.key());
        assertTrue(direction.getMessage().contains("[higher-is-worse, lower-is-worse]"), direction.getMessage());

        ConfigException number = fails("ingest:\n  max-line-bytes: lots\n");
        assertEquals("ingest.max-line-bytes", number.key());

        ConfigException order = fails("metrics:\n  cache_hit_rate:\n    warning: 0.5\n    critical: 0.9\n");
        assertEquals("metrics.cache_hit_rate", order.key());
        assertTrue(order.getMessage().contains("critical level must be beyond the warning level"), order.getMessage());

        ConfigException zero = fails("windows:\n  summary: 0s\n");
        assertTrue(zero.getMessage().contains("expected a duration greater than 0"), zero.getMessage());

        ConfigException bufferTimeout = fails("output:\n  buffer-timeout: -5ms\n");
        assertEquals("output.buffer-timeout", bufferTimeout.key());
        assertTrue(bufferTimeout.getMessage().contains("got '-5ms'"), bufferTimeout.getMessage());

        ConfigException accuracy = fails("windows:\n  quantile-relative-accuracy: 2\n");
        assertEquals("windows.quantile-relative-accuracy", accuracy.key());

        ConfigException name = fails("metrics:\n  \"cpu usage\":\n    warning: 1\n    direction: higher-is-worse\n");
        assertTrue(name.getMessage().contains("not a valid metric name"), name.getMessage());

        ConfigException noDirection = fails("metrics:\n  my_metric:\n    warning: 1\n");
        assertTrue(noDirection.getMessage().startsWith(dir.resolve("user.yaml").toString()), noDirection.getMessage());
        assertEquals("metrics.my_metric.direction", noDirection.key());
    }

    @Test
    void brokenYamlMissingFileAndBadOverride() throws IOException {
        ConfigException yaml = fails("windows: [unclosed\n");
        assertTrue(yaml.getMessage().contains("not valid YAML at line"), yaml.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml"), List.of()));
        assertTrue(missing.getMessage().endsWith("nope.yaml: file not found"), missing.getMessage());
        ConfigException override = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("windows.summary=forever")));
        assertTrue(override.getMessage().startsWith("--set windows.summary=forever: key 'windows.summary'"), override.getMessage());
        ConfigException noEquals = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("windows.summary")));
        assertTrue(noEquals.getMessage().contains("expected key=value"), noEquals.getMessage());
    }

    @Test
    void durationsInEveryUnit() {
        assertEquals(Duration.ofMillis(500), ConfigLoader.parseDuration("500ms"));
        assertEquals(Duration.ofMillis(1500), ConfigLoader.parseDuration("1.5s"));
        assertEquals(Duration.ofMinutes(5), ConfigLoader.parseDuration("5m"));
        assertEquals(Duration.ofHours(2), ConfigLoader.parseDuration("2h"));
        assertEquals(Duration.ofDays(1), ConfigLoader.parseDuration("1d"));
        assertEquals(Duration.ofSeconds(30), ConfigLoader.parseDuration("PT30S"));
    }

    @Test
    void analysisSectionAndTheUsersCatalogueAreChecked() throws IOException {
        ConfigException windows = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("analysis.baseline-windows=99")));
        assertEquals("analysis.baseline-windows", windows.key());
        Path catalogue = dir.resolve("ours.yaml");
        Files.writeString(catalogue, "suggestions:\n  - { id: x, category: cpu }\n");
        ConfigException bad = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("analysis.suggestions-file=" + catalogue)));
        assertTrue(bad.getMessage().startsWith(catalogue.toString()) && bad.getMessage().contains("suggestions[0] (id x)"), bad.getMessage());
        PerfwatchConfig defaults = ConfigLoader.defaults();
        assertTrue(defaults.catalogue().entries().size() >= 30);
    }

    @Test
    void lifecycleAndNotificationSettingsAreCheckedAndSecretsNeverShown() {
        ConfigException scheme = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("notifications.webhook.url=ftp://hooks.example/T0KEN-123")));
        assertTrue(scheme.getMessage().contains("notifications.webhook.url") && scheme.getMessage().contains("http(s) URL"), scheme.getMessage());
        assertFalse(scheme.getMessage().contains("T0KEN-123"), scheme.getMessage());
        ConfigException typo = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("notifications.slack.webhook_url=https://hooks.example/T0KEN-123")));
        assertFalse(typo.getMessage().contains("T0KEN-123"), typo.getMessage());
        assertTrue(typo.getMessage().contains("webhook-url"), "names the keys it knows: " + typo.getMessage());
        ConfigException email = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("notifications.email.smtp-host=smtp.example.com")));
        assertTrue(email.getMessage().contains("from and at least one to address"), email.getMessage());
        ConfigException groupBy = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("lifecycle.group-by=[metric]")));
        assertTrue(groupBy.getMessage().contains("includes component"), groupBy.getMessage());
        ConfigException notify = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("lifecycle.notify=everything")));
        assertTrue(notify.getMessage().contains("lifecycle.notify") && notify.getMessage().contains("incident"), notify.getMessage());
        assertEquals(List.of("a@example.com", "b@example.com"), ConfigLoader.load(null, List.of(
                "notifications.email.to=[a@example.com, b@example.com]")).notifications.email.to);
    }
}
