package dev.perfwatch.notify;

import dev.perfwatch.model.Notification;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Per channel (keyed by channel): a token bucket in event time, {@code rate-per-minute} tokens a
 * minute up to {@code burst}. A notification without a token is not sent; it is kept in
 * notifications/ with delivery {@code rate_limited}. Notifications are taken in event-time order (buffered
 * until their time's timer), so the same input limits the same notifications in every mode.
 */
public final class RateLimiter extends KeyedProcessFunction<String, Notification, Notification> {

    private static final long serialVersionUID = 1L;

    private final double perMinute;
    private final int burst;
    private transient MapState<Long, Batch> buffer;
    private transient ValueState<Bucket> bucket;

    public RateLimiter(double perMinute, int burst) {
        this.perMinute = perMinute;
        this.burst = burst;
    }

    /** The notifications of one event time. */
    public static class Batch {
        public List<Notification> items = new ArrayList<>();
    }

    public static class Bucket {
        public double tokens;
        public long at;
    }

    @Override
    public void open(OpenContext openContext) {
        buffer = getRuntimeContext().getMapState(new MapStateDescriptor<>("rate-limit-buffer", Long.class, Batch.class));
        bucket = getRuntimeContext().getState(new ValueStateDescriptor<>("rate-limit-bucket", Bucket.class));
    }

    @Override
    public void processElement(Notification n, Context ctx, Collector<Notification> out) throws Exception {
        if (n.delivery != null) {
            out.collect(n); // not for a channel: nothing to limit
            return;
        }
        Batch b = buffer.get(n.sentAt);
        if (b == null) {
            b = new Batch();
        }
        b.items.add(n);
        buffer.put(n.sentAt, b);
        ctx.timerService().registerEventTimeTimer(n.sentAt);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Notification> out) throws Exception {
        Batch b = buffer.get(t);
        if (b == null) {
            return;
        }
        buffer.remove(t);
        List<Notification> items = new ArrayList<>(b.items);
        items.sort(Comparator.comparing((Notification n) -> n.notificationId));
        Bucket k = bucket.value();
        if (k == null) {
            k = new Bucket();
            k.tokens = burst;
            k.at = t;
        }
        k.tokens = Math.min(burst, k.tokens + Math.max(0, t - k.at) * perMinute / 60_000.0);
        k.at = Math.max(k.at, t);
        for (Notification n : items) {
            if (k.tokens >= 1) {
                k.tokens -= 1;
            } else {
                n.delivery = "rate_limited";
                n.error = "over " + perMinute + " per minute (burst " + burst + ") on " + n.channel;
            }
            out.collect(n);
        }
        bucket.update(k);
    }
}
