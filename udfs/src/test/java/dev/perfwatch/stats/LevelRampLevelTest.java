package dev.perfwatch.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The level-ramp-level fit against a brute-force least-squares search with numpy
 * (src/test/resources/stats/make_shape_fixtures.py, beside shape_fixtures.json): the least residual sum
 * of squares and the least over steps, to 1e-9 of the series' total sum of squares, and the fit chosen
 * is one of numpy's optimal (start, length) pairs.
 */
class LevelRampLevelTest {

    @TestFactory
    Stream<DynamicTest> matchesNumpyBruteForce() throws IOException {
        JsonNode cases;
        try (InputStream in = LevelRampLevelTest.class.getResourceAsStream("/stats/shape_fixtures.json")) {
            cases = new ObjectMapper().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                double[] x = ScipyReferenceTest.array(c.get("x"));
                double mean = 0;
                for (double v : x) {
                    mean += v / x.length;
                }
                double total = 0;
                for (double v : x) {
                    total += (v - mean) * (v - mean);
                }
                double tolerance = 1e-9 * Math.max(total, 1e-12);
                LevelRampLevel.Fit fit = LevelRampLevel.fit(x);
                assertTrue(Math.abs(fit.sse() - c.get("sse").asDouble()) <= tolerance, "sse " + fit.sse() + " vs " + c.get("sse"));
                assertTrue(Math.abs(fit.stepSse() - c.get("step_sse").asDouble()) <= tolerance,
                        "step sse " + fit.stepSse() + " vs " + c.get("step_sse"));
                boolean optimal = false;
                for (JsonNode o : c.get("optimal")) {
                    optimal |= o.get(0).asInt() == fit.start() && o.get(1).asInt() == fit.length();
                }
                assertTrue(optimal, "(" + fit.start() + ", " + fit.length() + ") is not among numpy's optimal fits " + c.get("optimal"));
            }));
        }
        assertTrue(tests.size() >= 10);
        return tests.stream();
    }

    @Test
    void needsTwoValues() {
        assertThrows(IllegalArgumentException.class, () -> LevelRampLevel.fit(new double[] {1}));
    }
}
