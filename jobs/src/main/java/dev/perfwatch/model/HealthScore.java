package dev.perfwatch.model;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.ArrayList;
import java.util.List;

/**
 * The health of a component (or of the whole system, component {@value #SYSTEM}) over one profile
 * window: 100 minus the penalties in the breakdown, which sum to exactly 100 - score.
 */
public class HealthScore implements JsonRecord {

    public static final String SYSTEM = "system";

    public String component;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long windowStart;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long windowEnd;
    /** 0..100. */
    public double score;
    /** What took points off, and how many each. */
    public List<Penalty> breakdown = new ArrayList<>();
    /** The score minus the mean of up to three earlier windows' scores (NaN for the first window). */
    public double trend;
    /** improving, stable or degrading (a trend of more than 5 points either way). */
    public String trendDirection;

    /** One reason points were taken off. */
    public static class Penalty {
        /** The metric, {@code bottleneck:<type>}, or for the system the component. */
        public String source;
        public String detail;
        public double points;

        public Penalty() {}

        public Penalty(String source, String detail, double points) {
            this.source = source;
            this.detail = detail;
            this.points = points;
        }
    }

    @Override
    public long partitionTime() {
        return windowStart;
    }

    @Override
    public String toString() {
        return "HealthScore{" + component + " " + Timestamps.iso(windowStart) + " " + score + "}";
    }
}
