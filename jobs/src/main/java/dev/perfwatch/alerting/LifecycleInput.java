package dev.perfwatch.alerting;

import dev.perfwatch.model.AlertCandidate;

/**
 * What the lifecycle of one component receives: an alert candidate, or a heartbeat (the component's
 * profile window ended at {@code heartbeat}: time moves on, commands and timeouts are applied, the
 * next notifications are scheduled).
 */
public class LifecycleInput {
    public String component;
    public AlertCandidate candidate;
    public long heartbeat = Long.MIN_VALUE;

    public static LifecycleInput of(AlertCandidate c) {
        LifecycleInput i = new LifecycleInput();
        i.component = c.component;
        i.candidate = c;
        return i;
    }

    public static LifecycleInput heartbeat(String component, long at) {
        LifecycleInput i = new LifecycleInput();
        i.component = component;
        i.heartbeat = at;
        return i;
    }

    public long time() {
        return candidate != null ? candidate.eventTime : heartbeat;
    }
}
