package dev.perfwatch.pipeline;

import org.apache.flink.util.NumberSequenceIterator;
import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputsTest {

    /**
     * Interleaved, each of the ranges Flink's generator source hands its readers (split here by Flink's own
     * NumberSequenceIterator, as the source splits them) reads every p-th record from its own first one on,
     * in order, and together they read every record once.
     */
    @Test
    void interleavedReadersEachReadEveryPthRecordInOrderAndTogetherAllOnce() {
        for (long count : new long[] {1, 7, 10, 11, 1000, 1003, 35 * 57_143L}) {
            for (int readers : new int[] {1, 2, 3, 4, 7}) {
                BitSet seen = new BitSet();
                NumberSequenceIterator[] ranges = new NumberSequenceIterator(0, count - 1).split(readers);
                for (int k = 0; k < ranges.length; k++) {
                    long previous = -1;
                    boolean first = true;
                    while (ranges[k].hasNext()) {
                        long record = Inputs.Generated.record(ranges[k].next(), count, readers);
                        String where = "count " + count + ", readers " + readers + ", range " + k;
                        assertTrue(record >= 0 && record < count, where + ": record " + record);
                        assertFalse(seen.get((int) record), where + ": record " + record + " read twice");
                        seen.set((int) record);
                        if (first && readers > 1 && count >= readers) {
                            assertEquals(k, record, where + " starts at its own first record");
                        }
                        if (!first && readers > 1) {
                            assertEquals(previous + readers, record, where + ": every p-th record");
                        }
                        assertTrue(record > previous, where + ": in order");
                        previous = record;
                        first = false;
                    }
                }
                assertEquals(count, seen.cardinality(), "count " + count + ", readers " + readers);
            }
        }
    }

    @Test
    void notInterleavedIndexIsTheRecord() {
        assertEquals(5, Inputs.Generated.record(5, 10, 1));
    }
}
