package dev.perfwatch.notify;

import dev.perfwatch.model.Notification;

import java.util.concurrent.CompletableFuture;

/** One way of telling people: sends a notification once (retries are the caller's). */
public interface Channel extends AutoCloseable {

    /** Completes when the endpoint accepted it; fails with {@link DeliveryException} otherwise. */
    CompletableFuture<Void> send(Notification n);

    @Override
    default void close() {}
}
