package dev.perfwatch.config;

import java.util.Arrays;
import java.util.function.Function;

/** Enums spelled in YAML by a word of their own. */
final class YamlEnums {

    private YamlEnums() {}

    /** The constant whose YAML spelling is {@code text}; the error lists the spellings. */
    static <E extends Enum<E>> E byYaml(E[] values, Function<E, String> yaml, String text) {
        for (E e : values) {
            if (yaml.apply(e).equals(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException("expected one of " + Arrays.toString(Arrays.stream(values).map(yaml).toArray())
                + ", got '" + text + "'");
    }
}
