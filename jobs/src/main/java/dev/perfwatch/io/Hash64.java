package dev.perfwatch.io;

import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The 64-bit hash the job uses where a fixed-length key stands for a longer one (series ids, the sort key
 * of output lines): XXH64 with seed 0, from lz4-java, which Flink itself ships (no dependency of ours).
 */
public final class Hash64 {

    private static final XXHashFactory FACTORY = XXHashFactory.fastestJavaInstance();
    private static final XXHash64 XXH64 = FACTORY.hash64();

    private Hash64() {}

    public static long of(byte[] bytes) {
        return XXH64.hash(bytes, 0, bytes.length, 0L);
    }

    /** The same hash over bytes given in parts (a file read in buffers): update, then getValue. */
    public static StreamingXXHash64 streaming() {
        return FACTORY.newStreamingHash64(0L);
    }
}
