package dev.perfwatch.io;

import dev.perfwatch.model.DeadLetter;

/** Why a line was refused; thrown by the parser, turned into a dead letter by the caller. */
public final class Rejection extends Exception {

    private static final long serialVersionUID = 1L;

    private final DeadLetter.Reason reason;
    private final Long eventTime;

    public Rejection(DeadLetter.Reason reason, String detail) {
        this(reason, detail, null);
    }

    public Rejection(DeadLetter.Reason reason, String detail, Long eventTime) {
        super(detail, null, false, false);
        this.reason = reason;
        this.eventTime = eventTime;
    }

    public DeadLetter.Reason reason() {
        return reason;
    }

    public Long eventTime() {
        return eventTime;
    }
}
