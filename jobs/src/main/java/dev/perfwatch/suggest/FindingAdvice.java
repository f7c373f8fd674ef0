package dev.perfwatch.suggest;

import dev.perfwatch.model.RegressionFinding;

import java.util.ArrayList;

/** Suggestions for a regression finding, from the same catalogue as the component profiles'. */
public final class FindingAdvice {

    private FindingAdvice() {}

    /** Sets the finding's suggestion ids (best first) and its recommendation (the best one's title). */
    public static void apply(RegressionFinding f, SuggestionCatalogue catalogue) {
        Facts facts = new Facts().put("finding.metric", f.metric).put("finding.component", f.component)
                .put("finding.type", f.type == null ? null : f.type.code())
                .put("finding.direction", f.direction == null ? null : f.direction.code())
                .put("finding.relative_change", f.relativeChange)
                .put("finding.severity", f.severity == null ? null : f.severity.code())
                .put("finding.confidence", f.confidence)
                .put("finding.reverts", f.reverts != null ? "true" : "false");
        java.util.List<SuggestionCatalogue.Match> matches = catalogue.matching(facts);
        f.suggestions = new ArrayList<>();
        matches.forEach(m -> f.suggestions.add(m.suggestion().id));
        f.recommendation = matches.isEmpty() ? null : matches.get(0).suggestion().title;
    }
}
