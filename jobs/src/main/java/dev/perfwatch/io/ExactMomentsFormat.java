package dev.perfwatch.io;

import dev.perfwatch.stats.ExactMoments;
import dev.perfwatch.stats.ExactSum;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * How state writes {@link ExactMoments}: the count, min and max, then each exact sum as a byte (its
 * number of partials, the high bit set when a non-finite part follows) and its partials. Values of
 * similar magnitude take two or three partials a sum: about 60 bytes in all, against the 40 of a count,
 * mean, M2, min and max.
 */
public final class ExactMomentsFormat {

    private static final int SPECIAL = 0x80;

    private ExactMomentsFormat() {}

    public static void write(ExactMoments m, DataOutputView out) throws IOException {
        out.writeLong(m.count());
        out.writeDouble(m.count() == 0 ? Double.POSITIVE_INFINITY : m.min());
        out.writeDouble(m.count() == 0 ? Double.NEGATIVE_INFINITY : m.max());
        write(m.sum(), out);
        write(m.squares(), out);
    }

    public static ExactMoments read(DataInputView in) throws IOException {
        long count = in.readLong();
        double min = in.readDouble();
        double max = in.readDouble();
        ExactSum sum = readSum(in);
        return ExactMoments.of(count, min, max, sum, readSum(in));
    }

    /** The moments as state before the exact sums held them: count, mean, M2, min and max. */
    public static ExactMoments readLegacy(DataInputView in) throws IOException {
        return ExactMoments.fromMoments(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
    }

    private static void write(ExactSum s, DataOutputView out) throws IOException {
        boolean special = !s.isFinite();
        if (s.size() >= SPECIAL) {
            throw new IOException("an exact sum of " + s.size() + " partials (at most " + (SPECIAL - 1) + " can occur)");
        }
        out.writeByte(s.size() | (special ? SPECIAL : 0));
        double[] p = s.partials();
        for (int i = 0; i < s.size(); i++) {
            out.writeDouble(p[i]);
        }
        if (special) {
            out.writeDouble(s.special());
        }
    }

    private static ExactSum readSum(DataInputView in) throws IOException {
        int head = in.readUnsignedByte();
        int size = head & ~SPECIAL;
        double[] p = new double[size];
        for (int i = 0; i < size; i++) {
            p[i] = in.readDouble();
        }
        return ExactSum.of(p, size, (head & SPECIAL) != 0 ? in.readDouble() : 0.0);
    }
}
