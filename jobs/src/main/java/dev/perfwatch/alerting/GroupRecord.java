package dev.perfwatch.alerting;

/** One group of alerts (an incident) in the lifecycle's keyed state. */
public class GroupRecord {
    public String groupKey;
    /** When its current run of activity started (its first alert since it was last quiet). */
    public long firstAt = Long.MIN_VALUE;
    /** When it was last notified (MIN_VALUE: never in this run). */
    public long lastSent = Long.MIN_VALUE;
    /** Something changed that is not notified yet. */
    public boolean dirty;
    /** What changed: new, resolved, worsened (for the notification's reason). */
    public String change;
    /** Notifications sent for this group, ever (part of the notification id). */
    public long sequence;
}
