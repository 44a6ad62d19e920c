package dev.reelroute.webhook;

/** A delivery attempt did not get a 2xx; retried by the route's redelivery policy. */
public class WebhookDeliveryException extends RuntimeException {
    public WebhookDeliveryException(String message) {
        super(message);
    }
}
