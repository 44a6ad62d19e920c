package dev.reelroute.webhook;

import java.time.Instant;

/** One delivery attempt of one event. */
public record WebhookDelivery(long id, String jobId, String eventId, int attempt, String url, Integer statusCode,
                              Long latencyMs, String error, String outcome, Instant attemptedAt) {
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String EXHAUSTED = "exhausted";
}
