package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.idempotency.IdempotencyStore;
import dev.reelroute.idempotency.RequestFingerprint;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.AdjustableClock;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ServiceTest;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Idempotency keys over time, with a one-second TTL: an expired key makes a new job and is purged, and a repeat
 * whose first request never finishes gets a 409 after the in-progress wait.
 */
class IdempotencyExpiryTest extends ServiceTest {
    private static final String BODY = "{\"prompt\":\"A lighthouse in a storm\"}";
    private static final Duration PAST_THE_TTL = Duration.ofMillis(1_200);

    /** The service's one clock, moved past the TTL instead of waiting for it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class MovableTime {
        @Bean
        @Primary
        AdjustableClock adjustableClock() {
            return new AdjustableClock();
        }
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    IdempotencyStore store;
    @Autowired
    AdjustableClock clock;
    @Autowired
    CamelContext camel;

    private AccountStore.CreatedKey account;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.jobs.worker-enabled", () -> "false");
        registry.add("reelroute.idempotency.ttl", () -> "1s");
        registry.add("reelroute.idempotency.in-progress-wait", () -> "300ms");
    }

    @BeforeEach
    void newAccountPerTest() {
        account = newAccount("idempotency-expiry-" + System.nanoTime());
    }

    private ApiClient.Response generate(String idempotencyKey) throws Exception {
        return api.postJsonWithHeaders("/api/generate", BODY, "X-API-Key", account.apiKey(),
                IdempotencyKeys.HEADER, idempotencyKey);
    }

    private int rows(String sql) {
        return jdbc.queryForObject(sql, Integer.class, account.accountId());
    }

    @Test
    void anExpiredKeyMakesANewJob() throws Exception {
        ApiClient.Response first = generate("nightly");
        ApiClient.Response replay = generate("nightly");
        assertThat(replay.json().get("job_id")).isEqualTo(first.json().get("job_id"));

        clock.advance(PAST_THE_TTL);
        ApiClient.Response afterTtl = generate("nightly");

        assertThat(afterTtl.status()).as(afterTtl.body()).isEqualTo(202);
        assertThat(afterTtl.json().get("job_id")).isNotEqualTo(first.json().get("job_id"));
        assertThat(rows("SELECT COUNT(*) FROM jobs WHERE account_id = ?")).isEqualTo(2);
    }

    @Test
    void expiredKeysArePurged() throws Exception {
        generate("to-purge");
        assertThat(rows("SELECT COUNT(*) FROM idempotency_keys WHERE account_id = ?")).isEqualTo(1);
        clock.advance(PAST_THE_TTL);

        // the purge the idempotency-purge timer runs
        Exchange purged = camel.createProducerTemplate().send("direct:idempotency-purge-expired", exchange -> { });
        assertThat(purged.getException()).isNull();
        assertThat(purged.getMessage().getHeader("CamelSqlUpdateCount", Integer.class)).isPositive();

        assertThat(rows("SELECT COUNT(*) FROM idempotency_keys WHERE account_id = ?")).isZero();
    }

    @Test
    void aRepeatWhileTheFirstRequestIsStillBeingMadeIsA409() throws Exception {
        // the first request's claim, as it stands while that request is still making its job
        String fingerprint = new RequestFingerprint().add("POST").add("/api/generate").add(BODY).hex();
        assertThat(store.tryClaim(account.accountId(), "slow", fingerprint, clock.instant())).isTrue();

        ApiClient.Response repeat = generate("slow");

        assertThat(repeat.status()).as(repeat.body()).isEqualTo(409);
        assertThat(repeat.json().get("error").asText()).contains("still in progress");
        assertThat(rows("SELECT COUNT(*) FROM jobs WHERE account_id = ?")).isZero();
    }
}
