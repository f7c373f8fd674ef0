package dev.perfwatch.notify;

import dev.perfwatch.model.Notification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A channel that POSTs JSON (webhook, Slack, Alertmanager) with the JDK's HTTP client. A 2xx answer
 * is delivered; the rest fails with a message that names the channel and the status or the kind of
 * network error, never the URL (which may carry a token).
 */
public final class HttpChannel implements Channel {

    private final String name;
    private final URI uri;
    private final String secretUrl;
    private final Duration timeout;
    private final Function<Notification, String> body;
    private final HttpClient client;

    public HttpChannel(String name, String url, Duration timeout, Function<Notification, String> body) {
        this.name = name;
        this.secretUrl = url;
        this.timeout = timeout;
        this.body = body;
        try {
            this.uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": the URL is not valid (not shown: it may hold a token)");
        }
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public CompletableFuture<Void> send(Notification n) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", n.notificationId)
                .header("User-Agent", "perfwatch")
                .POST(HttpRequest.BodyPublishers.ofString(body.apply(n)))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null) {
                        throw failure(error);
                    }
                    if (response.statusCode() / 100 != 2) {
                        throw DeliveryException.ofStatus(response.statusCode(), name);
                    }
                    return null;
                });
    }

    private DeliveryException failure(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof HttpTimeoutException) {
            return new DeliveryException(name + ": no answer within " + org.apache.flink.util.TimeUtils.formatWithHighestUnit(timeout), true);
        }
        if (e instanceof java.net.ConnectException) {
            return new DeliveryException(name + ": cannot connect (" + e.getClass().getSimpleName() + ")", true);
        }
        if (e instanceof IOException) {
            return new DeliveryException(name + ": " + e.getClass().getSimpleName() + ": " + Secrets.redact(e.getMessage(), secretUrl, uri.getHost()), true);
        }
        return new DeliveryException(name + ": " + e.getClass().getSimpleName(), false);
    }
}
