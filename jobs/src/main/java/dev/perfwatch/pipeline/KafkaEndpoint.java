package dev.perfwatch.pipeline;

import dev.perfwatch.config.KafkaConfig;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Properties;

/**
 * One Kafka cluster as perfwatch uses it: sources of metrics and control commands, and exactly-once
 * sinks of results, with the client properties and group of {@code kafka} in the configuration.
 *
 * @param startingOffsets earliest, latest, committed (the group's offsets, else earliest), or a time
 *     (ISO-8601 or epoch milliseconds): the first record at or after it
 * @param bounded read up to the offsets at start, then finish
 */
public record KafkaEndpoint(String bootstrap, String groupId, String startingOffsets, boolean bounded, KafkaConfig config)
        implements Serializable {

    public KafkaEndpoint {
        offsets(startingOffsets); // fails early on a bad value
    }

    <T> KafkaSource<T> source(String topic, KafkaRecordDeserializationSchema<T> deserializer) {
        var builder = KafkaSource.<T>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(groupId != null ? groupId : config.groupId)
                .setStartingOffsets(offsets(startingOffsets))
                .setDeserializer(deserializer)
                .setProperties(properties())
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** An exactly-once sink of JSON lines to {@code topic} (transactions committed at checkpoints). */
    KafkaSink<OutputLine> sink(String kind, String topic) {
        return KafkaSink.<OutputLine>builder()
                .setBootstrapServers(bootstrap)
                .setKafkaProducerConfig(properties())
                .setRecordSerializer(KafkaRecordSerializationSchema.<OutputLine>builder()
                        .setTopic(topic)
                        .setValueSerializationSchema(new JsonValue())
                        .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.transactionalIdPrefix + "-" + kind)
                .setProperty("transaction.timeout.ms", Long.toString(config.transactionTimeout.toMillis()))
                .build();
    }

    /** A line's JSON text as the record value. */
    static final class JsonValue implements org.apache.flink.api.common.serialization.SerializationSchema<OutputLine> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(OutputLine line) {
            return line.jsonBytes();
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.putAll(config.properties);
        return p;
    }

    static OffsetsInitializer offsets(String text) {
        String v = text == null ? "committed" : text.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            case "committed":
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default:
                try {
                    return OffsetsInitializer.timestamp(v.matches("\\d+") ? Long.parseLong(v) : Instant.parse(text.trim()).toEpochMilli());
                } catch (DateTimeParseException | NumberFormatException e) {
                    throw new IllegalArgumentException("--starting-offsets: expected earliest, latest, committed, an ISO-8601 time"
                            + " (2026-11-01T00:00:00Z) or epoch milliseconds, got '" + text + "'");
                }
        }
    }
}
