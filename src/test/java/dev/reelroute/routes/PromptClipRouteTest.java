package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.provider.ProviderName;
import dev.reelroute.provider.RemoteProviders;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.LedgerEntry;
import dev.reelroute.tokens.TokenLedger;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.exec.ExecException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * prompt-clip, as job-orchestrate runs it for a prompt job: the local engine (local-prompt-clip) with its title card
 * ({@code run-title-card-ffmpeg}) and voiceover ({@code run-espeak-ng}) runs as mocks that run the command they are
 * given, or fail; a remote model's clip through remote-clip, whose provider call ({@code call-provider}) is a mock.
 * The compile's FFmpeg and the output storage are mocks as in video-compile's test.
 */
class PromptClipRouteTest extends StageRouteTest {
    private static final String HOOK = "http://127.0.0.1:9/hooks/prompt";
    private static final String CIRCUIT_OPEN_MESSAGE =
            "The replicate provider is unavailable right now (circuit open after repeated failures); try again later";

    @Autowired
    RemoteProviders providers;
    @Autowired
    TokenLedger ledger;
    @Autowired
    TransactionTemplate transactions;

    @AfterEach
    void closedBreaker() {
        providers.breaker(ProviderName.REPLICATE).reset();
    }

    /** A PENDING local prompt job made by POST /api/generate (its hand-off to the queue is the mock). */
    private Job generateJob(String body) throws Exception {
        ApiClient.Response created = api.postJsonWithKey("/api/generate", newAccountKey("prompt-" + Ids.newId()),
                body);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        return jobStore.find(created.json().get("job_id").asText()).orElseThrow();
    }

    @Test
    void aBarePromptWithAScriptGetsATitleCardAndAVoiceoverAndTheRenderUsesBoth() throws Exception {
        Job job = generateJob("{\"prompt\":\"A lighthouse in a storm\",\"script\":\"The light stays on.\","
                + "\"webhook_url\":\"" + HOOK + "\"}");
        List<List<String>> titleCards = runsTheCommands(TITLE_CARD_FFMPEG);
        List<List<String>> voiceovers = runsTheCommands(ESPEAK);
        outputsAreStored();
        NotifyBuilder speaking = eventPublished(job, "stage", "voiceover");

        orchestrate(job);

        assertThat(titleCards).singleElement().satisfies(command -> assertThat(command)
                .anyMatch(arg -> arg.endsWith("title-card.png")));
        assertThat(voiceovers).singleElement().satisfies(command -> assertThat(command.get(0)).contains("espeak-ng"));
        assertThat(speaking.matches(10, TimeUnit.SECONDS)).isTrue();
        List<?> render = firstRenderArguments();
        assertThat(render).anyMatch(arg -> arg.toString().endsWith("title-card.png"))
                .anyMatch(arg -> arg.toString().endsWith("voiceover.wav"));
        assertThat(reread(job).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(sentFor(mock(WEBHOOK_QUEUE), job)).isEqualTo(1);
    }

    @Test
    void aPromptWithoutAScriptSpeaksNothing() throws Exception {
        Job job = generateJob("{\"prompt\":\"A quiet harbour at dawn\"}");
        runsTheCommands(TITLE_CARD_FFMPEG);
        outputsAreStored();

        orchestrate(job);

        assertThat(mock(ESPEAK).getReceivedCounter()).isZero();
        assertThat(firstRenderArguments()).noneMatch(arg -> arg.toString().endsWith("voiceover.wav"));
        assertThat(reread(job).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aVoiceoverThatFailsFailsTheJobBeforeAnythingIsRendered() throws Exception {
        Job job = generateJob("{\"prompt\":\"A lighthouse in a storm\",\"script\":\"The light stays on.\","
                + "\"webhook_url\":\"" + HOOK + "\"}");
        runsTheCommands(TITLE_CARD_FFMPEG);
        mock(ESPEAK).whenAnyExchangeReceived(exchange -> {
            throw new ExecException("espeak-ng failed", null,
                    new ByteArrayInputStream("could not open voice".getBytes(StandardCharsets.UTF_8)), 1);
        });

        orchestrate(job);

        Job failed = reread(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        // today the message names FFmpeg for any exec: that fails, espeak-ng included
        assertThat(failed.errorMessage()).startsWith("Rendering failed: ").endsWith(" exited with code 1");
        assertThat(mock(FFMPEG).getReceivedCounter()).as("nothing rendered").isZero();
        assertFailureWebhookQueued(job);
    }

    @Test
    void aRemoteModelsClipFailsAtOnceWhileItsProvidersBreakerIsOpen() throws Exception {
        Job job = replicateJob();
        providers.breaker(ProviderName.REPLICATE).transitionToOpenState();
        NotifyBuilder calling = eventPublished(job, "stage", "generating");

        orchestrate(job);

        assertThat(calling.matches(10, TimeUnit.SECONDS)).as("report-calling-provider").isTrue();
        assertThat(mock(REPLICATE_CALL).getReceivedCounter()).as("calls that reached the provider").isZero();
        Job failed = reread(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.errorMessage()).isEqualTo(CIRCUIT_OPEN_MESSAGE);
        assertThat(mock(FFMPEG).getReceivedCounter()).isZero();
        assertFailureWebhookQueued(job);
    }

    @Test
    void aJobThatFailsThroughNoFaultOfItsRequestGetsItsTokensBackOnce() throws Exception {
        Job job = chargedReplicateJob(50);
        providers.breaker(ProviderName.REPLICATE).transitionToOpenState();
        double refunded = refundedTokens();

        orchestrate(job);

        Job failed = reread(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.errorMessage()).isEqualTo(CIRCUIT_OPEN_MESSAGE);
        assertThat(ledger.balance(job.accountId())).as("the 50 tokens are back").isEqualTo(1000);
        assertThat(ledger.entries(job.accountId(), 10)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.REFUND, LedgerEntry.CHARGE, LedgerEntry.TOP_UP);
        assertThat(jobStore.logs(job.id())).anySatisfy(line -> assertThat(line.message())
                .isEqualTo("50 tokens refunded: the failure was not caused by the request"));
        assertThat(refundedTokens()).as("counted once fail-job's transaction committed").isEqualTo(refunded + 50);
    }

    @Test
    void aRefundRolledBackWithItsTransactionIsNeitherMadeNorCounted() {
        Job job = chargedReplicateJob(40);
        double refunded = refundedTokens();

        // refund-job joins the caller's transaction (as in fail-job), which then rolls back
        transactions.executeWithoutResult(status -> {
            assertThat(refundJob(job).getException()).isNull();
            assertThat(ledger.balance(job.accountId())).as("credited inside the transaction").isEqualTo(1000);
            status.setRollbackOnly();
        });

        assertThat(ledger.balance(job.accountId())).as("the credit rolled back").isEqualTo(960);
        assertThat(ledger.entries(job.accountId(), 10)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.CHARGE, LedgerEntry.TOP_UP);
        assertThat(refundedTokens()).as("a refund rolled back is not counted").isEqualTo(refunded);

        // the same refund in its own transaction (refund-job's, as for a hand-off the broker refused) counts
        refundJob(job);
        assertThat(ledger.balance(job.accountId())).isEqualTo(1000);
        assertThat(refundedTokens()).isEqualTo(refunded + 40);
    }

    @Test
    void aJobWhoseTokensWereAlreadyRefundedIsNotCreditedTwice() throws Exception {
        Job job = chargedReplicateJob(50);
        assertThat(refundJob(job).getVariable("tokensRefunded")).as("refunded elsewhere").isEqualTo(50L);
        providers.breaker(ProviderName.REPLICATE).transitionToOpenState();
        double refunded = refundedTokens();

        orchestrate(job);

        assertThat(reread(job).status()).isEqualTo(JobStatus.FAILED);
        assertThat(ledger.balance(job.accountId())).isEqualTo(1000);
        assertThat(ledger.entries(job.accountId(), 10)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.REFUND, LedgerEntry.CHARGE, LedgerEntry.TOP_UP);
        assertThat(jobStore.logs(job.id())).noneSatisfy(line -> assertThat(line.message())
                .contains("tokens refunded"));
        assertThat(refundedTokens()).as("nothing more counted").isEqualTo(refunded);
    }

    /** refund-job for the job, as fail-job, job-enqueue and a cancel call it. */
    private Exchange refundJob(Job job) {
        return template.send("direct:refund-job", exchange -> {
            exchange.setProperty("jobId", job.id());
            exchange.setVariable("refundReason", "route test");
        });
    }

    private double refundedTokens() {
        return counted("reelroute.tokens", "kind", LedgerEntry.REFUND);
    }

    private List<?> firstRenderArguments() {
        assertThat(mock(FFMPEG).getReceivedCounter()).isEqualTo(1);
        return mock(FFMPEG).getReceivedExchanges().get(0).getMessage().getHeader("CamelExecCommandArgs", List.class);
    }

    /** A PENDING Replicate job charged {@code tokens} of its account's 1000 by charge-job, as a video job is. */
    private Job chargedReplicateJob(long tokens) {
        String accountId = newAccount("prompt-charged-" + Ids.newId()).accountId();
        assertThat(ledger.balance(accountId)).isZero();
        Tokens.topUp(template, accountId, 1000);
        String id = Ids.newId();
        PromptSpec spec = new PromptSpec("a red fox runs through fresh snow", null, "veo-3.1-fast-generate-preview",
                "720p", "16:9", 4, false, false, null, null, List.of());
        Exchange charged = charge(new NewJob(id, accountId, null, Job.KIND_VIDEO_JOB, HOOK, null, null, 0,
                Ids.randomToken(16), spec, "replicate", tokens), 10);
        assertThat(charged.getException()).isNull();
        return jobStore.find(id).orElseThrow();
    }

    /** A PENDING prompt job for a Replicate model, text only. */
    private Job replicateJob() {
        String accountId = newAccount("prompt-remote-" + Ids.newId()).accountId();
        String id = Ids.newId();
        PromptSpec spec = new PromptSpec("a red fox runs through fresh snow", null, "veo-3.1-fast-generate-preview",
                "720p", "16:9", 4, false, false, null, null, List.of());
        return jobStore.insertPendingForAccount(new NewJob(id, accountId, null, Job.KIND_VIDEO_JOB, HOOK, null, null, 0,
                Ids.randomToken(16), spec, "replicate", 0), 10);
    }
}
