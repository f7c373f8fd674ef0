package dev.perfwatch.notify;

/**
 * Secret settings (webhook URLs with tokens, SMTP passwords): a value {@code env:NAME} is read from the
 * environment where the job runs, so the secret is in no file, job graph or log; any other value is
 * used as given. Errors name the variable, never a value.
 */
public final class Secrets {

    private Secrets() {}

    /** The value, or null when {@code value} is null. */
    public static String resolve(String value, String key) {
        if (value == null || !value.startsWith("env:")) {
            return value;
        }
        String name = value.substring("env:".length());
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException(key + " is env:" + name + ", but the environment variable " + name + " is not set where the job runs");
        }
        return v;
    }

    /** An error text without the secret: every occurrence of it (and of its parts after "://") removed. */
    public static String redact(String text, String... secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                out = out.replace(s, "<redacted>");
                int scheme = s.indexOf("://");
                if (scheme > 0) {
                    out = out.replace(s.substring(scheme + 3), "<redacted>");
                }
            }
        }
        return out;
    }
}
