package dev.perfwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * NAB's scoring rules in Java against the reference implementation (src/test/resources/nab/nab_score.py,
 * which reproduces NAB's published scoreboard): seeded detections on the committed series, inside,
 * outside and before the windows and in the probationary rows (make_fixture.py wrote both files).
 */
class NabScoreTest {

    private static final Path REPO = Path.of(System.getProperty("perfwatch.repo", "../..")).toAbsolutePath().normalize();

    @Test
    void scoresEqualTheReferenceImplementation() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path nab = REPO.resolve("jobs/bench/nab");
        JsonNode detections = json.readTree(getClass().getResourceAsStream("/nab/detections.json"));
        JsonNode expected = json.readTree(getClass().getResourceAsStream("/nab/expected.json"));
        Map<String, List<Long>> byFile = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = detections.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String file = e.getKey().substring(e.getKey().indexOf('/') + 1).replace(".csv", "");
            List<Long> times = new ArrayList<>();
            e.getValue().forEach(t -> times.add(t.asLong()));
            byFile.put(file, times);
        }
        Map<String, long[]> rows = NabScore.rowsOf(nab.resolve("realAWSCloudwatch"));
        Map<NabScore.Profile, NabScore.Result> actual = NabScore.score(rows, NabEvaluation.windows(nab.resolve("combined_windows.json")), byFile);
        for (NabScore.Profile p : NabScore.Profile.values()) {
            JsonNode want = expected.get(p.code);
            NabScore.Result got = actual.get(p);
            assertEquals(want.get("score").asDouble(), got.score(), 1e-9, p.code);
            assertEquals(want.get("raw").asDouble(), got.raw(), 1e-9, p.code);
            assertEquals(want.get("windows").asInt(), got.windows(), p.code);
            assertEquals(want.get("windows_hit").asInt(), got.windowsHit(), p.code);
            assertEquals(want.get("detections").asInt(), got.detections(), p.code);
            assertEquals(want.get("files").asInt(), got.files(), p.code);
        }
    }

    @Test
    void aDetectionAtEachWindowsStartIsPerfectAndNothingIsZero() throws Exception {
        long[] stamps = new long[1000];
        for (int i = 0; i < stamps.length; i++) {
            stamps[i] = i * 300_000L;
        }
        List<long[]> windows = List.of(new long[] {stamps[400], stamps[449]}, new long[] {stamps[800], stamps[849]});
        Map<String, long[]> rows = Map.of("a", stamps);
        Map<String, List<long[]>> w = Map.of("a", windows);
        assertEquals(100.0, NabScore.score(rows, w, Map.of("a", List.of(stamps[400], stamps[800]))).get(NabScore.Profile.STANDARD).score(), 1e-9);
        assertEquals(0.0, NabScore.score(rows, w, Map.of()).get(NabScore.Profile.STANDARD).score(), 1e-9);
        // A detection in the probationary rows (the first 15%) counts for nothing either way.
        assertEquals(0.0, NabScore.score(rows, w, Map.of("a", List.of(stamps[10]))).get(NabScore.Profile.STANDARD).score(), 1e-9);
        // One before any window costs the full false-positive weight: 100 * (-0.11 + 2) / 4 - 100 * 2 / 4.
        assertEquals(-100 * 0.11 / 4, NabScore.score(rows, w, Map.of("a", List.of(stamps[300]))).get(NabScore.Profile.STANDARD).score(), 1e-9);
    }
}
