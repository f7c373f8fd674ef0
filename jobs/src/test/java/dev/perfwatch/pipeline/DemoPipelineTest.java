package dev.perfwatch.pipeline;

import dev.perfwatch.config.ConfigLoader;
import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.demo.DemoGenerator;

import dev.perfwatch.model.DeadLetter;
import dev.perfwatch.model.MetricKind;
import dev.perfwatch.model.MetricSample;
import dev.perfwatch.model.WindowSummary;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo generator's records through the pipeline: every series summarized, bad lines dead-lettered. */
class DemoPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = dev.perfwatch.pipeline.TestClusters.twoSlots();

    @Test
    void everySeriesHasSummariesAndBadLinesBecomeDeadLetters() throws Exception {
        DemoGenerator generator = new DemoGenerator(7, Instant.parse("2026-11-26T08:00:00Z"), Duration.ofMinutes(20), Duration.ofSeconds(2), 0.002);
        PerfwatchConfig config = ConfigLoader.defaults();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.forJob(config, RuntimeExecutionMode.STREAMING));
        env.setParallelism(2);
        Outputs outputs = TestPipelines.build(env, config, TestPipelines.generator(config, generator));
        CloseableIterator<WindowSummary> summaries = outputs.get(OutputKind.SUMMARIES).collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.get(OutputKind.DEAD_LETTERS).collectAsync();
        env.execute("demo test");

        List<MetricSample> good = new ArrayList<>();
        Set<Long> badLines = new HashSet<>();
        for (long i = 0; i < generator.count(); i++) {
            if (generator.isBad(i)) {
                badLines.add(i + 1);
            } else {
                good.add(generator.sample(i));
            }
        }
        assertTrue(badLines.size() > 10, "the generator injects some malformed lines: " + badLines.size());
        Map<String, Expected> expected = Expected.summaries(good, 60_000);

        Map<String, WindowSummary> actual = new TreeMap<>();
        summaries.forEachRemaining(s -> actual.put(s.component + "|" + s.metric + "|" + s.windowStart, s));
        assertEquals(expected.keySet(), actual.keySet());
        for (Expected e : expected.values()) {
            WindowSummary s = actual.get(e.id());
            assertEquals(e.count, s.count, e.id());
            assertEquals(e.mean, s.mean, 1e-9 * Math.abs(e.mean), e.id());
            assertEquals(e.max, s.max, e.id());
        }
        Set<String> series = new HashSet<>();
        actual.values().forEach(s -> series.add(s.metric));
        for (MetricKind kind : MetricKind.values()) {
            assertTrue(series.contains(kind.metricName()), "every known metric appears: " + kind.metricName());
        }
        assertEquals(35 * 20, actual.size(), "35 series x 20 one-minute windows");

        Set<Long> deadLines = new HashSet<>();
        deadLetters.forEachRemaining(d -> {
            assertEquals("generator", d.origin);
            deadLines.add(d.line);
        });
        assertEquals(badLines, deadLines, "exactly the malformed lines are dead-lettered, nothing else");
    }

    @Test
    void theSameSeedGivesTheSameData() {
        DemoGenerator a = DemoGenerator.standard(11);
        DemoGenerator b = DemoGenerator.standard(11);
        DemoGenerator c = DemoGenerator.standard(12);
        int differ = 0;
        for (long i = 0; i < 5000; i += 7) {
            assertEquals(a.line(i).text, b.line(i).text);
            if (!a.line(i).text.equals(c.line(i).text)) {
                differ++;
            }
        }
        assertTrue(differ > 600, "another seed gives other data");
    }
}
