package dev.perfwatch.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What holds a component back. Several may hold at once. */
public enum BottleneckType {
    /** CPU at or beyond its warning level, with latency or a queue showing the pressure. */
    CPU_BOUND,
    /** Memory at or beyond its warning level, or climbing steadily well above its baseline (a leak), or GC taking a growing share. */
    MEMORY_BOUND,
    /** Disk or network throughput at or beyond its level, or near it while latency is elevated. */
    IO_BOUND,
    /** Query time elevated against its baseline (or beyond its level) and a large share of response time. */
    DATABASE,
    /** A queue growing significantly, or at or beyond its level. */
    QUEUE_BACKLOG,
    /** A resource (CPU, memory, disk, network, cache capacity) at its critical level, or forecast to reach it soon. */
    RESOURCE_EXHAUSTION;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BottleneckType of(String code) {
        for (BottleneckType t : values()) {
            if (t.code().equals(code)) {
                return t;
            }
        }
        return null;
    }
}
