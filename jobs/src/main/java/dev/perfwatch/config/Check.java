package dev.perfwatch.config;

import java.time.Duration;
import java.util.function.Function;

/**
 * What a configuration section uses to validate itself: each failure names the layer the value came
 * from (the user's file, {@code --set}, or the built-in defaults), the full key and what was expected.
 */
public final class Check {

    private final Function<String, String> sourceOf;
    private final String prefix;

    Check(Function<String, String> sourceOf, String prefix) {
        this.sourceOf = sourceOf;
        this.prefix = prefix;
    }

    /** The checks of a sub-section, e.g. {@code check.in("patterns")}. */
    public Check in(String section) {
        return new Check(sourceOf, key(section));
    }

    public String key(String name) {
        return prefix.isEmpty() ? name : name.isEmpty() ? prefix : prefix + "." + name;
    }

    public ConfigException fail(String name, String message) {
        String key = key(name);
        return new ConfigException(sourceOf.apply(key), key, message);
    }

    /** The section itself must be there. */
    public void section(Object value, String name) {
        if (value == null) {
            throw fail(name, "section is missing or empty");
        }
    }

    public void required(Object value, String name) {
        if (value == null) {
            throw fail(name, "a value is required");
        }
    }

    public void positive(double value, String name) {
        if (!(value > 0)) {
            throw fail(name, "expected a number greater than 0, got " + value);
        }
    }

    public void positive(Duration value, String name) {
        required(value, name);
        if (value.isZero() || value.isNegative()) {
            throw fail(name, "expected a duration greater than 0, got " + value);
        }
    }

    public void nonNegative(Duration value, String name) {
        required(value, name);
        if (value.isNegative()) {
            throw fail(name, "expected a duration of 0 or more, got " + value);
        }
    }

    public void nonNegative(double value, String name) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw fail(name, "expected a finite number of 0 or more, got " + value);
        }
    }

    public void atLeast(int value, int min, String name) {
        if (value < min) {
            throw fail(name, "expected a whole number of at least " + min + ", got " + value);
        }
    }

    public void probability(double value, String name) {
        if (!(value > 0 && value < 1)) {
            throw fail(name, "expected a probability in (0, 1), got " + value);
        }
    }
}
