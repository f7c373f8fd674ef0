package dev.perfwatch.pipeline;

import dev.perfwatch.model.Ingested;

import org.apache.flink.api.connector.source.Source;

/**
 * A source of metric records that parses what it reads (into samples and dead letters), with the
 * uid and name its operator gets. The pipeline attaches it with the watermark strategy, so
 * watermarks are per split (per file, per Kafka partition).
 *
 * @param parallelism the source's own parallelism, or null for the job's
 * @param idleness whether a split (or a reader without splits) that stays silent for
 *     {@code event-time.idleness} stops holding event time back. Needed where a split can go quiet
 *     while others go on; a source that can read everything in one reader (watched directories)
 *     does without: Flink's idleness lets a downstream channel's watermark overtake records still on
 *     their way through another, and those would be late.
 */
public record MetricInput(String uid, String name, Source<Ingested, ?, ?> source, Integer parallelism, boolean idleness) {

    public MetricInput(String uid, String name, Source<Ingested, ?, ?> source) {
        this(uid, name, source, null, true);
    }
}
