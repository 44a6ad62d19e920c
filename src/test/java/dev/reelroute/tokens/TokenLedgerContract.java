package dev.reelroute.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.Databases.TestDatabase;
import dev.reelroute.support.PlainCamelRoutes;
import dev.reelroute.support.Tokens;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The token ledger, run against each database reelroute supports. Its moves are routes
 * ({@code routes/token-ledger.camel.yaml}): charge-job (the job's insert and the camel-sql steps of its charge in one
 * transaction), refund-job and top-up-account; a failed job's refund is fail-job ({@code routes/job-failure.camel.yaml}:
 * the job FAILED and its tokens back in one transaction) calling refund-job. They run here as the service runs them, in
 * a Camel context of its own over the test's database with the beans their steps call ({@link PlainCamelRoutes}: a
 * route that fails throws).
 */
abstract class TokenLedgerContract {
    private static final PromptSpec PROMPT = new PromptSpec("a lighthouse", null, "veo-3.1-fast-generate-preview",
            "720p", "16:9", 4, true, false, null, null, List.of());

    protected abstract TestDatabase openDatabase() throws Exception;

    private TestDatabase database;
    private TokenLedger ledger;
    private TransactionTemplate transactions;
    private JobStore jobs;
    private PlainCamelRoutes routes;
    private String accountId;

    @BeforeEach
    void setUp() throws Exception {
        database = openDatabase();
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(database.dataSource());
        ledger = new TokenLedger(jdbc, Clock.systemUTC());
        transactions = new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
        jobs = new JobStore(jdbc, transactions, Clock.systemUTC());
        accountId = new AccountStore(jdbc, Clock.systemUTC()).createAccount("studio", null, 3).account().id();

        routes = new PlainCamelRoutes(database.dataSource(), Clock.systemUTC(),
                Map.of("jobStore", jobs, "tokenLedger", ledger, "jobFailures", new Failures(jobs)),
                "token-ledger", "job-failure");
    }

    @AfterEach
    void tearDown() throws Exception {
        routes.close();
        database.close();
    }

    /** charge-job for a new video job of this cost, its account's limit of active video jobs {@code maxActive}. */
    private Exchange chargeJob(String jobId, long cost, int maxActive) {
        return routes.send("direct:charge-job", exchange -> {
            exchange.setVariable("newJob", new NewJob(jobId, accountId, null, Job.KIND_VIDEO_JOB, null, null, null,
                    0, Ids.randomToken(16), PROMPT, "local", cost));
            exchange.setVariable("maxActiveJobs", maxActive);
        });
    }

    /** top-up-account for this account; returns the balance after it. */
    private long topUp(long amount) {
        return Tokens.topUp(routes.camel(), accountId, amount);
    }

    /** refund-job for the job; returns the tokens it gave back (tokensRefunded), null when it gave back nothing. */
    private Long refundJob(String jobId) {
        Exchange done = routes.send("direct:refund-job", exchange -> {
            exchange.setProperty("jobId", jobId);
            exchange.setVariable("refundReason", "failed through no fault of the user");
        });
        return done.getVariable("tokensRefunded", Long.class);
    }

    /** A charge that goes through; returns the balance after it. */
    private long charge(String jobId, long cost) {
        assertThat(chargeJob(jobId, cost, 100).getVariable("chargeRefused")).as("refused").isNull();
        return ledger.balance(accountId);
    }

    @Test
    void chargesRefundsAndTopUpsBalanceAndAreAllInTheLedger() {
        String job1 = Ids.newId();
        String job2 = Ids.newId();
        String job3 = Ids.newId();
        assertThat(ledger.balance(accountId)).isZero();
        assertThat(topUp(120)).isEqualTo(120);
        assertThat(charge(job1, 50)).isEqualTo(70);
        assertThat(charge(job2, 50)).isEqualTo(20);
        Exchange refused = chargeJob(job3, 50, 100);
        assertThat(refused.getVariable("chargeRefused")).isEqualTo("insufficient-tokens");
        assertThat(refused.getVariable("availableTokens", Long.class)).isEqualTo(20);
        assertThat(ledger.balance(accountId)).isEqualTo(20);
        assertThat(jobs.find(job1)).as("a charged job is in").isPresent();
        assertThat(jobs.find(job3)).as("a refused one is not").isEmpty();

        assertThat(refundJob(job1)).isEqualTo(50);
        assertThat(refundJob(job1)).as("a job is refunded once: the duplicate refund row is caught").isNull();
        assertThat(refundJob(job3)).as("never charged").isNull();
        assertThat(ledger.balance(accountId)).isEqualTo(70);

        List<LedgerEntry> entries = ledger.entries(accountId, 10);
        assertThat(entries).extracting(LedgerEntry::kind).containsExactly("refund", "charge", "charge", "top_up");
        assertThat(entries).extracting(LedgerEntry::balanceAfter).containsExactly(70L, 20L, 70L, 120L);
        assertThat(entries).extracting(LedgerEntry::jobId).containsExactly(job1, job2, job1, null);
        assertThat(entries.stream().mapToLong(LedgerEntry::amount).sum()).isEqualTo(ledger.balance(accountId));
    }

    @Test
    void aFreeJobIsChargedNothingAndStillLeavesItsChargeRow() {
        // the debit changes no value; MySQL counts the row it matched (Connector/J's default), so it is no refusal
        String free = Ids.newId();
        assertThat(charge(free, 0)).isZero();
        assertThat(jobs.find(free)).isPresent();
        assertThat(ledger.entries(accountId, 10)).singleElement().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo("charge");
            assertThat(entry.amount()).isZero();
            assertThat(entry.balanceAfter()).isZero();
        });
    }

    @Test
    void aChargeJoinsItsCallersTransactionAndRollsBackWithIt() {
        topUp(50);
        String job1 = Ids.newId();
        assertThatThrownBy(() -> transactions.execute(status -> {
            charge(job1, 50);
            throw new IllegalStateException("the caller failed after the charge");
        })).hasMessageContaining("the caller failed");
        assertThat(ledger.balance(accountId)).isEqualTo(50);
        assertThat(ledger.entries(accountId, 10)).extracting(LedgerEntry::kind).containsExactly("top_up");
        assertThat(jobs.find(job1)).isEmpty();
    }

    @Test
    void aJobPastItsAccountsLimitIsRefusedAndNotCharged() {
        topUp(200);
        String first = Ids.newId();
        charge(first, 50);
        String second = Ids.newId();
        assertThat(chargeJob(second, 50, 1).getVariable("chargeRefused")).isEqualTo("active-job-limit");
        assertThat(jobs.find(second)).isEmpty();
        assertThat(ledger.balance(accountId)).isEqualTo(150);
        assertThat(ledger.entries(accountId, 10)).extracting(LedgerEntry::jobId).containsExactly(first, null);
    }

    @Test
    void concurrentChargesNeverOverdraw() throws Exception {
        topUp(200);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String jobId = Ids.newId();
            results.add(pool.submit(() -> {
                start.await();
                return chargeJob(jobId, 50, 100).getVariable("chargeRefused") == null;
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
        assertThat(ledger.entries(accountId, 10)).extracting(LedgerEntry::balanceAfter)
                .as("each charge's balance after it, in order").containsExactly(0L, 50L, 100L, 150L, 200L);
    }

    /**
     * What fail-job calls on {@code jobFailures} once the job is FAILED: JobFailures' own answers for a failure that
     * was not the request's fault (its log line included), without the service's failure explanations.
     */
    public static final class Failures {
        private final JobStore jobs;

        Failures(JobStore jobs) {
            this.jobs = jobs;
        }

        public boolean refundDue(Exchange exchange) {
            return true;
        }

        public String refundReason(String failureMessage) {
            return "Job failed: " + failureMessage;
        }

        public void refunded(String jobId, long tokens) {
            jobs.appendLog(jobId, "INFO", tokens + " tokens refunded");
        }
    }

    private Exchange failJob(String jobId, String message) {
        return routes.send("direct:fail-job", exchange -> {
            exchange.setProperty("jobId", jobId);
            exchange.setProperty("failureMessage", message);
        });
    }

    @Test
    void aFailedJobIsRefundedInItsFailuresTransactionAndOnlyOnce() {
        topUp(100);
        String jobId = Ids.newId();
        assertThat(charge(jobId, 60)).isEqualTo(40);

        assertThat(failJob(jobId, "Rendering failed: FFmpeg exited with code 1").getProperty("jobFailed"))
                .isEqualTo(true);
        Job failed = jobs.find(jobId).orElseThrow();
        assertThat(failed.status()).isEqualTo(dev.reelroute.job.JobStatus.FAILED);
        assertThat(failed.errorMessage()).isEqualTo("Rendering failed: FFmpeg exited with code 1");
        assertThat(ledger.balance(accountId)).isEqualTo(100);
        assertThat(ledger.entries(accountId, 10)).first().satisfies(refund -> {
            assertThat(refund.kind()).isEqualTo("refund");
            assertThat(refund.jobId()).isEqualTo(jobId);
            assertThat(refund.amount()).isEqualTo(60);
            assertThat(refund.balanceAfter()).isEqualTo(100);
            assertThat(refund.reason()).isEqualTo("Job failed: Rendering failed: FFmpeg exited with code 1");
        });
        assertThat(jobs.logs(jobId)).extracting(dev.reelroute.job.JobLogLine::message).contains("60 tokens refunded");

        // an ended job is not failed (nor refunded) again
        assertThat(failJob(jobId, "again").getProperty("jobFailed")).isNull();
        assertThat(ledger.balance(accountId)).isEqualTo(100);
        assertThat(ledger.entries(accountId, 10)).extracting(LedgerEntry::kind)
                .containsExactly("refund", "charge", "top_up");
    }

    @Test
    void aFailureInItsCallersTransactionRollsBackWithItsRefund() {
        topUp(100);
        String jobId = Ids.newId();
        charge(jobId, 60);
        assertThatThrownBy(() -> transactions.execute(status -> {
            failJob(jobId, "Rendering failed");
            throw new IllegalStateException("the caller failed after the failure");
        })).hasMessageContaining("the caller failed");
        assertThat(jobs.find(jobId).orElseThrow().status()).isEqualTo(dev.reelroute.job.JobStatus.PENDING);
        assertThat(ledger.balance(accountId)).isEqualTo(40);
        assertThat(ledger.entries(accountId, 10)).extracting(LedgerEntry::kind).containsExactly("charge", "top_up");
    }

    @Test
    void aJobChargedNothingIsFailedWithoutARefund() {
        String free = Ids.newId();
        charge(free, 0);
        assertThat(failJob(free, "Rendering failed").getProperty("jobFailed")).isEqualTo(true);
        assertThat(ledger.entries(accountId, 10)).extracting(LedgerEntry::kind).containsExactly("charge");
    }

    @Test
    void theBootstrapAccountsOpeningBalanceIsWrittenWithItsTopUpRow() {
        ledger.openingBalance(accountId, 500, "Bootstrap account's starting balance");

        assertThat(ledger.balance(accountId)).isEqualTo(500);
        assertThat(ledger.entries(accountId, 10)).singleElement().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo("top_up");
            assertThat(entry.amount()).isEqualTo(500);
            assertThat(entry.balanceAfter()).isEqualTo(500);
            assertThat(entry.reason()).isEqualTo("Bootstrap account's starting balance");
        });
    }

    @Test
    void topUpsAreBoundedAndTheirReasonIsCutToItsColumn() {
        assertThatThrownBy(() -> new TopUp(accountId, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopUp(accountId, TokenLedger.MAX_TOP_UP + 1, null))
                .isInstanceOf(IllegalArgumentException.class);

        Exchange done = routes.send("direct:top-up-account",
                exchange -> exchange.setVariable("topUp", new TopUp(accountId, 30, "x".repeat(1000))));
        assertThat(done.getVariable("tokenBalance", Long.class)).isEqualTo(30);
        assertThat(ledger.entries(accountId, 10)).singleElement().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo("top_up");
            assertThat(entry.amount()).isEqualTo(30);
            assertThat(entry.balanceAfter()).isEqualTo(30);
            assertThat(entry.reason()).hasSize(TokenLedger.MAX_REASON_LENGTH).endsWith("…");
        });
    }
}
