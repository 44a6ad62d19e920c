package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobLogLine;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.prompt.VideoJobsApi;
import dev.reelroute.security.AccountStore;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.LedgerEntry;
import dev.reelroute.tokens.TokenLedger;
import dev.reelroute.web.ApiException;
import dev.reelroute.web.ApiPrincipals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * create-video-job and charge-job, the way the video jobs API (video-job-create) and a JMS video-job request
 * (jms-submit) make a prompt video job: a checked submission in, its image stored, the job inserted and its tokens
 * charged in one transaction. What the caller sees: the job's id, or the refusal it is answered with (the document's
 * 402 with the cost and the balance, the 429); in the store, the job row, the balance and the ledger; the stored image;
 * the tokens metric, which counts a charge once it is committed.
 */
class JobChargeRouteTest extends StageRouteTest {
    /** The video jobs' price (reelroute.video-jobs.token-cost) and limit of active jobs per account. */
    private static final long COST = 50;
    private static final int MAX_ACTIVE = 3;

    @Autowired
    VideoJobsApi videoJobsApi;
    @Autowired
    TokenLedger ledger;
    @Autowired
    MeterRegistry meters;
    @Autowired
    TransactionTemplate transactions;

    private AccountStore.CreatedKey account;

    @BeforeEach
    void account() {
        account = newAccount("job-charge-" + Ids.newId());
    }

    /** A mock-mode video job with an initial image, as the surfaces hand it to create-video-job. */
    private Exchange createVideoJob() throws Exception {
        Path image = TestMedia.png(Files.createTempDirectory(dataDir, "upload-"), 320, 240);
        VideoJobsApi.Submission submission = videoJobsApi.submission(videoJobsApi.fields("a lighthouse in a storm",
                "veo-3.1-fast-generate-preview", "720p", "16:9", "4", "true", null), image, null, List.of());
        return template.send("direct:create-video-job", exchange -> {
            exchange.setProperty(ApiPrincipals.PROPERTY, ApiPrincipal.ofApiKey(account.accountId(), account.keyId()));
            exchange.getMessage().setBody(submission);
        });
    }

    private int accountJobs() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE account_id = ?", Integer.class,
                account.accountId());
    }

    /** The tokens charged so far, as ops counts them (reelroute.tokens, kind charge). */
    private double chargesCounted() {
        Counter counter = meters.find("reelroute.tokens").tag("kind", LedgerEntry.CHARGE).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The key the refused job's image was stored under, which must be gone again. */
    private static String storedImageKey(Exchange refused) {
        return refused.getVariable("newJob", NewJob.class).prompt().initialImageKey();
    }

    @Test
    void theJobIsInsertedAndChargedTogether() throws Exception {
        Tokens.topUp(template, account.accountId(), 120);
        double counted = chargesCounted();

        Exchange created = createVideoJob();

        assertThat(created.getException()).isNull();
        Job job = jobStore.find(created.getMessage().getBody(String.class)).orElseThrow();
        assertThat(job.accountId()).isEqualTo(account.accountId());
        assertThat(job.kind()).isEqualTo(Job.KIND_VIDEO_JOB);
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.tokensConsumed()).isEqualTo(COST);
        assertThat(storage.open(job.inputImageKey())).as("the image stored").isPresent();
        assertThat(ledger.balance(account.accountId())).isEqualTo(120 - COST);
        List<LedgerEntry> entries = ledger.entries(account.accountId(), 10);
        assertThat(entries).extracting(LedgerEntry::kind).containsExactly(LedgerEntry.CHARGE, LedgerEntry.TOP_UP);
        assertThat(entries.get(0).jobId()).isEqualTo(job.id());
        assertThat(entries.get(0).amount()).isEqualTo(-COST);
        assertThat(entries.get(0).balanceAfter()).isEqualTo(120 - COST);
        assertThat(entries.get(0).reason()).isEqualTo("Job charge");
        assertThat(jobStore.logs(job.id())).extracting(JobLogLine::message)
                .containsExactly("Job created: 50 tokens charged; mock mode, the local engine makes the video");
        assertThat(chargesCounted() - counted).as("counted once committed").isEqualTo(COST);
    }

    @Test
    void aBalanceShortOfTheCostIsRefusedWithThe402AndNothingIsMadeOrCharged() throws Exception {
        Tokens.topUp(template, account.accountId(), COST - 1);
        double counted = chargesCounted();

        Exchange refused = createVideoJob();

        assertThat(refused.getException()).isInstanceOfSatisfying(ApiException.class, error -> {
            assertThat(error.getStatus()).isEqualTo(402);
            assertThat(error.detail()).isEqualTo(Map.of(
                    "message", "Insufficient tokens. Operation 'video_generation' costs 50 tokens but you have 49.",
                    "cost", COST, "availableTokens", COST - 1));
        });
        assertThat(accountJobs()).as("no job row").isZero();
        assertThat(ledger.balance(account.accountId())).as("the balance as it was").isEqualTo(COST - 1);
        assertThat(ledger.entries(account.accountId(), 10)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.TOP_UP);
        assertThat(storage.open(storedImageKey(refused))).as("the stored image removed").isEmpty();
        assertThat(chargesCounted()).isEqualTo(counted);
    }

    @Test
    void aJobPastTheAccountsLimitIsRefusedWithThe429AndNothingIsCharged() throws Exception {
        Tokens.topUp(template, account.accountId(), 1000);
        for (int i = 0; i < MAX_ACTIVE; i++) {
            assertThat(createVideoJob().getException()).isNull();
        }
        double counted = chargesCounted();

        Exchange refused = createVideoJob();

        assertThat(refused.getException()).isInstanceOfSatisfying(ApiException.class, error -> {
            assertThat(error.getStatus()).isEqualTo(429);
            assertThat(error.detail()).isEqualTo(
                    "Maximum 3 concurrent video jobs allowed. Please wait for existing jobs to complete.");
        });
        assertThat(accountJobs()).as("no job row beyond the limit").isEqualTo(MAX_ACTIVE);
        assertThat(ledger.balance(account.accountId())).isEqualTo(1000 - MAX_ACTIVE * COST);
        assertThat(ledger.entries(account.accountId(), 10)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.CHARGE, LedgerEntry.CHARGE, LedgerEntry.CHARGE, LedgerEntry.TOP_UP);
        assertThat(storage.open(storedImageKey(refused))).as("the stored image removed").isEmpty();
        assertThat(chargesCounted()).isEqualTo(counted);
    }

    @Test
    void aChargeRolledBackWithItsCallersTransactionIsNeitherMadeNorCounted() {
        Tokens.topUp(template, account.accountId(), 120);
        double counted = chargesCounted();
        String id = Ids.newId();
        PromptSpec spec = new PromptSpec("a lighthouse in a storm", null, "veo-3.1-fast-generate-preview", "720p",
                "16:9", 4, true, false, null, null, List.of());
        NewJob job = new NewJob(id, account.accountId(), account.keyId(), Job.KIND_VIDEO_JOB, null, null, null, 0,
                Ids.randomToken(16), spec, "local", COST);

        // charge-job joins the caller's transaction, which then rolls back
        transactions.executeWithoutResult(status -> {
            assertThat(charge(job, MAX_ACTIVE).getException()).isNull();
            assertThat(ledger.balance(account.accountId())).as("debited inside the transaction").isEqualTo(70);
            status.setRollbackOnly();
        });

        assertThat(jobStore.find(id)).isEmpty();
        assertThat(ledger.balance(account.accountId())).isEqualTo(120);
        assertThat(ledger.entries(account.accountId(), 10)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.TOP_UP);
        assertThat(chargesCounted()).as("a charge rolled back is not counted").isEqualTo(counted);
    }
}
