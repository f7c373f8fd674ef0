package dev.perfwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A statistic of a window summary. */
public enum Statistic {
    MEAN("mean"), P50("p50"), P95("p95"), P99("p99"), MIN("min"), MAX("max");

    private final String yaml;

    Statistic(String yaml) {
        this.yaml = yaml;
    }

    @JsonValue
    public String yaml() {
        return yaml;
    }

    @JsonCreator
    public static Statistic of(String text) {
        return YamlEnums.byYaml(values(), Statistic::yaml, text);
    }
}
