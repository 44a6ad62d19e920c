package dev.reelroute.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelroute.security.AccountStore;
import dev.reelroute.support.Databases.TestDatabase;
import java.time.Clock;
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
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The token ledger, run against each database reelroute supports. */
abstract class TokenLedgerContract {
    protected abstract TestDatabase openDatabase() throws Exception;

    private TestDatabase database;
    private TokenLedger ledger;
    private TransactionTemplate transactions;
    private String accountId;

    @BeforeEach
    void setUp() throws Exception {
        database = openDatabase();
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(database.dataSource());
        ledger = new TokenLedger(jdbc, Clock.systemUTC(), event -> { });
        transactions = new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
        accountId = new AccountStore(jdbc, Clock.systemUTC()).createAccount("studio", null, 3).account().id();
    }

    @AfterEach
    void tearDown() throws Exception {
        database.close();
    }

    private long charge(String jobId, long cost) {
        return transactions.execute(status -> ledger.charge(accountId, jobId, cost));
    }

    @Test
    void chargesRefundsAndTopUpsBalanceAndAreAllInTheLedger() {
        assertThat(ledger.balance(accountId)).isZero();
        assertThat(ledger.topUp(accountId, 120, "welcome")).isEqualTo(120);
        assertThat(charge("job1", 50)).isEqualTo(70);
        assertThat(charge("job2", 50)).isEqualTo(20);
        assertThatThrownBy(() -> charge("job3", 50))
                .isInstanceOfSatisfying(InsufficientTokensException.class, short_ -> {
                    assertThat(short_.cost()).isEqualTo(50);
                    assertThat(short_.available()).isEqualTo(20);
                });
        assertThat(ledger.balance(accountId)).isEqualTo(20);

        assertThat(ledger.refund(accountId, "job1", "failed through no fault of the user")).isTrue();
        assertThat(ledger.refund(accountId, "job1", "again")).as("a job is refunded once").isFalse();
        assertThat(ledger.refund(accountId, "job3", "never charged")).isFalse();
        assertThat(ledger.balance(accountId)).isEqualTo(70);

        List<LedgerEntry> entries = ledger.entries(accountId, 10);
        assertThat(entries).extracting(LedgerEntry::kind).containsExactly("refund", "charge", "charge", "top_up");
        assertThat(entries.get(0).balanceAfter()).isEqualTo(70);
        assertThat(entries.stream().mapToLong(LedgerEntry::amount).sum()).isEqualTo(ledger.balance(accountId));
    }

    @Test
    void aChargeRollsBackWithItsTransaction() {
        ledger.topUp(accountId, 50, null);
        assertThatThrownBy(() -> transactions.execute(status -> {
            ledger.charge(accountId, "job1", 50);
            throw new IllegalStateException("the job insert failed");
        })).hasMessageContaining("job insert failed");
        assertThat(ledger.balance(accountId)).isEqualTo(50);
        assertThat(ledger.entries(accountId, 10)).extracting(LedgerEntry::kind).containsExactly("top_up");
    }

    @Test
    void concurrentChargesNeverOverdraw() throws Exception {
        ledger.topUp(accountId, 200, null);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String jobId = "job" + i;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    charge(jobId, 50);
                    return true;
                } catch (InsufficientTokensException refused) {
                    return false;
                }
            }));
        }
        start.countDown();
        int charged = 0;
        for (Future<Boolean> result : results) {
            charged += result.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(charged).isEqualTo(4);
        assertThat(ledger.balance(accountId)).isZero();
    }

    @Test
    void topUpsAreBounded() {
        assertThatThrownBy(() -> ledger.topUp(accountId, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.topUp(accountId, TokenLedger.MAX_TOP_UP + 1, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
