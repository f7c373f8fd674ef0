package dev.perfwatch.notify;

import dev.perfwatch.config.PerfwatchConfig;
import dev.perfwatch.model.Notification;

import com.sun.net.httpserver.HttpServer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Across a restart nothing is lost: notifications still being retried when the job fails are in the
 * checkpoint (the async operator's state) and are sent again after the restore, with the same
 * Idempotency-Key; the source does not emit them a second time.
 */
class RestartDeliveryTest {

    static final AtomicBoolean failed = new AtomicBoolean();
    static final AtomicInteger refused = new AtomicInteger();
    static final Map<Integer, AtomicInteger> emittedByAttempt = new ConcurrentHashMap<>();

    static final class WallClock implements org.apache.flink.api.common.eventtime.WatermarkGenerator<Notification> {
        @Override
        public void onEvent(Notification event, long eventTimestamp, org.apache.flink.api.common.eventtime.WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(org.apache.flink.api.common.eventtime.WatermarkOutput output) {
            output.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(System.currentTimeMillis()));
        }
    }

    /** Counts what the source emits, per attempt. */
    static final class CountEmitted extends RichMapFunction<Notification, Notification> {
        private int attempt;

        @Override
        public void open(OpenContext ctx) {
            attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        }

        @Override
        public Notification map(Notification n) {
            emittedByAttempt.computeIfAbsent(attempt, k -> new AtomicInteger()).incrementAndGet();
            return n;
        }
    }

    /** Fails the job once, at a completed checkpoint taken while every notification was being retried. */
    static final class FailOnce extends RichMapFunction<Notification, Notification> implements CheckpointListener {
        private final int expected;

        FailOnce(int expected) {
            this.expected = expected;
        }

        @Override
        public Notification map(Notification n) {
            return n;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (refused.get() >= 2 * expected && failed.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure: the job restarts from checkpoint " + checkpointId);
            }
        }
    }

    @Test
    void notificationsInFlightAtAFailureAreSentAfterTheRestoreWithTheSameKey() throws Exception {
        List<Notification> sent = IntStream.range(0, 6).mapToObj(Notifications::sample).toList();
        Map<String, Set<String>> bodiesByKey = new ConcurrentHashMap<>();
        Set<String> accepted = Collections.newSetFromMap(new ConcurrentHashMap<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            bodiesByKey.computeIfAbsent(key, k -> Collections.newSetFromMap(new ConcurrentHashMap<>()))
                    .add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status;
            if (failed.get()) {
                accepted.add(key); // down until the job has failed; then it recovers
                status = 200;
            } else {
                refused.incrementAndGet();
                status = 503;
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        try {
            PerfwatchConfig config = Notifications.config("notifications.webhook.url=http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
            Configuration conf = new Configuration();
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            // The notifications first, then a few seconds of nothing (ticks that are dropped), so the source is still
            // running, and checkpoints are taken, while they are being retried.
            int count = sent.size();
            DataGeneratorSource<Long> ticks = new DataGeneratorSource<>(i -> i, 150, RateLimiterStrategy.perSecond(25), TypeInformation.of(Long.class));
            Notifier.deliver(env.fromSource(ticks, WatermarkStrategy.noWatermarks(), "ticks")
                                    .filter(i -> i < count).map(i -> Notifications.sample(i.intValue())).returns(Notification.class)
                                    // event time moves with the wall clock (past every sent_at), so the rate limiter lets them through at once
                                    .assignTimestampsAndWatermarks(WatermarkStrategy.<Notification>forGenerator(ctx -> new WallClock()))
                                    .map(new CountEmitted()).returns(Notification.class),
                            config.notifications, config.lifecycle)
                    .map(new FailOnce(sent.size())).returns(Notification.class)
                    .sinkTo(new DiscardingSink<>());
            env.execute("restart while delivering");

            assertTrue(failed.get(), "the job failed once and recovered");
            assertEquals(sent.size(), emittedByAttempt.get(0).get(), "the source emitted each notification once");
            assertEquals(null, emittedByAttempt.get(1), "and nothing after the restore: the redelivery came from the checkpoint");
            Set<String> ids = sent.stream().map(n -> n.notificationId).collect(Collectors.toSet());
            assertEquals(ids, accepted, "every notification arrived after the restart");
            assertEquals(ids, bodiesByKey.keySet(), "no other key");
            assertTrue(bodiesByKey.values().stream().allMatch(b -> b.size() == 1), "every request of a key has the same body");
        } finally {
            server.stop(0);
        }
    }
}
