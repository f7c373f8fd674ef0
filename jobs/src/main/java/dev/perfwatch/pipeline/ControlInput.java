package dev.perfwatch.pipeline;

import dev.perfwatch.alerting.CommandParser;
import dev.perfwatch.alerting.ParsedCommand;
import dev.perfwatch.io.FileLinesSource;
import dev.perfwatch.io.LineFormat;

import org.apache.flink.api.connector.source.Source;

import java.time.Duration;
import java.util.List;

/**
 * Where control commands (ack, resolve, silence, expire_silence) come from: JSON lines in a directory,
 * read once or watched. Commands never hold back event time (they are applied at their own time
 * {@code at} by the lifecycle), so this source does not take part in watermarks.
 */
public record ControlInput(String uid, String name, Source<ParsedCommand, ?, ?> source) {

    /** No commands: a bounded source over nothing. */
    public static ControlInput none() {
        return new ControlInput("control-none", "no control commands",
                new FileLinesSource<>(List.of(), format(1024), null, 1));
    }

    /**
     * No commands, for a job whose metric inputs never end: a source over nothing that runs as long as
     * they do. (A bounded one finishes at once and then waits for a final checkpoint; a stop-with-savepoint
     * that comes before that checkpoint completes never gets that task's acknowledgement, and expires.)
     */
    public static ControlInput noneWhileRunning() {
        return new ControlInput("control-none", "no control commands",
                new FileLinesSource<>(List.of(), format(1024), Duration.ofHours(1), 1));
    }

    /** The directory's files (recursively; hidden and '_'-prefixed files are skipped); watched when {@code watch} is non-null. */
    public static ControlInput directory(String dir, Duration watch, int maxLineBytes) {
        return new ControlInput("control-files", "read control commands " + dir,
                new FileLinesSource<>(List.of(dir), format(maxLineBytes), watch, 8));
    }

    /** A Kafka topic of control commands (JSON values), from its start (or the group's committed offsets). */
    public static ControlInput kafka(KafkaEndpoint kafka, String topic, int maxLineBytes) {
        return new ControlInput("control-kafka", "read control commands kafka " + topic,
                kafka.source(topic, new dev.perfwatch.io.KafkaLines<>(new CommandParser(), maxLineBytes)));
    }

    private static LineFormat<ParsedCommand> format(int maxLineBytes) {
        return new LineFormat<>(maxLineBytes, LineFormat.FileFormat.JSON, new CommandParser());
    }
}
