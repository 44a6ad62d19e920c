package dev.reelroute.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API surfaces alone: the service as {@link ServiceTest} starts it with its job worker off (jobs stay
 * PENDING), an admin token, a JWT secret, and rate limits no test reaches (RateLimitTest covers them). Subclasses
 * add no properties of their own, so Spring's test context cache starts this context once for all of them.
 */
public abstract class WorkerlessServiceTest extends ServiceTest {
    protected static final String ADMIN_TOKEN = "test-admin-token-workerless-0123456789";
    protected static final String JWT_SECRET = "test-jwt-secret-workerless-0123456789abcdef";

    @DynamicPropertySource
    static void workerlessProperties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.jobs.worker-enabled", () -> "false");
        registry.add("reelroute.admin-token", () -> ADMIN_TOKEN);
        registry.add("reelroute.jwt.secret", () -> JWT_SECRET);
        registry.add("reelroute.rate-limit.submit-per-minute", () -> "10000");
        registry.add("reelroute.rate-limit.api-per-minute", () -> "10000");
    }
}
