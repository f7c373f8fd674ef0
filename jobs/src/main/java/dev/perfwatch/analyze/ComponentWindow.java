package dev.perfwatch.analyze;

import java.util.HashMap;
import java.util.Map;

/** The window summaries of every metric of one component over one profile window. */
public class ComponentWindow {

    public String component;
    public long windowStart;
    public long windowEnd;
    public Map<String, MetricWindow> metrics = new HashMap<>();

    @Override
    public String toString() {
        return "ComponentWindow{" + component + " " + dev.perfwatch.model.Timestamps.iso(windowStart) + " " + metrics.keySet() + "}";
    }
}
