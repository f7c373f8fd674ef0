package dev.perfwatch.pipeline;

import dev.perfwatch.analyze.SummaryAccumulator;
import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.demo.DemoGenerator;
import dev.perfwatch.io.LineFormat;
import dev.perfwatch.io.ParserSettings;
import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.SourceLine;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.PojoTestUtils;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guards that keep savepoints and state compatible: no Kryo, explicit uids everywhere. */
class GraphGuardsTest {

    @Test
    void eventsAreFlinkPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SourceLine.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.model.Ingested.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(OutputLine.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.model.Evidence.class);
        // samples and window summaries have their own serializers (RecordSerializersTest), not Kryo's
        assertInstanceOf(dev.perfwatch.io.SerializerTypeInfo.class, TypeInformation.of(MetricSample.class));
        assertInstanceOf(dev.perfwatch.io.SerializerTypeInfo.class, TypeInformation.of(WindowSummary.class));
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DeadLetter.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.model.AlertCandidate.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.detect.ThresholdRules.SeriesState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.detect.AlertState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.detect.AnomalyScores.SeriesState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.model.RegressionFinding.class);
        // dev.perfwatch.detect.Bucket has its own serializer (BucketTest)
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.detect.Episode.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.analyze.ComponentWindow.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.analyze.MetricWindow.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.analyze.ComponentState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.model.BottleneckReport.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.model.HealthScore.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.model.SuggestionReport.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.model.AlertEvent.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.model.Notification.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.model.ControlCommand.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.alerting.ParsedCommand.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.alerting.LifecycleInput.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.alerting.Buffered.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.alerting.AlertRecord.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.alerting.GroupRecord.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.notify.RateLimiter.Batch.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.perfwatch.notify.RateLimiter.Bucket.class);
    }

    @Test
    void windowStateHasItsOwnSerializerAndRoundTrips() throws Exception {
        assertInstanceOf(SummaryAccumulator.Serializer.class,
                TypeInformation.of(SummaryAccumulator.class).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        TypeSerializer<SummaryAccumulator> serializer = SummaryAccumulator.Serializer.INSTANCE;
        SummaryAccumulator acc = new SummaryAccumulator(0.005);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 5000; i++) {
            acc.add(rnd.nextDouble() < 0.1 ? -rnd.nextDouble() * 10 : rnd.nextDouble() * 1000);
        }
        acc.add(0.0);
        // the series comes with the first named value (the window's key is only a hash of it)
        acc.add("api", "response_time", 12.5);
        acc.add("component", "other", 1.0);
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(acc, out);
        SummaryAccumulator back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals("api", back.component());
        assertEquals("response_time", back.metric());
        assertEquals("api", serializer.copy(acc).component());
        assertEquals(acc.moments().count(), back.moments().count());
        assertEquals(acc.moments().mean(), back.moments().mean());
        assertEquals(acc.moments().m2(), back.moments().m2());
        assertEquals(acc.moments().min(), back.moments().min());
        assertEquals(acc.moments().max(), back.moments().max());
        for (double q : new double[] {0, 0.01, 0.5, 0.95, 0.99, 1}) {
            assertEquals(acc.quantiles(q)[0], back.quantiles(q)[0], "quantile " + q);
        }
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertEquals(out.length(), copied.length());
        SummaryAccumulator empty = serializer.deserialize(new DataInputDeserializer(serialize(serializer, new SummaryAccumulator(0.01))));
        assertEquals(0, empty.moments().count());
        assertNull(empty.component());
        assertTrue(Double.isNaN(empty.quantiles(0.5)[0]));
    }

    private static byte[] serialize(TypeSerializer<SummaryAccumulator> s, SummaryAccumulator a) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(a, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void everyOperatorHasAUidAndNoTypeFallsBackToKryo() {
        PerfwatchConfig config = ConfigLoader.defaults();
        for (RuntimeExecutionMode mode : new RuntimeExecutionMode[] {RuntimeExecutionMode.STREAMING, RuntimeExecutionMode.BATCH}) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forJob(config, mode));
            Outputs outputs = TestPipelines.build(env, config, TestPipelines.files(config, List.of(java.nio.file.Path.of("/tmp/nowhere"))));
            Sinks.toFiles(outputs, "/tmp/perfwatch-guard-out", mode);
            JobGraph graph = env.getStreamGraph().getJobGraph();
            assertTrue(graph.getNumberOfVertices() >= 2, "source chain, windows, sinks");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING));
        Sinks.discard(TestPipelines.build(env, config, TestPipelines.generator(config, DemoGenerator.standard(1))));
        env.getStreamGraph().getJobGraph();
    }

    /**
     * A batch job's blocking exchanges are sort-merge partitions that each hold 512 network buffers (16 MiB)
     * while the producing task runs: a task writing many of them does not fit a default 1.5 GB
     * TaskManager ("Insufficient number of network buffers"). Consumers with the same key share one.
     */
    @Test
    void batchTasksWriteFewPartitionsSoADefaultTaskManagerRunsThem() {
        JobGraph graph = batchGraph();
        int most = 0;
        StringBuilder shape = new StringBuilder();
        for (org.apache.flink.runtime.jobgraph.JobVertex v : graph.getVertices()) {
            shape.append(v.getProducedDataSets().size()).append("  ").append(v.getName()).append('\n');
            most = Math.max(most, v.getProducedDataSets().size());
        }
        assertTrue(most <= MAX_PARTITIONS_PER_TASK, "partitions per task:\n" + shape);
    }

    /**
     * Tasks that read the same task's output become ready together when it finishes, and at parallelism 1 on a
     * TaskManager of two slots they run side by side: together they must fit its 3,481 buffers (a 1.5 GB
     * TaskManager's network memory), so write at most six partitions of 512 (the per-series task and the
     * regression detector, both reading the sources' parts, failed `ClusterSubmissionIT` at four and three).
     */
    @Test
    void tasksThatStartTogetherFitTheNetworkBuffersSideBySide() {
        JobGraph graph = batchGraph();
        StringBuilder over = new StringBuilder();
        for (org.apache.flink.runtime.jobgraph.JobVertex producer : graph.getVertices()) {
            java.util.Set<org.apache.flink.runtime.jobgraph.JobVertex> consumers = new java.util.LinkedHashSet<>();
            for (org.apache.flink.runtime.jobgraph.IntermediateDataSet set : producer.getProducedDataSets()) {
                for (org.apache.flink.runtime.jobgraph.JobEdge edge : set.getConsumers()) {
                    consumers.add(edge.getTarget());
                }
            }
            List<org.apache.flink.runtime.jobgraph.JobVertex> list = new java.util.ArrayList<>(consumers);
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    int together = list.get(i).getProducedDataSets().size() + list.get(j).getProducedDataSets().size();
                    if (together > MAX_PARTITIONS_SIDE_BY_SIDE) {
                        over.append(together).append(": ").append(list.get(i).getName()).append(" | ").append(list.get(j).getName()).append('\n');
                    }
                }
            }
        }
        assertEquals("", over.toString(), "tasks ready together that write more than " + MAX_PARTITIONS_SIDE_BY_SIDE + " partitions");
    }

    /** 3,481 buffers of 32 KiB in a 1.5 GB TaskManager (README): six partitions of 512, and the readers' few. */
    static final int MAX_PARTITIONS_SIDE_BY_SIDE = 6;

    /**
     * In BATCH mode the window summaries (one per series and window: nearly all of a backfill's output) are written
     * by the window operator's own task, in the order its sorted input gives (series, then time), with no second
     * sort; every other kind still goes through its sort by line, which is what makes their files byte-identical.
     */
    @Test
    void batchSummariesAreWrittenByTheWindowTaskWithoutASecondSort() {
        JobGraph graph = batchGraph();
        String windowTask = null;
        java.util.Set<String> sorts = new java.util.TreeSet<>();
        for (org.apache.flink.runtime.jobgraph.JobVertex v : graph.getVertices()) {
            if (v.getName().contains("window summaries")) {
                windowTask = v.getName();
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("sort ([a-z-]+)").matcher(v.getName());
            while (m.find()) {
                sorts.add(m.group(1));
            }
        }
        assertTrue(windowTask != null && windowTask.contains("write summaries"), "the window task writes them: " + windowTask);
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (OutputKind<?> kind : OutputKind.ALL) {
            expected.add(kind.name);
        }
        expected.remove("summaries");
        assertEquals(expected, sorts);
    }

    /** The whole pipeline writing files, in BATCH mode at parallelism 2. */
    private static JobGraph batchGraph() {
        PerfwatchConfig config = ConfigLoader.defaults();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.BATCH));
        env.setParallelism(2);
        Outputs outputs = TestPipelines.build(env, config, TestPipelines.files(config, List.of(java.nio.file.Path.of("/tmp/nowhere"))));
        Sinks.toFiles(outputs, "/tmp/perfwatch-guard-out", RuntimeExecutionMode.BATCH);
        return env.getStreamGraph().getJobGraph();
    }

    /** 4 x 512 buffers of 32 KiB: two such tasks side by side fit the network memory of a 1.5 GB TaskManager. */
    static final int MAX_PARTITIONS_PER_TASK = 4;

    @Test
    void theGuardCatchesAMissingUid() {
        PerfwatchConfig config = ConfigLoader.defaults();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING));
        MetricInput input = TestPipelines.generator(config, DemoGenerator.standard(1));
        env.fromSource(input.source(), org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(), "generator").uid("source")
                .map(record -> record.toString()).returns(String.class)
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>()).uid("sink");
        assertThrows(RuntimeException.class, () -> env.getStreamGraph().getJobGraph());
    }
}
