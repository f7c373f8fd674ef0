package dev.perfwatch.pipeline;

import dev.perfwatch.model.Ingested;

import org.apache.flink.api.connector.source.Source;

/**
 * A source of metric records that parses what it reads (into samples and dead letters), with the
 * uid and name its operator gets. The pipeline attaches it with the watermark strategy, so
 * watermarks are per split (per file, per Kafka partition).
 */
public record MetricInput(String uid, String name, Source<Ingested, ?, ?> source) {}
