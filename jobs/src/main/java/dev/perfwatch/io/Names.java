package dev.perfwatch.io;

/** What a metric, component, host or tag name may look like. */
public final class Names {

    private Names() {}

    /**
     * Returns null when {@code name} is acceptable, else why not: 1 to {@code maxLength} characters,
     * starting with a letter or digit, then letters, digits and {@code _ . : / -}. ('|' is excluded
     * because it separates component and metric in series keys.)
     */
    public static String problem(String name, int maxLength) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > maxLength) {
            return "it is " + name.length() + " characters long, the limit is " + maxLength;
        }
        char first = name.charAt(0);
        if (!isAsciiLetterOrDigit(first)) {
            return "it must start with a letter or digit";
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '_' && c != '.' && c != ':' && c != '/' && c != '-') {
                return "character '" + printable(c) + "' at position " + (i + 1)
                        + " is not allowed (letters, digits and _ . : / - are)";
            }
        }
        return null;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
