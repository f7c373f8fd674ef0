package dev.perfwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The scale a metric's anomaly scores compare values on: {@code linear}, or {@code log} for a metric whose
 * noise grows with its level and whose values vary by multiples (durations, byte rates): on the log scale a
 * log-normal series' tail is as thin as a normal series', so one robust z threshold means the same on both.
 */
public enum Scale {
    LINEAR("linear"),
    LOG("log");

    private final String yaml;

    Scale(String yaml) {
        this.yaml = yaml;
    }

    @JsonValue
    public String yaml() {
        return yaml;
    }

    @JsonCreator
    public static Scale of(String text) {
        return YamlEnums.byYaml(values(), Scale::yaml, text);
    }
}
