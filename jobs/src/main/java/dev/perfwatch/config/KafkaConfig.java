package dev.perfwatch.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code kafka}: the topics results go to (with {@code monitor --kafka-output-bootstrap}), the
 * exactly-once producer's settings, and client properties for both directions.
 */
public class KafkaConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The output kinds that may go to Kafka. */
    public static final Set<String> KINDS = Set.of("summaries", "alerts", "regressions", "bottlenecks", "health", "suggestions",
            "alert-events", "notifications", "dead-letters");

    /** Output kind -> topic; a kind not listed is not written to Kafka. */
    public Map<String, String> topics = new LinkedHashMap<>();
    /** Prefix of the exactly-once producer's transactional ids: unique per job on a cluster. */
    public String transactionalIdPrefix;
    /** Below the broker's transaction.max.timeout.ms (15 min by default), above the checkpoint interval. */
    public Duration transactionTimeout;
    /** Consumer group of the metrics (and control) consumers. */
    public String groupId;
    /** Extra Kafka client properties (security.protocol, sasl.mechanism, ...), for consumers and producers. */
    public Map<String, String> properties = new LinkedHashMap<>();

    void validate(Check c, Duration checkpointInterval) {
        for (Map.Entry<String, String> e : topics.entrySet()) {
            if (!KINDS.contains(e.getKey())) {
                throw c.fail("topics." + e.getKey(), "not an output kind; expected one of " + new java.util.TreeSet<>(KINDS));
            }
            if (e.getValue() == null || e.getValue().isBlank()) {
                throw c.fail("topics." + e.getKey(), "expected a topic name");
            }
        }
        if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
            throw c.fail("transactional-id-prefix", "expected a prefix, unique per job writing to the same cluster");
        }
        if (groupId == null || groupId.isBlank()) {
            throw c.fail("group-id", "expected a consumer group id");
        }
        c.positive(transactionTimeout, "transaction-timeout");
        if (transactionTimeout.compareTo(Duration.ofMinutes(15)) > 0) {
            throw c.fail("transaction-timeout", "must not exceed the broker's default transaction.max.timeout.ms (15m),"
                    + " or every transaction is refused; got " + org.apache.flink.util.TimeUtils.formatWithHighestUnit(transactionTimeout));
        }
        if (checkpointInterval != null && transactionTimeout.compareTo(checkpointInterval) <= 0) {
            throw c.fail("transaction-timeout", "must be longer than output.checkpoint-interval ("
                    + org.apache.flink.util.TimeUtils.formatWithHighestUnit(checkpointInterval) + "): a transaction stays open until its checkpoint");
        }
    }
}
