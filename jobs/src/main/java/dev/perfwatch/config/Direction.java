package dev.perfwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which way a metric gets worse. */
public enum Direction {
    HIGHER_IS_WORSE("higher-is-worse"),
    LOWER_IS_WORSE("lower-is-worse");

    private final String yaml;

    Direction(String yaml) {
        this.yaml = yaml;
    }

    @JsonValue
    public String yaml() {
        return yaml;
    }

    @JsonCreator
    public static Direction of(String text) {
        return YamlEnums.byYaml(values(), Direction::yaml, text);
    }

    /** True when {@code value} is at or beyond {@code level} in the worse direction. */
    public boolean breaches(double value, double level) {
        return this == HIGHER_IS_WORSE ? value >= level : value <= level;
    }

    /** 1 when higher is worse, -1 when lower is worse. */
    public double sign() {
        return this == HIGHER_IS_WORSE ? 1 : -1;
    }
}
