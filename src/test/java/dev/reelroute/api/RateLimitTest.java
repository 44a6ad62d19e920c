package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Per-IP limits (made small here): RateLimit-* headers on every /api answer, 429 with Retry-After past them. */
class RateLimitTest extends ServiceTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.rate-limit.api-per-minute", () -> "8");
        registry.add("reelroute.rate-limit.submit-per-minute", () -> "2");
        registry.add("reelroute.jobs.worker-enabled", () -> "false");
    }

    @Test
    void submissionsAndThenAllApiCallsAreLimitedPerAddress() throws Exception {
        String key = newAccountKey("flood");
        // submissions have their own, smaller bucket (bodies are irrelevant: the limit comes first)
        ApiClient.Response first = api.post("/api/jobs", key);
        assertThat(first.header("RateLimit-Limit")).isEqualTo("2");
        assertThat(first.header("RateLimit-Remaining")).isEqualTo("1");
        assertThat(Long.parseLong(first.header("RateLimit-Reset"))).isBetween(1L, 60L);
        api.post("/api/jobs", key);
        ApiClient.Response refused = api.post("/api/jobs", key);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("error").asText()).contains("Rate limit exceeded");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);

        // reads still work until the general bucket (8/min, 3 used) runs dry
        ApiClient.Response read = api.get("/api/jobs", key);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("RateLimit-Limit")).isEqualTo("8");
        assertThat(read.header("RateLimit-Remaining")).isEqualTo("4");
        int refusedReads = 0;
        for (int i = 0; i < 6; i++) {
            if (api.get("/api/jobs", key).status() == 429) {
                refusedReads++;
            }
        }
        assertThat(refusedReads).isEqualTo(2);
        // bad keys are limited too: the limit is checked before the key
        assertThat(api.get("/api/jobs", "rr_wrong").status()).isEqualTo(429);
        // the liveness probe is never limited
        assertThat(api.get("/health", null).status()).isEqualTo(200);
    }
}
