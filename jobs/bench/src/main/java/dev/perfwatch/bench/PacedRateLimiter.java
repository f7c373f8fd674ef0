package dev.perfwatch.bench;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A fixed rate kept by a schedule: permit i of a reader is due {@code i / rate} seconds after its first,
 * and the reader waits only when it is more than {@link #SLACK_NANOS} ahead of that schedule (then until
 * the permit is due). Flink's {@code RateLimiterStrategy.perSecond} takes every permit on another thread
 * (a {@code CompletableFuture} on a single-thread executor, Guava's limiter sleeping there): one thread
 * hand-off each way per record, which at 50,000 records/s capped the latency benchmark's one reader at
 * 33,000-44,000 records/s with a third of the process's CPU in the kernel, whatever the pipeline behind it
 * did. Here a record that is due (or less than the slack early) goes at once, on the reader's thread.
 */
final class PacedRateLimiter<S extends SourceSplit> implements RateLimiter<S> {

    /** Early by less than this, a permit is granted at once (a millisecond: 50 records at 50,000 a second). */
    static final long SLACK_NANOS = 1_000_000;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "perfwatch-paced-rate-limiter");
        t.setDaemon(true);
        return t;
    });

    private final double nanosPerPermit;
    private final LongSupplier clock;
    private long origin = Long.MIN_VALUE;
    private long granted;

    PacedRateLimiter(double permitsPerSecond) {
        this(permitsPerSecond, System::nanoTime);
    }

    /** clock: nanoseconds, as {@link System#nanoTime()}. */
    PacedRateLimiter(double permitsPerSecond, LongSupplier clock) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("a rate must be a positive number of permits a second, got " + permitsPerSecond);
        }
        this.nanosPerPermit = 1e9 / permitsPerSecond;
        this.clock = clock;
    }

    /** A clock in nanoseconds, as {@link System#nanoTime()}: serializable, since the strategy that holds it is shipped with the job. */
    interface NanoClock extends LongSupplier, java.io.Serializable {}

    /** The strategy: each of the source's readers gets its share of {@code permitsPerSecond}. */
    static <S extends SourceSplit> RateLimiterStrategy<S> perSecond(double permitsPerSecond) {
        return perSecond(permitsPerSecond, System::nanoTime);
    }

    /**
     * As {@link #perSecond(double)}, on {@code clock}. (A plain {@code LongSupplier} here made the strategy
     * unserializable, and {@code bench --latency} failed at job submission.)
     */
    static <S extends SourceSplit> RateLimiterStrategy<S> perSecond(double permitsPerSecond, NanoClock clock) {
        return parallelism -> new PacedRateLimiter<>(permitsPerSecond / parallelism, clock);
    }

    @Override
    public CompletionStage<Void> acquire(int permits) {
        long wait = take(permits);
        if (wait == 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        TIMER.schedule(() -> ready.complete(null), wait, TimeUnit.NANOSECONDS);
        return ready;
    }

    /** Takes the next {@code permits}: how many nanoseconds to wait until they are due (0: go now). */
    long take(int permits) {
        long now = clock.getAsLong();
        if (origin == Long.MIN_VALUE) {
            origin = now;
        }
        long due = origin + (long) (granted * nanosPerPermit);
        granted += permits;
        long ahead = due - now;
        return ahead < SLACK_NANOS ? 0 : ahead;
    }
}
