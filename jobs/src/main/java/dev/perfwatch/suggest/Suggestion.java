package dev.perfwatch.suggest;

import java.io.Serializable;
import java.util.List;

/** One entry of the suggestion catalogue (conf/suggestions.yaml). */
public final class Suggestion implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The categories entries fall in. */
    public static final List<String> CATEGORIES = List.of("database", "caching", "memory", "cpu", "io", "network", "configuration");
    /** The levels of impact, effort and risk. */
    public static final List<String> LEVELS = List.of("low", "medium", "high");

    public final String id;
    public final String category;
    public final String title;
    public final String description;
    /** Every one of these must hold ... */
    public final List<Condition> all;
    /** ... and at least one of these, when there are any. */
    public final List<Condition> any;
    public final String impact;
    public final String effort;
    public final String risk;
    public final List<String> prerequisites;
    public final List<String> steps;
    public final String timeEstimate;
    public final List<String> metricsToWatch;
    public final String example;

    Suggestion(String id, String category, String title, String description, List<Condition> all, List<Condition> any,
            String impact, String effort, String risk, List<String> prerequisites, List<String> steps, String timeEstimate,
            List<String> metricsToWatch, String example) {
        this.id = id;
        this.category = category;
        this.title = title;
        this.description = description;
        this.all = List.copyOf(all);
        this.any = List.copyOf(any);
        this.impact = impact;
        this.effort = effort;
        this.risk = risk;
        this.prerequisites = List.copyOf(prerequisites);
        this.steps = List.copyOf(steps);
        this.timeEstimate = timeEstimate;
        this.metricsToWatch = List.copyOf(metricsToWatch);
        this.example = example;
    }

    /** Expected impact against effort, 0..1 before the confidence weight: high impact for low effort is 1. */
    public double value() {
        return (LEVELS.indexOf(impact) + 1) / (3.0 * (LEVELS.indexOf(effort) + 1));
    }
}
