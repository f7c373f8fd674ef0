package dev.perfwatch.alerting;

import dev.perfwatch.model.Severity;

import java.util.ArrayList;
import java.util.List;

/** One group of alerts (an incident while it fires) in the lifecycle's keyed state. */
public class GroupRecord {
    public String groupKey;
    /** When its current run of activity started (its first alert since it was last quiet); MIN_VALUE when quiet. */
    public long firstAt = Long.MIN_VALUE;
    /** When the open incident started (its first message lists alerts resolved since). */
    public long openedAt = Long.MIN_VALUE;
    /** When it was last notified (MIN_VALUE: never). */
    public long lastSent = Long.MIN_VALUE;
    /** Its incident is open: a firing message was sent and no resolved one since. */
    public boolean told;
    /** The highest severity told in the open incident (a higher one is a new message). */
    public Severity toldSeverity;
    /** The firing and acknowledged alerts of the last message. */
    public List<String> toldIds = new ArrayList<>();
    /** Notifications sent for this group, ever (part of the notification id). */
    public long sequence;
}
