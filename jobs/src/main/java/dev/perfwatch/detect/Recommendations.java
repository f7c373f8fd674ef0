package dev.perfwatch.detect;

import dev.perfwatch.model.ChangeDirection;
import dev.perfwatch.model.FindingType;

/** A first thing to check, by metric and type of change. */
final class Recommendations {

    private Recommendations() {}

    static String of(String metric, FindingType type, ChangeDirection direction) {
        if (direction == ChangeDirection.IMPROVEMENT) {
            return "Improved " + describe(metric) + "; if a change was deployed, record it as the new baseline.";
        }
        String when = switch (type) {
            case SUDDEN -> "It changed at one moment: compare deploys, configuration and traffic changes at the change point.";
            case GRADUAL -> "It has been creeping up: look for growing data, leaks or a slowly saturating resource.";
            case ANOMALY -> "It was a transient excursion that has returned: check for a burst, a batch job or a failover then.";
            case TREND_REVERSAL -> "Its trend turned the wrong way: check what started around the change point.";
        };
        String what = switch (metric) {
            case "cpu_usage" -> "Profile the hottest code paths and check for retries or busy loops.";
            case "memory_usage" -> "Take a heap dump and compare object counts; check caches without bounds.";
            case "gc_time" -> "Check allocation rate and heap sizing; a leak often shows as rising GC time first.";
            case "response_time", "search_response_time" -> "Break latency down by endpoint and dependency; check slow queries and saturation.";
            case "database_query_time" -> "Check the slowest queries' plans, missing indexes and lock waits.";
            case "document_processing_time" -> "Check document sizes, worker concurrency and downstream calls.";
            case "disk_io", "network_io" -> "Check which process drives the I/O and whether volume or size per request grew.";
            case "queue_depth" -> "Compare arrival and processing rates; add consumers or find the slow stage.";
            case "cache_hit_rate" -> "Check evictions, key churn and cache size; a deploy may have changed keys.";
            case "error_rate" -> "Group errors by type and endpoint; check recent deploys and dependency health.";
            default -> "Check what changed in the component around the change point.";
        };
        return when + " " + what;
    }

    private static String describe(String metric) {
        return metric.replace('_', ' ');
    }
}
