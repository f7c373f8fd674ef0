package dev.perfwatch.config;

/** A configuration problem, naming where the value came from, the key and what was expected. */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String key;

    public ConfigException(String source, String key, String message) {
        super(source + ": " + (key == null || key.isEmpty() ? "" : "key '" + key + "': ") + message);
        this.source = source;
        this.key = key;
    }

    public String source() {
        return source;
    }

    public String key() {
        return key;
    }
}
