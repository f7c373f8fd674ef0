package dev.perfwatch.model;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.ArrayList;
import java.util.List;

/**
 * A catalogue suggestion that applies to a component, ranked against the others that apply, with
 * why: the conditions that held and their values. Reported when it starts to apply, and again only
 * when its evidence grows (a condition that the last row did not show, a priority a quarter higher) or
 * after {@code analysis.suggestion-repeat}.
 */
public class SuggestionReport implements JsonRecord {

    public String component;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long windowStart;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long windowEnd;
    public String suggestionId;
    /** 1 for the highest priority among the suggestions that apply to the component now. */
    public int rank;
    public String category;
    public String title;
    /** Expected impact against effort, weighted by the confidence of the evidence. */
    public double priority;
    public String impact;
    public String effort;
    public String risk;
    public double confidence;
    public String timeEstimate;
    /** The bottlenecks that triggered it, if any. */
    public List<String> bottlenecks = new ArrayList<>();
    /** The conditions that held, with the values they held for. */
    public List<Reason> reasons = new ArrayList<>();
    public List<String> steps = new ArrayList<>();
    public List<String> metricsToWatch = new ArrayList<>();
    public String example;

    /** A condition of the entry that held. */
    public static class Reason {
        /** e.g. {@code bottleneck.database > 0}. */
        public String condition;
        /** The value it held for. */
        public String actual;

        public Reason() {}

        public Reason(String condition, String actual) {
            this.condition = condition;
            this.actual = actual;
        }
    }

    @Override
    public long partitionTime() {
        return windowStart;
    }

    @Override
    public String toString() {
        return "SuggestionReport{" + component + " " + Timestamps.iso(windowStart) + " #" + rank + " " + suggestionId + " " + priority + "}";
    }
}
