package dev.reelroute.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API's refusals of what is uploaded: the service as {@link ServiceTest} starts it with its job worker off (jobs
 * stay PENDING), an admin token, rate limits no test reaches (RateLimitTest covers them), and upload limits small
 * enough that a test reaches them with little data: {@link #MAX_FILE_MB} MB a file, {@link #MAX_REQUEST_MB} MB a
 * request, {@link #AUDIO_MAX_SECONDS} s of audio. Webhook URLs keep the production rules (https, no internal
 * address). Subclasses add no properties of their own, so Spring's test context cache starts this context once for
 * all of them.
 */
public abstract class SmallUploadsServiceTest extends ServiceTest {
    protected static final String ADMIN_TOKEN = "test-admin-token-small-uploads-0123456789";
    protected static final int MAX_FILE_MB = 1;
    protected static final int MAX_REQUEST_MB = 4;
    protected static final int AUDIO_MAX_SECONDS = 8;

    @DynamicPropertySource
    static void smallUploadsProperties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.jobs.worker-enabled", () -> "false");
        registry.add("reelroute.admin-token", () -> ADMIN_TOKEN);
        registry.add("reelroute.rate-limit.submit-per-minute", () -> "100000");
        registry.add("reelroute.rate-limit.api-per-minute", () -> "100000");
        registry.add("spring.servlet.multipart.max-file-size", () -> MAX_FILE_MB + "MB");
        registry.add("spring.servlet.multipart.max-request-size", () -> MAX_REQUEST_MB + "MB");
        registry.add("reelroute.limits.audio-max-duration", () -> AUDIO_MAX_SECONDS + "s");
    }
}
