package dev.perfwatch.alerting;

import java.util.ArrayList;
import java.util.List;

/** The inputs of one component at one event time, held until the watermark passes it. */
public class Buffered {
    public List<LifecycleInput> inputs = new ArrayList<>();
}
