package dev.reelroute.webhook;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;

/**
 * When the next attempt of a webhook goes out: the Standard Webhooks schedule (by default immediately, 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h) with ±jitter, or the receiver's Retry-After (on 429 and 503) when it asks for
 * longer, capped. The schedule's length is the number of attempts.
 */
public final class WebhookSchedule {
    private final List<Duration> delays;
    private final double jitter;
    private final Duration maxRetryAfter;
    private final DoubleSupplier random;

    public WebhookSchedule(List<Duration> delays, double jitter, Duration maxRetryAfter, DoubleSupplier random) {
        if (delays == null || delays.isEmpty()) {
            throw new IllegalArgumentException("reelroute.webhooks.schedule needs at least one attempt");
        }
        if (jitter < 0 || jitter > 0.5) {
            throw new IllegalArgumentException("reelroute.webhooks.jitter must be within 0..0.5");
        }
        this.delays = List.copyOf(delays);
        this.jitter = jitter;
        this.maxRetryAfter = maxRetryAfter;
        this.random = random;
    }

    public int attempts() {
        return delays.size();
    }

    /**
     * Milliseconds to wait before attempt {@code next} (1-based), or empty when attempt {@code next} would be past
     * the schedule. {@code retryAfterSeconds} is the receiver's Retry-After, or null.
     */
    public OptionalLong delayBefore(int next, Long retryAfterSeconds) {
        if (next < 1 || next > delays.size()) {
            return OptionalLong.empty();
        }
        long planned = delays.get(next - 1).toMillis();
        long jittered = Math.round(planned * (1 + jitter * (2 * random.getAsDouble() - 1)));
        if (retryAfterSeconds != null && retryAfterSeconds > 0) {
            long asked = Math.min(retryAfterSeconds * 1000, maxRetryAfter.toMillis());
            jittered = Math.max(jittered, asked);
        }
        return OptionalLong.of(Math.max(0, jittered));
    }
}
