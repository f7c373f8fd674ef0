package dev.perfwatch.config;

import java.io.Serializable;
import java.time.Duration;

/** {@code event-time}: watermarks. */
public class EventTimeConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public Duration maxOutOfOrderness;
    /** A source split silent this long stops holding the watermark back. */
    public Duration idleness;

    void validate(Check c) {
        c.nonNegative(maxOutOfOrderness, "max-out-of-orderness");
        c.positive(idleness, "idleness");
    }
}
