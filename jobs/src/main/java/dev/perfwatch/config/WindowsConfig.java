package dev.perfwatch.config;

import java.io.Serializable;
import java.time.Duration;

/** {@code windows}: the per-series summaries. */
public class WindowsConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public Duration summary;
    /** DDSketch relative accuracy of the window quantiles (0.005 = 0.5%). */
    public double quantileRelativeAccuracy;

    void validate(Check c) {
        c.positive(summary, "summary");
        if (!(quantileRelativeAccuracy > 0 && quantileRelativeAccuracy <= 0.1)) {
            throw c.fail("quantile-relative-accuracy", "expected a number in (0, 0.1], e.g. 0.005 for 0.5%, got " + quantileRelativeAccuracy);
        }
    }
}
