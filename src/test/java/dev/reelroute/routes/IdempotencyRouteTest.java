package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.api.IdempotencyKeys;
import dev.reelroute.idempotency.IdempotencyStore;
import dev.reelroute.idempotency.RequestFingerprint;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * idempotency-claim, as the create routes call it (here POST /api/generate, whose hand-off to the job queue,
 * {@code enqueue-job}, is a mock), and idempotency-purge ({@code direct:} instead of its timer): a replay gets the
 * original answer and makes nothing; a key reused for another request, or malformed, is refused; a key whose request
 * was refused, or whose request died mid-way, is free again; expired keys are purged, live ones kept.
 */
class IdempotencyRouteTest extends StageRouteTest {
    private static final String BODY = "{\"prompt\":\"A lighthouse in a storm\"}";
    /** Older than the default TTL (24 h). */
    private static final Duration EXPIRED = Duration.ofHours(25);
    /** Older than the default abandoned-after (10 min). */
    private static final Duration ABANDONED = Duration.ofMinutes(11);

    @Autowired
    IdempotencyStore store;

    private AccountStore.CreatedKey account;

    @BeforeEach
    void newAccountPerTest() {
        account = newAccount("idempotency-route-" + System.nanoTime());
    }

    private ApiClient.Response generate(String body, String idempotencyKey) throws Exception {
        return api.postJsonWithHeaders("/api/generate", body, "X-API-Key", account.apiKey(),
                IdempotencyKeys.HEADER, idempotencyKey);
    }

    private int accountRows(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE account_id = ?", Integer.class,
                account.accountId());
    }

    @Test
    void aReplayAnswersWithTheOriginalAnswerAndMakesNothing() throws Exception {
        ApiClient.Response first = generate(BODY, "nightly");
        ApiClient.Response replay = generate(BODY, "nightly");

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(accountRows("jobs")).isEqualTo(1);
        assertThat(mock(JOB_QUEUE).getReceivedCounter()).as("queued once").isEqualTo(1);
    }

    @Test
    void aKeyReusedForAnotherRequestIsRefusedAndMakesNothing() throws Exception {
        generate(BODY, "reused");

        ApiClient.Response other = generate(BODY.replace("storm", "fog"), "reused");

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("error").asText())
                .isEqualTo("This Idempotency-Key was already used with a different request");
        assertThat(accountRows("jobs")).isEqualTo(1);
    }

    @Test
    void aMalformedKeyIsRefusedBeforeAnythingIsMade() throws Exception {
        ApiClient.Response answer = generate(BODY, "k".repeat(256));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText())
                .isEqualTo("The Idempotency-Key header must be 1 to 255 characters");
        assertThat(accountRows("jobs")).isZero();
        assertThat(accountRows("idempotency_keys")).isZero();
    }

    @Test
    void theKeyOfARefusedRequestIsFreeForTheNextOne() throws Exception {
        ApiClient.Response refused = generate("{\"prompt\":42}", "retry-me");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(accountRows("idempotency_keys")).as("released").isZero();

        ApiClient.Response next = generate(BODY, "retry-me");

        assertThat(next.status()).as(next.body()).isEqualTo(202);
        assertThat(accountRows("jobs")).isEqualTo(1);
    }

    @Test
    void theKeyOfARequestThatDiedMidwayIsTakenOver() throws Exception {
        // the claim a request left when its instance stopped before it made its job
        String fingerprint = new RequestFingerprint().add("POST").add("/api/generate").add(BODY).hex();
        assertThat(store.tryClaim(account.accountId(), "orphaned", fingerprint, Instant.now().minus(ABANDONED)))
                .isTrue();

        ApiClient.Response answer = generate(BODY, "orphaned");

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        assertThat(accountRows("jobs")).isEqualTo(1);
        assertThat(store.find(account.accountId(), "orphaned")).get()
                .satisfies(entry -> assertThat(entry.jobId()).isEqualTo(answer.json().get("job_id").asText()));
    }

    @Test
    void thePurgeDropsExpiredKeysAndKeepsLiveOnes() throws Exception {
        String fingerprint = new RequestFingerprint().add("POST").add("/api/generate").add(BODY).hex();
        assertThat(store.tryClaim(account.accountId(), "yesterday", fingerprint, Instant.now().minus(EXPIRED)))
                .isTrue();
        generate(BODY, "today");

        Exchange purged = template.send("direct:idempotency-purge", exchange -> { });

        assertThat(purged.getException()).isNull();
        assertThat(store.find(account.accountId(), "yesterday")).isEmpty();
        assertThat(store.find(account.accountId(), "today")).isPresent();
        assertThat(generate(BODY, "today").status()).as("still replayed").isEqualTo(202);
        assertThat(accountRows("jobs")).isEqualTo(1);
    }
}
