package dev.reelroute.webhook;

/** A delivery attempt did not get a 2xx; retried by the route's redelivery policy. */
public class WebhookDeliveryException extends RuntimeException {
    private final boolean recorded;

    /** An attempt that failed before an answer (its URL refused, say): {@code recordError} still records it. */
    public WebhookDeliveryException(String message) {
        this(message, false);
    }

    private WebhookDeliveryException(String message, boolean recorded) {
        super(message);
        this.recorded = recorded;
    }

    /** An attempt whose answer was already recorded with its status code. */
    static WebhookDeliveryException recorded(String message) {
        return new WebhookDeliveryException(message, true);
    }

    public boolean isRecorded() {
        return recorded;
    }
}
