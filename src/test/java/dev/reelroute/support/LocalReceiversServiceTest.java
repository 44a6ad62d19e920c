package dev.reelroute.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service as {@link ServiceTest} starts it, allowed to reach webhook receivers and input servers on
 * 127.0.0.1 over plain http (the tests' own), with an admin token, a JWT secret, and rate limits no test reaches
 * (RateLimitTest covers them). Subclasses add no properties of their own, so Spring's test context cache starts this
 * context once for all of them.
 */
public abstract class LocalReceiversServiceTest extends ServiceTest {
    protected static final String ADMIN_TOKEN = "test-admin-token-local-receivers-0123456789";
    protected static final String JWT_SECRET = "test-jwt-secret-local-receivers-0123456789abcdef";

    @DynamicPropertySource
    static void localReceiversProperties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.webhooks.allow-insecure-urls", () -> "true");
        registry.add("reelroute.admin-token", () -> ADMIN_TOKEN);
        registry.add("reelroute.jwt.secret", () -> JWT_SECRET);
        registry.add("reelroute.rate-limit.submit-per-minute", () -> "10000");
        registry.add("reelroute.rate-limit.api-per-minute", () -> "1000000");
    }
}
