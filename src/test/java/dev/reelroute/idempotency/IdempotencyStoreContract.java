package dev.reelroute.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.security.AccountStore;
import dev.reelroute.support.Databases.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The idempotency_keys table, run against each database reelroute supports. */
abstract class IdempotencyStoreContract {
    protected abstract TestDatabase openDatabase() throws Exception;

    private TestDatabase database;
    private IdempotencyStore store;
    private String accountId;
    private String otherAccountId;
    // whole seconds: mysql-connector-j sends no fractions to a MariaDB server (it reports itself as 5.5.5-…)
    private final Instant now = Instant.parse("2026-11-23T12:00:00Z");

    @BeforeEach
    void setUp() throws Exception {
        database = openDatabase();
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(database.dataSource());
        store = new IdempotencyStore(jdbc);
        AccountStore accounts = new AccountStore(jdbc, Clock.systemUTC());
        accountId = accounts.createAccount("studio", null, 3).account().id();
        otherAccountId = accounts.createAccount("agency", null, 3).account().id();
    }

    @AfterEach
    void tearDown() throws Exception {
        database.close();
    }

    @Test
    void aKeyIsClaimedOncePerAccountThenCompletedWithItsAnswer() {
        String longKey = "k".repeat(255);
        assertThat(store.tryClaim(accountId, longKey, "f1", now)).isTrue();
        assertThat(store.tryClaim(accountId, longKey, "f2", now)).isFalse();
        assertThat(store.tryClaim(otherAccountId, longKey, "f2", now)).as("another account's key").isTrue();
        assertThat(store.find(accountId, longKey).orElseThrow().completed()).isFalse();

        store.complete(accountId, longKey, "job-1", 202, "{\"id\":\"job-1\"}");

        IdempotencyStore.Entry entry = store.find(accountId, longKey).orElseThrow();
        assertThat(entry).isEqualTo(new IdempotencyStore.Entry("f1", "job-1", 202, "{\"id\":\"job-1\"}", now));
        assertThat(store.find(otherAccountId, longKey).orElseThrow().fingerprint()).isEqualTo("f2");
    }

    @Test
    void releaseFreesOnlyAnUnfinishedClaimWithItsFingerprint() {
        store.tryClaim(accountId, "a", "f1", now);
        store.release(accountId, "a", "other-fingerprint");
        assertThat(store.find(accountId, "a")).isPresent();
        store.release(accountId, "a", "f1");
        assertThat(store.find(accountId, "a")).isEmpty();

        store.tryClaim(accountId, "b", "f1", now);
        store.complete(accountId, "b", "job-2", null, "{}");
        store.release(accountId, "b", "f1");
        assertThat(store.find(accountId, "b")).as("a completed key stays").isPresent();
    }

    @Test
    void anExpiredRowIsDeletedAndAFreshOneKept() {
        store.tryClaim(accountId, "old", "f", now.minus(Duration.ofHours(25)));
        store.tryClaim(accountId, "fresh", "f", now);
        Instant cutoff = now.minus(Duration.ofHours(24));

        assertThat(store.deleteIfCreatedBefore(accountId, "fresh", cutoff)).isFalse();
        assertThat(store.deleteIfCreatedBefore(accountId, "old", cutoff)).isTrue();
        assertThat(store.find(accountId, "old")).isEmpty();
        assertThat(store.find(accountId, "fresh")).isPresent();
        // the purge of every expired row is a camel-sql step of idempotency-purge, tested with the routes
    }

    @Test
    void ofTenConcurrentClaimsOfOneKeyExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    return store.tryClaim(accountId, "race", "f", now);
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> claim : claims) {
                won += claim.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
