package dev.perfwatch.io;

/** How refusals quote what they refuse: printable, and short. */
final class Texts {

    private Texts() {}

    /** At most 80 characters, non-printable ones escaped. */
    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
        for (int i = 0; i < s.length() && i < 80; i++) {
            b.append(Names.printable(s.charAt(i)));
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
