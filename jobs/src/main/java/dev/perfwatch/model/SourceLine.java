package dev.perfwatch.model;

/**
 * One physical line as a source read it, before parsing: its text, where it came from, and, for CSV
 * files, the header row it belongs to.
 */
public class SourceLine {

    /** The line is a record (JSON object or CSV row). */
    public static final byte RECORD = 0;
    /** The line is the header row of a CSV file. */
    public static final byte CSV_HEADER = 1;
    /** The reader cut the line at the size limit; {@link #text} holds its start. */
    public static final byte TOO_LONG = 2;
    /** The line's bytes were not valid UTF-8; {@link #text} holds them with replacement characters. */
    public static final byte BAD_ENCODING = 3;
    /** Not a line: a compressed file's data ended early (corrupt, cut short, not compressed); {@link #text} says why. */
    public static final byte BAD_COMPRESSION = 4;

    /** File path, "generator", or "kafka:topic/partition". */
    public String origin;
    /** 1-based physical line number (or offset/index for non-file sources). */
    public long line;
    public String text;
    /** The CSV header row of the file, or null for JSON lines. */
    public String csvHeader;
    public byte kind;

    public SourceLine() {}

    public SourceLine(String origin, long line, String text, String csvHeader, byte kind) {
        this.origin = origin;
        this.line = line;
        this.text = text;
        this.csvHeader = csvHeader;
        this.kind = kind;
    }

    public static SourceLine json(String origin, long line, String text) {
        return new SourceLine(origin, line, text, null, RECORD);
    }

    @Override
    public String toString() {
        return origin + ":" + line + " " + text;
    }
}
