package dev.reelroute.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelroute.security.AccountStore;
import dev.reelroute.support.Databases.TestDatabase;
import dev.reelroute.tokens.TokenLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.event.TransactionalEventListenerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * reelroute_tokens_total counts what the ledger's Java side moved (top-ups, the refund of a job cancelled before it
 * ran) once it is committed: the ledger only publishes the move, and ops counts it after the commit, so a move rolled
 * back is never counted. The charges and refunds the routes make are counted from their steps (JobChargeRouteTest,
 * PromptClipRouteTest).
 */
class TokenMetricsTest {
    private TestDatabase database;
    private AnnotationConfigApplicationContext context;
    private MeterRegistry registry;
    private TokenLedger ledger;
    private TransactionTemplate transactions;
    private NamedParameterJdbcTemplate jdbc;
    private String accountId;

    @BeforeEach
    void setUp() {
        database = TestDatabase.h2();
        registry = new SimpleMeterRegistry();
        context = new AnnotationConfigApplicationContext();
        context.registerBean(MeterRegistry.class, () -> registry);
        context.registerBean(TransactionalEventListenerFactory.class);
        context.registerBean(OpsMetrics.class);
        context.refresh();
        jdbc = new NamedParameterJdbcTemplate(database.dataSource());
        ledger = new TokenLedger(jdbc, Clock.systemUTC(), context);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
        accountId = new AccountStore(jdbc, Clock.systemUTC()).createAccount("studio", null, 3).account().id();
    }

    @AfterEach
    void tearDown() throws Exception {
        context.close();
        database.close();
    }

    @Test
    void committedMovesAreCountedByKindAndRolledBackOnesAreNot() {
        ledger.topUp(accountId, 120, "welcome");
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            ledger.topUp(accountId, 30, "a top-up whose transaction fails");
            throw new IllegalStateException("the admin request failed");
        })).hasMessageContaining("admin request failed");
        // the ledger's row of job1's charge (charge-job's record-charge), which its refund gives back
        jdbc.update("INSERT INTO token_ledger (account_id, job_id, kind, amount, balance_after, reason, created_at) "
                + "VALUES (:accountId, 'job1', 'charge', -50, 70, 'Job charge', CURRENT_TIMESTAMP)",
                new MapSqlParameterSource("accountId", accountId));
        transactions.executeWithoutResult(status -> ledger.refund(accountId, "job1", "cancelled before it ran"));

        assertThat(tokens("top_up")).as("the rolled-back top-up of 30 is not counted").isEqualTo(120.0);
        assertThat(tokens("refund")).isEqualTo(50.0);
    }

    private double tokens(String kind) {
        Counter counter = registry.find("reelroute.tokens").tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }
}
