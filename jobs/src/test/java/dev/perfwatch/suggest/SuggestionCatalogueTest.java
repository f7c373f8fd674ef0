package dev.perfwatch.suggest;

import dev.perfwatch.config.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue: what ships, how a bad entry is refused, how a user's file merges, how matches rank. */
class SuggestionCatalogueTest {

    @TempDir
    Path dir;

    private static final String VALID = "  - id: my-entry\n    category: cpu\n    title: Do it\n    description: Because.\n"
            + "    when:\n      all:\n        - { field: bottleneck.cpu_bound, op: \">\", value: 0 }\n"
            + "    impact: high\n    effort: low\n    risk: low\n    steps: [one]\n    time_estimate: 1 hour\n    metrics_to_watch: [cpu_usage]\n";

    private ConfigException refused(String entry) throws IOException {
        Path file = Files.writeString(dir.resolve("mine.yaml"), "suggestions:\n" + entry);
        return assertThrows(ConfigException.class, () -> SuggestionCatalogue.load(file));
    }

    @Test
    void theBundledCatalogueIsComplete() {
        List<Suggestion> all = SuggestionCatalogue.bundled().entries();
        assertTrue(all.size() >= 30, "at least 30 entries: " + all.size());
        Set<String> categories = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (Suggestion s : all) {
            categories.add(s.category);
            assertTrue(ids.add(s.id), "ids are unique: " + s.id);
            assertFalse(s.steps.isEmpty() || s.metricsToWatch.isEmpty() || s.description.isBlank() || s.timeEstimate.isBlank(), s.id);
            assertNotNull(s.example, s.id + " has an example");
        }
        assertEquals(new HashSet<>(Suggestion.CATEGORIES), categories, "every category has entries");
    }

    @Test
    void aBadEntryIsRefusedNamingTheEntryAndTheField() throws IOException {
        ConfigException unknown = refused(VALID + "    colour: red\n");
        assertEquals("suggestions[0] (id my-entry).colour", unknown.key());
        assertTrue(unknown.getMessage().startsWith(dir.resolve("mine.yaml").toString()), unknown.getMessage());
        assertEquals("suggestions[0] (id my-entry).title", refused(VALID.replace("    title: Do it\n", "")).key());
        ConfigException op = refused(VALID.replace("op: \">\"", "op: \"=~\""));
        assertEquals("suggestions[0] (id my-entry).when.all[0].op", op.key());
        assertTrue(op.getMessage().contains("expected one of =="), op.getMessage());
        ConfigException type = refused(VALID.replace("value: 0 }", "value: lots }"));
        assertEquals("suggestions[0] (id my-entry).when.all[0].value", type.key());
        ConfigException field = refused(VALID.replace("bottleneck.cpu_bound", "bottleneck.disk_full"));
        assertEquals("suggestions[0] (id my-entry).when.all[0].field", field.key());
        assertTrue(field.getMessage().contains("unknown bottleneck type 'disk_full'"), field.getMessage());
        ConfigException fact = refused(VALID.replace("bottleneck.cpu_bound", "db share"));
        assertTrue(fact.getMessage().contains("unknown field 'db share'"), fact.getMessage());
        ConfigException impact = refused(VALID.replace("impact: high", "impact: huge"));
        assertEquals("suggestions[0] (id my-entry).impact", impact.key());
        ConfigException category = refused(VALID.replace("category: cpu", "category: magic"));
        assertTrue(category.getMessage().contains("[database, caching, memory, cpu, io, network, configuration]"), category.getMessage());
        assertThrows(ConfigException.class, () -> SuggestionCatalogue.load(dir.resolve("missing.yaml")));
    }

    @Test
    void aUsersFileAddsReplacesAndRemovesEntriesById() throws IOException {
        Path file = Files.writeString(dir.resolve("mine.yaml"), "suggestions:\n" + VALID
                + VALID.replace("my-entry", "db-add-indexes").replace("title: Do it", "title: Our index policy")
                + "  - { id: cpu-scale-out, disabled: true }\n");
        SuggestionCatalogue mine = SuggestionCatalogue.load(file);
        int bundled = SuggestionCatalogue.bundled().entries().size();
        assertEquals(bundled + 1 - 1, mine.entries().size());
        assertTrue(mine.entries().stream().anyMatch(s -> s.id.equals("my-entry")));
        assertEquals("Our index policy", mine.entries().stream().filter(s -> s.id.equals("db-add-indexes")).findFirst().orElseThrow().title);
        assertFalse(mine.entries().stream().anyMatch(s -> s.id.equals("cpu-scale-out")));
    }

    @Test
    void matchesRankByImpactAgainstEffortTimesConfidence() {
        Facts facts = new Facts().put("bottleneck.database", 0.8).put("bottleneck.database.confidence", 0.9).put("db_share", 0.6)
                .put("latency.p95_ratio", 1.2);
        List<SuggestionCatalogue.Match> matches = SuggestionCatalogue.bundled().matching(facts);
        assertEquals("db-slow-query-analysis", matches.get(0).suggestion().id, "high impact, low effort");
        assertEquals(0.9, matches.get(0).priority(), 1e-12);
        for (int i = 1; i < matches.size(); i++) {
            assertTrue(matches.get(i - 1).priority() >= matches.get(i).priority());
        }
        assertTrue(matches.stream().anyMatch(m -> m.suggestion().id.equals("db-n-plus-one")), "db_share >= 0.5");
        assertFalse(matches.stream().anyMatch(m -> m.suggestion().category.equals("cpu")), "nothing about CPU");
        assertTrue(SuggestionCatalogue.bundled().matching(new Facts().put("cpu_headroom", 50)).isEmpty(), "a healthy profile: nothing");
        // A regression finding's facts.
        List<SuggestionCatalogue.Match> finding = SuggestionCatalogue.bundled().matching(new Facts().put("finding.metric", "cache_hit_rate")
                .put("finding.type", "sudden").put("finding.direction", "regression").put("finding.confidence", 0.8).put("finding.reverts", "false"));
        assertTrue(finding.stream().anyMatch(m -> m.suggestion().id.equals("cache-key-churn")));
        assertTrue(finding.stream().anyMatch(m -> m.suggestion().id.equals("config-rollback")));
    }
}
