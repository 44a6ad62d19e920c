package dev.reelroute.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API surfaces alone: the service as {@link ServiceTest} starts it with its job worker off (jobs stay
 * PENDING), an admin token, a JWT secret, and rate limits no test reaches (RateLimitTest covers them). Webhooks may
 * go to the tests' own receivers on 127.0.0.1 over plain http; uploaded videos may last {@link #VIDEO_MAX_SECONDS};
 * live reads send a heartbeat every second and hold at most {@link #LIVE_MAX_WAITERS} waiting reads and
 * {@link #LIVE_MAX_STREAMS_PER_ACCOUNT} event streams per account (small, so LiveReadsTest reaches them; no other
 * subclass holds a read or opens a stream). Subclasses add no properties of their own, so Spring's test context
 * cache starts this context once for all of them.
 */
public abstract class WorkerlessServiceTest extends ServiceTest {
    protected static final String ADMIN_TOKEN = "test-admin-token-workerless-0123456789";
    protected static final String JWT_SECRET = "test-jwt-secret-workerless-0123456789abcdef";
    protected static final int VIDEO_MAX_SECONDS = 20;
    protected static final int LIVE_MAX_WAITERS = 2;
    protected static final int LIVE_MAX_STREAMS_PER_ACCOUNT = 2;

    @DynamicPropertySource
    static void workerlessProperties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.jobs.worker-enabled", () -> "false");
        registry.add("reelroute.admin-token", () -> ADMIN_TOKEN);
        registry.add("reelroute.jwt.secret", () -> JWT_SECRET);
        registry.add("reelroute.rate-limit.submit-per-minute", () -> "10000");
        registry.add("reelroute.rate-limit.api-per-minute", () -> "10000");
        registry.add("reelroute.webhooks.allow-insecure-urls", () -> "true");
        registry.add("reelroute.limits.video-max-duration", () -> VIDEO_MAX_SECONDS + "s");
        registry.add("reelroute.live.heartbeat", () -> "1s");
        registry.add("reelroute.live.max-waiters", () -> String.valueOf(LIVE_MAX_WAITERS));
        registry.add("reelroute.live.max-streams-per-account", () -> String.valueOf(LIVE_MAX_STREAMS_PER_ACCOUNT));
    }
}
