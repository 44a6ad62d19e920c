package dev.reelroute.web;

import static dev.reelroute.web.BearerAuthTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestJwts;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With no reelroute.jwt.secret (the default) every JWT is refused, and API keys work as before. */
class BearerAuthWithoutJwtSecretTest extends ServiceTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.jobs.worker-enabled", () -> "false");
    }

    @Test
    void jwtsAreRefusedAndApiKeysStillWork() throws Exception {
        var member = newAccount("no-secret");
        // signed with the secret another deployment might use: without one here, nothing can verify it
        String jwt = TestJwts.hs256(BearerAuthTest.SECRET, TestJwts.claims(member.accountId(), Instant.now()).build());
        assertRefused(api.getWithBearer("/api/v1/video-jobs", jwt), 401, "detail", ApiAuthFilter.JWT_DISABLED,
                "invalid_token");
        assertRefused(api.getWithBearer("/api/video-projects", jwt), 401, "error", ApiAuthFilter.JWT_DISABLED,
                "invalid_token");

        assertThat(api.getWithBearer("/api/video-projects", member.apiKey()).status()).isEqualTo(200);
        assertThat(api.get("/api/jobs", member.apiKey()).status()).isEqualTo(200);
    }
}
