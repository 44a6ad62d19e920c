package dev.reelroute.webhook;

/**
 * Published when a webhook attempt is recorded ({@link WebhookDelivery#DELIVERED} or {@link WebhookDelivery#FAILED}),
 * or when an event gives up ({@link WebhookDelivery#EXHAUSTED}).
 */
public record WebhookAttempted(String jobId, String eventId, String outcome) {
}
