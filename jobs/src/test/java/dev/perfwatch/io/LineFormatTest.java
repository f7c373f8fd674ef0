package dev.perfwatch.io;

import dev.perfwatch.model.SourceLine;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineFormatTest {

    @TempDir
    java.nio.file.Path dir;

    private static List<RecordAndPosition<SourceLine>> readAll(LineFormat<SourceLine> format, FileSourceSplit split, boolean restore) throws IOException {
        List<RecordAndPosition<SourceLine>> out = new ArrayList<>();
        try (BulkFormat.Reader<SourceLine> reader = restore
                ? format.restoreReader(new Configuration(), split) : format.createReader(new Configuration(), split)) {
            BulkFormat.RecordIterator<SourceLine> batch;
            while ((batch = reader.readBatch()) != null) {
                RecordAndPosition<SourceLine> r;
                while ((r = batch.next()) != null) {
                    out.add(new RecordAndPosition<>(r.getRecord(), r.getOffset(), r.getRecordSkipCount()));
                }
                batch.releaseBatch();
            }
        }
        return out;
    }

    private FileSourceSplit split(java.nio.file.Path file) {
        return new FileSourceSplit("0", new Path(file.toUri()), 0, file.toFile().length(), 0, file.toFile().length());
    }

    @Test
    void everyPhysicalLineIsOneRecordWithItsNumber() throws IOException {
        java.nio.file.Path file = dir.resolve("m.jsonl");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write("{\"a\":1}\r\n\n   \n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'}); // invalid UTF-8
        bytes.write(("x".repeat(100) + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.write("{\"last\":true}".getBytes(StandardCharsets.UTF_8)); // no final newline
        Files.write(file, bytes.toByteArray());

        List<RecordAndPosition<SourceLine>> records = readAll(LineFormat.lines(50, null), split(file), false);
        assertEquals(7, records.size());
        String[] texts = {"{\"a\":1}", "", "   ", "{\"b\":2}", null, "x".repeat(50), "{\"last\":true}"};
        byte[] kinds = {SourceLine.RECORD, SourceLine.RECORD, SourceLine.RECORD, SourceLine.RECORD,
            SourceLine.BAD_ENCODING, SourceLine.TOO_LONG, SourceLine.RECORD};
        for (int i = 0; i < records.size(); i++) {
            SourceLine line = records.get(i).getRecord();
            assertEquals(i + 1, line.line, "line number");
            assertEquals(i + 1, records.get(i).getRecordSkipCount(), "position points after the line");
            assertEquals(kinds[i], line.kind, "kind of line " + (i + 1));
            if (texts[i] != null) {
                assertEquals(texts[i], line.text, "text of line " + (i + 1));
            }
            assertNull(line.csvHeader);
            assertEquals(new Path(file.toUri()).toString(), line.origin);
        }
    }

    @Test
    void csvLinesCarryTheirHeaderAndRestoreSkipsConsumedLines() throws IOException {
        java.nio.file.Path file = dir.resolve("nab.csv");
        Files.writeString(file, "\ntimestamp,value\r\n2014-02-14 14:30:00,0.1\r\n2014-02-14 14:35:00,0.2\r\n2014-02-14 14:40:00,0.3\r\n");
        List<RecordAndPosition<SourceLine>> all = readAll(LineFormat.lines(1000, null), split(file), false);
        assertEquals(5, all.size());
        assertEquals(SourceLine.RECORD, all.get(0).getRecord().kind, "blank line before the header");
        assertEquals(SourceLine.CSV_HEADER, all.get(1).getRecord().kind);
        assertEquals("timestamp,value", all.get(2).getRecord().csvHeader);
        assertEquals("2014-02-14 14:35:00,0.2", all.get(3).getRecord().text);

        FileSourceSplit restored = split(file).updateWithCheckpointedPosition(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 3));
        List<RecordAndPosition<SourceLine>> rest = readAll(LineFormat.lines(1000, null), restored, true);
        assertEquals(2, rest.size());
        assertEquals(4, rest.get(0).getRecord().line);
        assertEquals("timestamp,value", rest.get(0).getRecord().csvHeader, "the header is recovered while skipping");
        assertEquals(5, rest.get(1).getRecordSkipCount());
    }

    @Test
    void forcedFormatOverridesTheExtension() throws IOException {
        java.nio.file.Path file = dir.resolve("export.txt");
        Files.writeString(file, "timestamp,value\n1,2\n");
        List<RecordAndPosition<SourceLine>> csv = readAll(LineFormat.lines(1000, LineFormat.FileFormat.CSV), split(file), false);
        assertEquals(SourceLine.CSV_HEADER, csv.get(0).getRecord().kind);
        List<RecordAndPosition<SourceLine>> json = readAll(LineFormat.lines(1000, null), split(file), false);
        assertEquals(SourceLine.RECORD, json.get(0).getRecord().kind);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void gzipFilesAreReadAsTheirTextConcatenatedMembersAsOneAndTheFormatIsTheNameBeforeTheSuffix() throws IOException {
        java.nio.file.Path file = dir.resolve("nab.csv.gz");
        ByteArrayOutputStream two = new ByteArrayOutputStream(); // two gzip members, as `cat a.gz b.gz` makes
        two.write(gzip("timestamp,value\n2014-02-14 14:30:00,0.1\n"));
        two.write(gzip("2014-02-14 14:35:00,0.2\n2014-02-14 14:40:00,0.3\n"));
        Files.write(file, two.toByteArray());
        List<RecordAndPosition<SourceLine>> all = readAll(LineFormat.lines(1000, null), split(file), false);
        assertEquals(4, all.size());
        assertEquals(SourceLine.CSV_HEADER, all.get(0).getRecord().kind, "CSV by the name before .gz");
        assertEquals("2014-02-14 14:40:00,0.3", all.get(3).getRecord().text);
        assertEquals("timestamp,value", all.get(3).getRecord().csvHeader);
        assertEquals(4, all.get(3).getRecord().line);

        FileSourceSplit restored = split(file).updateWithCheckpointedPosition(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 2));
        List<RecordAndPosition<SourceLine>> rest = readAll(LineFormat.lines(1000, null), restored, true);
        assertEquals(List.of("2014-02-14 14:35:00,0.2", "2014-02-14 14:40:00,0.3"), rest.stream().map(r -> r.getRecord().text).toList());
        assertEquals(LineFormat.FileFormat.JSON, LineFormat.FileFormat.byExtension("/x/samples.jsonl.GZ"));
        assertEquals(LineFormat.FileFormat.CSV, LineFormat.FileFormat.byExtension("/x/export.CSV.gzip"));
    }

    @Test
    void aGzipFileCutShortKeepsItsCompleteLinesAndEndsWithOneBadCompressionLine() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append("{\"n\":").append(i).append("}\n");
        }
        byte[] whole = gzip(text.toString());
        java.nio.file.Path file = dir.resolve("cut.jsonl.gz");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        List<RecordAndPosition<SourceLine>> all = readAll(LineFormat.lines(1000, null), split(file), false);
        SourceLine last = all.get(all.size() - 1).getRecord();
        assertEquals(SourceLine.BAD_COMPRESSION, last.kind);
        assertEquals(all.size(), last.line, "numbered as the line after the last one read");
        assertTrue(last.text.startsWith("gzip data ends early after " + (all.size() - 1) + " complete lines"), last.text);
        assertTrue(last.text.contains("in the middle of line " + all.size() + " ('{\"n\":"), "the cut line is named, not read: " + last.text);
        List<SourceLine> lines = all.subList(0, all.size() - 1).stream().map(RecordAndPosition::getRecord).toList();
        assertTrue(lines.size() > 100 && lines.size() < 5000, "part of the file: " + lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals("{\"n\":" + i + "}", lines.get(i).text, "line " + (i + 1) + " as written");
            assertEquals(SourceLine.RECORD, lines.get(i).kind);
        }

        java.nio.file.Path bz2 = dir.resolve("export.csv.bz2");
        Files.write(bz2, new byte[] {'B', 'Z', 'h', '9', 1, 2, 3, '\n', 4, 5});
        List<RecordAndPosition<SourceLine>> refused = readAll(LineFormat.lines(1000, null), split(bz2), false);
        assertEquals(1, refused.size(), "one dead letter for the file, not one per line of its bytes");
        assertEquals(SourceLine.BAD_COMPRESSION, refused.get(0).getRecord().kind);
        assertTrue(refused.get(0).getRecord().text.startsWith("a .bz2 file is not read"), refused.get(0).getRecord().text);

        java.nio.file.Path notGzip = dir.resolve("plain.jsonl.gz");
        Files.writeString(notGzip, "{\"a\":1}\n");
        List<RecordAndPosition<SourceLine>> one = readAll(LineFormat.lines(1000, null), split(notGzip), false);
        assertEquals(1, one.size());
        assertEquals(SourceLine.BAD_COMPRESSION, one.get(0).getRecord().kind);
        assertEquals(1, one.get(0).getRecord().line);
        assertTrue(one.get(0).getRecord().text.contains("after 0 complete lines"), one.get(0).getRecord().text);
    }
}
