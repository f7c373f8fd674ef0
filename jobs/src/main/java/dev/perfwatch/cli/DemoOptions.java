package dev.perfwatch.cli;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.demo.DemoGenerator;

import picocli.CommandLine.Option;

import java.time.Instant;

/** How the demo generator is set up: the same for generate and demo, so both give the same data. */
public class DemoOptions {

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; the same seed gives the same data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", defaultValue = "2026-11-26T08:00:00Z", paramLabel = "TIME",
            description = "Event time of the first sample, ISO-8601 UTC (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--duration", defaultValue = "2h", paramLabel = "DURATION", description = "How much event time to generate (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--interval", defaultValue = "2s", paramLabel = "DURATION",
            description = "Spacing of one series' samples (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--bad-ratio", defaultValue = "0.001", paramLabel = "RATIO",
            description = "Share of deliberately malformed lines, to show dead letters (default: ${DEFAULT-VALUE}).")
    double badRatio;

    DemoGenerator generator() {
        Instant startTime;
        try {
            startTime = Instant.parse(start);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--start: expected an ISO-8601 UTC time like 2026-11-26T08:00:00Z, got '" + start + "'");
        }
        return new DemoGenerator(seed, startTime, durationOf("--duration", duration), durationOf("--interval", interval), badRatio);
    }

    private static java.time.Duration durationOf(String option, String text) {
        try {
            return ConfigLoader.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }
}
