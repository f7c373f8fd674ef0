package dev.perfwatch.cluster;

import dev.perfwatch.Perfwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * monitor against a real single-node Kafka broker (KRaft, started by the test on 127.0.0.1): metrics
 * from a 3-partition topic whose partitions are deliberately uneven in time, results to topics with the
 * exactly-once sink, read back with a read_committed consumer; and the metrics_kafka table of
 * sql/tables.sql over the same topic.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class KafkaPipelineIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOPIC = "perfwatch-metrics";
    static final String CONTROL = "perfwatch-control";
    /** A silence of web's alerts during its CPU spike: the same command from the topic and from the control directory. */
    static final String SILENCE = "{\"command\":\"silence\",\"silence_id\":\"maint-1\",\"matchers\":{\"component\":\"web\"},"
            + "\"starts_at\":\"2026-11-26T08:00:00Z\",\"ends_at\":\"2026-11-26T09:30:00Z\",\"by\":\"ops\",\"comment\":\"load test\","
            + "\"at\":\"2026-11-26T08:00:00Z\"}";
    static final List<String> COMPARED = List.of("summaries", "alerts", "regressions", "bottlenecks", "health", "suggestions",
            "alert-events");

    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static Path generated;
    static List<String> lines = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = new KafkaBroker(Files.createDirectories(dir.resolve("kafka")));
        broker.start();
        broker.createTopic(TOPIC, 3);
        broker.createTopic(CONTROL, 1);
        generated = dir.resolve("metrics");
        assertEquals(0, Perfwatch.run("generate", "--output", generated.toString(), "--duration", "90m", "--seed", "21"));
        try (Stream<Path> files = Files.list(generated)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        // Partitions uneven in time: partition 0 gets the first 60% of each component's records, partition 1
        // the rest, and partition 2 one component whole; written partition by partition, so a reader is far
        // ahead in event time on one partition while another starts from the beginning.
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        Map<String, List<String>> byComponent = new TreeMap<>();
        try (Stream<Path> files = Files.list(generated)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                byComponent.put(f.getFileName().toString().replace(".jsonl", ""), Files.readAllLines(f));
            }
        }
        for (Map.Entry<String, List<String>> e : byComponent.entrySet()) {
            List<String> records = e.getValue();
            if (e.getKey().equals("cache")) {
                byPartition.computeIfAbsent(2, p -> new ArrayList<>()).addAll(records);
            } else {
                int cut = records.size() * 6 / 10;
                byPartition.computeIfAbsent(0, p -> new ArrayList<>()).addAll(records.subList(0, cut));
                byPartition.computeIfAbsent(1, p -> new ArrayList<>()).addAll(records.subList(cut, records.size()));
            }
        }
        // Within a partition records are in event-time order (as a producer writing as it measures sends
        // them): components interleaved by time; a bad line keeps the time of the line before it.
        for (List<String> records : byPartition.values()) {
            List<long[]> keyed = new ArrayList<>();
            long last = Long.MIN_VALUE;
            for (int i = 0; i < records.size(); i++) {
                long t = timeOf(records.get(i));
                last = t == Long.MIN_VALUE ? last : t;
                keyed.add(new long[] {last, i});
            }
            List<String> sorted = keyed.stream().sorted(java.util.Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]))
                    .map(k -> records.get((int) k[1])).toList();
            records.clear();
            records.addAll(sorted);
        }
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producer)) {
            for (Map.Entry<Integer, List<String>> e : byPartition.entrySet()) {
                for (String line : e.getValue()) {
                    p.send(new ProducerRecord<>(TOPIC, e.getKey(), null, line.getBytes(StandardCharsets.UTF_8)));
                }
            }
            // A value that is not UTF-8 and one that is not JSON: dead letters naming topic, partition, offset.
            p.send(new ProducerRecord<>(TOPIC, 2, null, new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'}));
            p.send(new ProducerRecord<>(TOPIC, 2, null, "not json".getBytes(StandardCharsets.UTF_8)));
            p.send(new ProducerRecord<>(CONTROL, 0, null, SILENCE.getBytes(StandardCharsets.UTF_8)));
            p.send(new ProducerRecord<>(CONTROL, 0, null, "{\"command\":\"reboot\"}".getBytes(StandardCharsets.UTF_8)));
            p.flush();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void metricsFromKafkaGiveWhatTheSameMetricsFromFilesGiveAndResultsReachKafkaExactlyOnce() throws Exception {
        Path expected = dir.resolve("from-files");
        Files.createDirectories(expected.resolve("control"));
        Files.writeString(expected.resolve("control").resolve("commands.jsonl"), SILENCE + "\n");
        assertEquals(0, Perfwatch.run("monitor", "--mode", "streaming", "--input", generated.toString(), "--output", expected.toString(),
                "-p", "2"), "the same data from files");
        Path out = dir.resolve("from-kafka");
        assertEquals(0, Perfwatch.run("monitor", "--kafka-bootstrap", broker.bootstrap(), "--metrics-topic", TOPIC,
                "--control-topic", CONTROL, "--starting-offsets", "earliest", "--kafka-bounded", "--kafka-output-bootstrap", broker.bootstrap(),
                "--output", out.toString(), "-p", "2", "--set", "output.checkpoint-interval=1s"), broker.logs());

        Map<String, List<String>> want = ClusterSubmissionIT.content(expected);
        Map<String, List<String>> got = ClusterSubmissionIT.content(out);
        assertTrue(want.get("summaries").size() > 1000);
        assertFalse(want.get("alerts").isEmpty());
        // One series' samples come from two partitions here (from one file there): sums over the same values
        // in another order can differ in the last bits, so numbers are compared to 10 significant digits.
        want = rounded(want);
        got = rounded(got);
        StringBuilder diff = new StringBuilder();
        for (String kind : COMPARED) {
            List<String> missing = new ArrayList<>(want.get(kind));
            missing.removeAll(got.get(kind));
            List<String> extra = new ArrayList<>(got.get(kind));
            extra.removeAll(want.get(kind));
            if (!missing.isEmpty() || !extra.isEmpty() || want.get(kind).size() != got.get(kind).size()) {
                diff.append(String.format("%n%s: %d from files, %d from Kafka; missing %s%n  extra %s", kind, want.get(kind).size(),
                        got.get(kind).size(), missing.stream().limit(3).toList(), extra.stream().limit(3).toList()));
            }
        }
        assertTrue(diff.length() == 0, "what Kafka's metrics give equals what the files give:" + diff);
        // Dead letters: the same reasons, plus the two bad values, each naming topic, partition and offset.
        List<JsonNode> letters = new ArrayList<>();
        for (String line : got.get("dead-letters")) {
            letters.add(JSON.readTree(line));
        }
        assertEquals(want.get("dead-letters").size() + 3, letters.size(), "two bad values and a bad command more");
        assertTrue(letters.stream().anyMatch(l -> l.get("reason").asText().equals("bad_command")
                && l.get("origin").asText().equals("kafka:" + CONTROL + "/0")), letters.toString());
        assertTrue(got.get("alert-events").stream().anyMatch(l -> l.contains("silenced by maint-1")),
                "the silence from the control topic held web's alerts back");
        assertTrue(letters.stream().noneMatch(l -> l.get("reason").asText().equals("late")), "no sample was late: watermarks per partition");
        assertTrue(letters.stream().allMatch(l -> l.get("origin").asText().startsWith("kafka:")));
        assertTrue(letters.stream().anyMatch(l -> l.get("reason").asText().equals("bad_encoding")
                && l.get("origin").asText().equals("kafka:" + TOPIC + "/2")), letters.toString());

        // Each kind's topic holds exactly what was written to files: committed once, nothing doubled.
        Map<String, List<String>> written = ClusterSubmissionIT.content(out);
        for (String kind : List.of("alerts", "regressions", "bottlenecks", "suggestions", "alert-events")) {
            List<String> consumed = consumeCommitted("perfwatch." + kind);
            consumed.sort(null);
            assertEquals(written.get(kind), consumed, "topic perfwatch." + kind);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theMetricsKafkaTableReadsTheTopic() throws Exception {
        Path script = dir.resolve("count.sql");
        Files.writeString(script, "SELECT component, COUNT(*) AS n FROM metrics_kafka WHERE metric = 'cpu_usage' "
                + "AND `value` IS NOT NULL AND `timestamp` IS NOT NULL GROUP BY component;\n");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Perfwatch.run("sql", "--init", Path.of("../../sql/tables.sql").toString(), "--file", script.toString(),
                    "--define", "kafka=" + broker.bootstrap());
        } finally {
            System.setOut(original);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertEquals(cpuRecordsPerComponent(), printedCounts(text), text);
    }

    /** Independently: the produced values that are JSON with a numeric cpu_usage value and an ISO-8601 timestamp, per component. */
    static Map<String, Long> cpuRecordsPerComponent() {
        Map<String, Long> want = new TreeMap<>();
        for (String line : lines) {
            JsonNode n;
            try {
                n = JSON.readTree(line);
                Instant.parse(n.path("timestamp").asText());
            } catch (Exception e) {
                continue;
            }
            if (n.isObject() && "cpu_usage".equals(n.path("metric").asText(null)) && n.path("value").isNumber()
                    && n.hasNonNull("component")) {
                want.merge(n.get("component").asText(), 1L, Long::sum);
            }
        }
        return want;
    }

    /** The rows | component | n | of a printed table. */
    static Map<String, Long> printedCounts(String text) {
        Map<String, Long> got = new TreeMap<>();
        for (String row : text.split("\n")) {
            String[] cells = row.trim().split("\\|");
            if (cells.length == 3 && cells[2].trim().matches("\\d+")) {
                got.put(cells[1].trim(), Long.parseLong(cells[2].trim()));
            }
        }
        return got;
    }

    /**
     * The same table in Flink's own SQL client (its own JVM, no Kafka connector on its classpath): the
     * connector comes from the functions jar (ADD JAR), the tables from ./perfwatch sql-init --kafka.
     */
    @Test
    @org.junit.jupiter.api.Order(3)
    void theMetricsKafkaTableReadsTheTopicInFlinksSqlClient() throws Exception {
        Path jar;
        try (Stream<Path> jars = Files.list(Path.of("../../udfs/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("perfwatch-udfs-.*-sql\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("the functions jar (udfs, mvn package) is built before this module's tests"));
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Perfwatch.run("sql-init", "--output", dir.toString(), "--kafka", broker.bootstrap(),
                    "--functions-jar", jar.toAbsolutePath().toString()));
        } finally {
            System.setOut(original);
        }
        Path init = Files.writeString(dir.resolve("client-init.sql"), printed.toString(StandardCharsets.UTF_8));
        // The metrics topic, and two of the job's output topics (written exactly once by the first test).
        Path query = Files.writeString(dir.resolve("client-count.sql"), "SELECT component, COUNT(*) AS n FROM metrics_kafka WHERE metric = 'cpu_usage' "
                + "AND `value` IS NOT NULL AND `timestamp` IS NOT NULL GROUP BY component;\n"
                + "SELECT 'topic:alerts' AS component, COUNT(*) AS n FROM alerts_kafka WHERE alert_id IS NOT NULL\n"
                + "UNION ALL SELECT 'topic:regressions', COUNT(*) FROM regressions_kafka WHERE finding_id IS NOT NULL;\n");
        Path conf = Files.createDirectories(dir.resolve("client-conf"));
        Files.writeString(conf.resolve("config.yaml"), "execution.target: local\nrest.bind-address: 127.0.0.1\nrest.address: 127.0.0.1\n"
                + "parallelism.default: 1\n");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("perfwatch.jvmFlags", "").trim().split("\\s+")));
        command.removeIf(String::isEmpty);
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.contains("perfwatch") && !e.contains("kafka") && !e.contains(java.io.File.separator + "target" + java.io.File.separator))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
        command.addAll(List.of("org.apache.flink.table.client.SqlClient", "embedded", "-i", init.toString(), "-f", query.toString()));
        Path log = dir.resolve("client.log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("FLINK_CONF_DIR", conf.toString());
        Process process = pb.start();
        boolean finished = process.waitFor(240, java.util.concurrent.TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String text = Files.readString(log);
        assertTrue(finished && process.exitValue() == 0, text);
        Map<String, Long> want = new TreeMap<>(cpuRecordsPerComponent());
        want.put("topic:alerts", (long) consumeCommitted("perfwatch.alerts").size());
        want.put("topic:regressions", (long) consumeCommitted("perfwatch.regressions").size());
        assertTrue(want.get("topic:alerts") > 0, "the first test wrote alerts to Kafka");
        assertEquals(want, printedCounts(text), text);
    }

    /** Each line with its numbers rounded to 10 significant digits, sorted. */
    static Map<String, List<String>> rounded(Map<String, List<String>> byKind) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : byKind.entrySet()) {
            List<String> lines = new ArrayList<>();
            for (String line : e.getValue()) {
                lines.add(JSON.writeValueAsString(round(JSON.readTree(line))));
            }
            lines.sort(null);
            out.put(e.getKey(), lines);
        }
        return out;
    }

    static JsonNode round(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            return JSON.getNodeFactory().numberNode(new java.math.BigDecimal(node.asDouble())
                    .round(new java.math.MathContext(10)).doubleValue());
        }
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
            node.fields().forEachRemaining(f -> o.set(f.getKey(), round(f.getValue())));
            return o;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode a = JSON.createArrayNode();
            node.forEach(n -> a.add(round(n)));
            return a;
        }
        return node;
    }

    static long timeOf(String line) {
        int i = line.indexOf("\"timestamp\":\"");
        try {
            return Instant.parse(line.substring(i + 13, line.indexOf('"', i + 13))).toEpochMilli();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Every committed record of a topic, read with isolation.level=read_committed. */
    static List<String> consumeCommitted(String topic) {
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
