package dev.perfwatch.model;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.HashMap;
import java.util.Map;

/**
 * A person's command to the alert lifecycle, one JSON line in the control directory:
 * <pre>
 *   {"command":"ack","alert_id":"fd8a9dc691cf21dd","by":"ana","comment":"looking","at":"2026-11-26T09:05:00Z"}
 *   {"command":"resolve","alert_id":"...","by":"ana","at":"..."}
 *   {"command":"silence","silence_id":"s1","matchers":{"component":"search"},"starts_at":"...","ends_at":"...","by":"ana","comment":"maintenance","at":"..."}
 *   {"command":"expire_silence","silence_id":"s1","by":"ana","at":"..."}
 * </pre>
 * It takes effect at its time {@code at}, in event time, in every mode.
 */
public class ControlCommand {

    public String command;
    public String alertId;
    public String silenceId;
    /** Label to value, all must match (for silences). */
    public Map<String, String> matchers = new HashMap<>();
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long startsAt;
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long endsAt;
    public String by;
    public String comment;
    /** When it was issued (event time it takes effect at). */
    @JsonSerialize(using = OutputJson.IsoTime.class)
    public long at;
    /** Where it came from (file and line), for the history. */
    public String origin;

    @Override
    public String toString() {
        return "ControlCommand{" + command + " " + (alertId != null ? alertId : silenceId) + " by " + by + " at " + Timestamps.iso(at) + "}";
    }
}
