package dev.perfwatch.pipeline;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SinksTest {

    /** A part file's stream as Flink's local one is: every write goes through (counted). */
    static final class CountingStream extends FSDataOutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;
        int flushes;

        @Override
        public void write(int b) {
            writes++;
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            bytes.write(b, off, len);
        }

        @Override
        public long getPos() {
            return bytes.size();
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void sync() {}

        @Override
        public void close() {
            throw new AssertionError("the part file's stream is Flink's to close");
        }
    }

    @Test
    void theLineWriterWritesEveryLineAsItIsInFewWrites() throws Exception {
        Random random = new Random(7);
        CountingStream stream = new CountingStream();
        BulkWriter<OutputLine> writer = new Sinks.LineWriter.Factory().create(stream);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        // lines around and beyond the buffer's size, and many short ones
        int[] sizes = {1, 2, Sinks.LineWriter.BUFFER - 1, Sinks.LineWriter.BUFFER, Sinks.LineWriter.BUFFER + 1, 3 * Sinks.LineWriter.BUFFER};
        for (int i = 0; i < 5_000; i++) {
            int size = i % 500 == 0 ? sizes[(i / 500) % sizes.length] : 1 + random.nextInt(300);
            byte[] line = new byte[size];
            random.nextBytes(line);
            line[size - 1] = '\n';
            writer.addElement(new OutputLine("dt=2026-12-04/hour=17", line));
            expected.write(line);
        }
        writer.flush();
        int flushed = stream.bytes.size();
        assertEquals(expected.size(), flushed, "a flush writes everything buffered");
        assertEquals(1, stream.flushes, "and flushes the stream");
        writer.finish();
        assertArrayEquals(expected.toByteArray(), stream.bytes.toByteArray());
        // 5,000 lines of about 150 bytes (750 KB plus the long ones) in buffers of 8 KiB: about a hundred writes, not 5,000
        assertTrue(stream.writes < expected.size() / (Sinks.LineWriter.BUFFER / 2) + 20,
                stream.writes + " writes for " + expected.size() + " bytes");

        // what is added after a flush goes out at the next one, not twice
        writer.addElement(new OutputLine("p", "x\n".getBytes()));
        writer.finish();
        byte[] all = stream.bytes.toByteArray();
        assertEquals(expected.size() + 2, all.length);
        assertArrayEquals("x\n".getBytes(), Arrays.copyOfRange(all, expected.size(), all.length));
    }
}
