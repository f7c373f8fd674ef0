package dev.perfwatch.io;

import dev.perfwatch.model.SourceLine;

import dev.perfwatch.model.Ingested;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads text files line by line: each physical line becomes a {@link SourceLine} that knows its file
 * and line number (so a dead letter can say where it came from), and then exactly one record of the
 * format's {@link LineParser} (the CSV header and blank lines included, for the parser to skip and
 * count), which makes the checkpointed position simply "lines consumed". Handles LF and CRLF, a UTF-8
 * byte-order mark, lines over the size limit (kept cut, flagged) and invalid UTF-8 (flagged). Files
 * are not split. Each reader tells how far in event time its file has been read
 * ({@link LineReader#eventTimeReached()}), so {@link FileLinesSource} can read files side by side.
 */
public final class LineFormat<T> implements BulkFormat<T, FileSourceSplit> {

    private static final long serialVersionUID = 1L;
    private static final int BATCH = 256;

    /** How a file's lines are framed. */
    public enum FileFormat {
        JSON, CSV;

        /** By the name's extension, a compression suffix left aside ({@code x.csv.gz} is CSV). */
        public static FileFormat byExtension(String path) {
            return withoutCompression(path).toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : JSON;
        }
    }

    /** Whether a file is read through gzip: its name ends with .gz or .gzip. */
    public static boolean gzipped(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".gz") || p.endsWith(".gzip");
    }

    /** Compressed formats that are not read (their lines would all be bad_encoding dead letters): one dead letter says so. */
    private static final String[] UNREAD_COMPRESSIONS = {".bz2", ".xz", ".zst", ".zstd", ".zip", ".7z", ".lz4", ".snappy", ".br"};

    /** The suffix of a compressed format perfwatch does not read, or null. */
    static String unreadCompression(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        for (String suffix : UNREAD_COMPRESSIONS) {
            if (p.endsWith(suffix)) {
                return suffix;
            }
        }
        return null;
    }

    /** The name without a .gz or .gzip suffix. */
    static String withoutCompression(String path) {
        return gzipped(path) ? path.substring(0, path.lastIndexOf('.')) : path;
    }

    /**
     * A file's bytes as stored ({@code raw}), decompressed when its name says gzip (several concatenated gzip members
     * read as one, as gzip -d does). For a gzip file, this and reading from the stream it gives throw
     * {@link java.util.zip.ZipException} or {@link java.io.EOFException} when the data is not gzip or is cut short.
     */
    public static java.io.InputStream decompressed(java.io.InputStream raw, String path) throws IOException {
        return gzipped(path) ? new java.util.zip.GZIPInputStream(raw, 64 * 1024) : raw;
    }

    private final int maxLineBytes;
    /** Forced format, or null to choose per file by extension. */
    private final FileFormat forced;
    private final LineParser<T> parser;

    public LineFormat(int maxLineBytes, FileFormat forced, LineParser<T> parser) {
        this.maxLineBytes = maxLineBytes;
        this.forced = forced;
        this.parser = parser;
    }

    /** The lines themselves. */
    public static LineFormat<SourceLine> lines(int maxLineBytes, FileFormat forced) {
        return new LineFormat<>(maxLineBytes, forced, LineParser.LINES);
    }

    /** Each line parsed and validated into a sample or a dead letter. */
    public static LineFormat<Ingested> samples(int maxLineBytes, FileFormat forced, ParserSettings settings) {
        return new LineFormat<>(maxLineBytes, forced, new LineParser.Samples(settings));
    }

    @Override
    public LineReader createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(split, 0);
    }

    @Override
    public LineReader restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new LineReader(split, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return parser.producedType();
    }

    /** Reads one file; records in batches of up to {@value #BATCH} lines. */
    public final class LineReader implements BulkFormat.Reader<T> {
        private final java.io.InputStream in;
        private final boolean gzip;
        /** The suffix of a compressed format that is not read, or null. */
        private final String unread;
        /** Why a gzip file's data ended early (corrupt, cut short, not gzip), or null; and the start of a line it cut. */
        private String damage;
        private String cutLine;
        /** Whether the file's one bad_compression line (unread or damaged) was sent. */
        private boolean compressionLetterSent;
        private final String origin;
        private final boolean csv;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int limit;
        private boolean eof;
        private byte[] line = new byte[1024];
        private int lineLength;
        private boolean lineTooLong;
        private long linesRead;
        private String csvHeader;
        private final Function<SourceLine, T> parse = parser.open();
        private long eventTimeReached = Long.MIN_VALUE;
        private final java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        /** Whether the end-of-file record was sent (it counts as the record after the last line). */
        private boolean endSent;

        LineReader(FileSourceSplit split, long skipLines) throws IOException {
            Path path = split.path();
            this.unread = unreadCompression(path.getPath());
            this.gzip = gzipped(path.getPath());
            java.io.InputStream stream = java.io.InputStream.nullInputStream();
            if (unread == null) {
                FSDataInputStream raw = path.getFileSystem().open(path);
                stream = raw;
                try {
                    stream = decompressed(raw, path.getPath());
                } catch (java.util.zip.ZipException | java.io.EOFException e) {
                    damaged(e); // not gzip at all (or empty): nothing is read, one dead letter says why
                }
            }
            this.in = stream;
            this.origin = path.toString();
            this.csv = (forced != null ? forced : FileFormat.byExtension(path.getPath())) == FileFormat.CSV;
            for (long i = 0; i < skipLines; i++) {
                if (nextLine() == null) {
                    endSent = true; // restored after the end-of-file record
                    break;
                }
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public RecordIterator<T> readBatch() throws IOException {
            long before = linesRead;
            T[] batch = (T[]) new Object[BATCH];
            int n = 0;
            SourceLine next = null;
            while (n < BATCH && (next = nextLine()) != null) {
                T record = parse.apply(next);
                eventTimeReached = Math.max(eventTimeReached, parser.eventTime(record));
                batch[n++] = record;
            }
            if (next == null && n < BATCH && !endSent) {
                endSent = true;
                T end = parser.endOfFile(origin);
                if (end != null) {
                    batch[n++] = end;
                }
            }
            if (n == 0) {
                return null;
            }
            ArrayResultIterator<T> it = new ArrayResultIterator<>();
            it.set(batch, n, CheckpointedPosition.NO_OFFSET, before);
            return it;
        }

        /** The latest event time among the records read so far (MIN_VALUE before any). */
        public long eventTimeReached() {
            return eventTimeReached;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        /** The next physical line as a record, or null at the end of the file. */
        private SourceLine nextLine() throws IOException {
            if (!readLineBytes()) {
                if ((unread != null || damage != null) && !compressionLetterSent) {
                    compressionLetterSent = true;
                    String letter = compressionLetter();
                    linesRead++;
                    return new SourceLine(origin, linesRead, letter, null, SourceLine.BAD_COMPRESSION);
                }
                return null;
            }
            linesRead++;
            int start = 0;
            int end = lineLength;
            if (linesRead == 1 && end >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB
                    && (line[2] & 0xff) == 0xBF) {
                start = 3;
            }
            if (end > start && line[end - 1] == '\r' && !lineTooLong) {
                end--;
            }
            byte kind = SourceLine.RECORD;
            String text;
            try {
                text = utf8.decode(ByteBuffer.wrap(line, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                text = new String(line, start, end - start, StandardCharsets.UTF_8);
                kind = SourceLine.BAD_ENCODING;
            }
            if (lineTooLong) {
                kind = SourceLine.TOO_LONG;
            } else if (kind == SourceLine.RECORD && csv && csvHeader == null && !MetricParser.isBlank(text)) {
                csvHeader = text;
                kind = SourceLine.CSV_HEADER;
            }
            return new SourceLine(origin, linesRead, text, csv ? csvHeader : null, kind);
        }

        /** Fills {@link #line} up to the limit; false at the end of the file. */
        private boolean readLineBytes() throws IOException {
            lineLength = 0;
            lineTooLong = false;
            boolean any = false;
            while (true) {
                if (pos >= limit) {
                    if (eof || !fill()) {
                        if (any && damage != null) {
                            // A line the damage cut: not read as a line (its value could be cut short), named in the dead letter.
                            cutLine = new String(line, 0, Math.min(lineLength, 200), StandardCharsets.UTF_8) + (lineLength > 200 ? "..." : "");
                            return false;
                        }
                        return any;
                    }
                }
                any = true;
                int from = pos;
                while (pos < limit && buffer[pos] != '\n') {
                    pos++;
                }
                append(from, pos - from);
                if (pos < limit) {
                    pos++; // the newline
                    return true;
                }
            }
        }

        private boolean fill() throws IOException {
            int read;
            try {
                read = in.read(buffer, 0, buffer.length);
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                if (!gzip) {
                    throw e;
                }
                damaged(e); // what was read stands, the rest is one dead letter
                return false;
            }
            if (read <= 0) {
                eof = true;
                return false;
            }
            pos = 0;
            limit = read;
            return true;
        }

        /** The gzip data is not gzip, or is corrupt or cut short: the file ends here. */
        private void damaged(IOException e) {
            damage = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            eof = true;
        }

        /** The text of the file's bad_compression line, at the end of what could be read (linesRead lines). */
        private String compressionLetter() {
            if (unread != null) {
                return "a " + unread + " file is not read: perfwatch reads plain text and gzip (.gz); decompress it, or recompress it with gzip";
            }
            return "gzip data ends early after " + linesRead + " complete lines"
                    + (cutLine == null ? "" : ", in the middle of line " + (linesRead + 1) + " ('" + cutLine + "')")
                    + ": " + damage + "; the lines before it were read, nothing after it can be";
        }

        private void append(int from, int count) {
            int room = maxLineBytes - lineLength;
            if (count > room) {
                lineTooLong = true;
                count = Math.max(room, 0);
            }
            if (lineLength + count > line.length) {
                byte[] bigger = new byte[Math.max(line.length * 2, lineLength + count)];
                System.arraycopy(line, 0, bigger, 0, lineLength);
                line = bigger;
            }
            System.arraycopy(buffer, from, line, lineLength, count);
            lineLength += count;
        }
    }
}
