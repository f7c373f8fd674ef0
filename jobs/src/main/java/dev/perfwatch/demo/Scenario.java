package dev.perfwatch.demo;

import java.io.Serializable;

/** A degradation the demo generator injects, with where and when it starts (and ends, if it does). */
public final class Scenario implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What kind of change it is, as a detector should classify it. */
    public enum Kind { GRADUAL, STEP, SPIKE, LEAK, BACKLOG }

    public final String name;
    public final String component;
    public final String metric;
    public final Kind kind;
    public final long startMillis;
    /** Exclusive end, or Long.MAX_VALUE when it lasts to the end of the run. */
    public final long endMillis;
    public final String description;

    public Scenario(String name, String component, String metric, Kind kind, long startMillis, long endMillis, String description) {
        this.name = name;
        this.component = component;
        this.metric = metric;
        this.kind = kind;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        this.description = description;
    }

    public boolean activeAt(long t) {
        return t >= startMillis && t < endMillis;
    }

    @Override
    public String toString() {
        return name + " on " + component + "/" + metric;
    }
}
