package dev.perfwatch.notify;

/**
 * A failed delivery attempt, with a message safe to write to outputs (no URL, no credential), and
 * whether trying again can help (a refused connection or a 503 can; a 400 cannot).
 */
public class DeliveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public DeliveryException(String safeMessage, boolean retryable) {
        super(safeMessage, null, false, false);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /** For an HTTP status: 408, 425, 429 and 5xx are worth retrying. */
    public static DeliveryException ofStatus(int status, String channel) {
        boolean retry = status == 408 || status == 425 || status == 429 || status >= 500;
        return new DeliveryException(channel + " endpoint answered HTTP " + status, retry);
    }
}
