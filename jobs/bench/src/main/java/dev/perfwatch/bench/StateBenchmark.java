package dev.perfwatch.bench;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.detect.Bucket;
import dev.perfwatch.detect.RegressionEvaluator;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.SplittableRandom;

/**
 * The regression detector's keyed state per series once its retention is full: the buckets, each
 * serialized with the serializer Flink uses for it, at several sampling intervals.
 */
final class StateBenchmark {

    private StateBenchmark() {}

    static void run(PerfwatchConfig config, PrintStream out) throws IOException {
        RegressionEvaluator evaluator = new RegressionEvaluator(config.regression, config.catalogue());
        TypeSerializer<Bucket> serializer = TypeInformation.of(Bucket.class).createSerializer(new SerializerConfigImpl());
        long interval = config.regression.evaluationInterval.toMillis();
        int buckets = (int) (evaluator.retentionMillis() / interval);
        out.printf("perfwatch bench --state: regression state per series, %d buckets of %s (retention %.1f h), reservoir up to %d values a bucket%n",
                buckets, config.regression.evaluationInterval, evaluator.retentionMillis() / 3.6e6, evaluator.bucketCapacity());
        out.printf("%-22s %12s %16s%n", "sample every", "values/bucket", "serialized KiB");
        for (long every : new long[] {1_000, 10_000, 60_000}) {
            SplittableRandom random = new SplittableRandom(1);
            long bytes = 0;
            DataOutputSerializer buffer = new DataOutputSerializer(4096);
            for (int i = 0; i < buckets; i++) {
                Bucket b = new Bucket(i * interval, evaluator.bucketCapacity());
                for (long t = i * interval; t < (i + 1) * interval; t += every) {
                    b.add(t, 100 + 10 * random.nextGaussian(), 7);
                }
                b.trim(); // as the detector keeps an evaluated interval's bucket
                buffer.clear();
                serializer.serialize(b, buffer);
                bytes += buffer.length();
            }
            out.printf("%-22s %12d %16.1f%n", (every / 1000) + " s", interval / every, bytes / 1024.0);
        }
    }
}
