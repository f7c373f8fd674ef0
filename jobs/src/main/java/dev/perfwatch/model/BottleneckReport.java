package dev.perfwatch.model;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.ArrayList;
import java.util.List;

/**
 * A bottleneck of one component: reported when it opens, when its severity moves materially, and
 * when it is resolved; not every window.
 */
public class BottleneckReport implements JsonRecord {

    public String component;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long windowStart;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long windowEnd;
    public BottleneckType type;
    public BottleneckStatus status;
    /** 0..1: how hard the constraint binds (at the warning level 0.5, at the critical level 1). */
    public double severity;
    /** 0..1: how much evidence supports it (signals that agree, samples behind them). */
    public double confidence;
    /** One sentence with the numbers behind it. */
    public String rootCause;
    /** The signals and values used. */
    public Evidence evidence = new Evidence();
    /** Suggestion ids from the catalogue that address it, best first. */
    public List<String> suggestions = new ArrayList<>();
    /** When the bottleneck opened (window start). */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long openedAt;

    @Override
    public long partitionTime() {
        return windowStart;
    }

    @Override
    public String toString() {
        return "BottleneckReport{" + status + " " + type + " " + component + " at " + Timestamps.iso(windowStart)
                + " severity=" + severity + " confidence=" + confidence + " " + rootCause + " " + suggestions + "}";
    }
}
