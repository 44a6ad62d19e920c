package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.LedgerEntry;
import dev.reelroute.tokens.TokenLedger;
import dev.reelroute.tokens.TopUp;
import java.util.List;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's top-up and a cancel's refund as the service makes them (token-ledger.camel.yaml), and what ops counts
 * of them (reelroute.tokens): a top-up through top-up-account, counted once committed and neither made nor counted
 * when its caller's transaction rolls back; a video job cancelled before it ran, its tokens given back by refund-job
 * (refund-cancelled-video-job) with a line in its log. A job's charge is JobChargeRouteTest's, a failed job's refund
 * PromptClipRouteTest's.
 */
class TokenLedgerRouteTest extends StageRouteTest {
    private static final long COST = 50;

    @Autowired
    TokenLedger ledger;
    @Autowired
    TransactionTemplate transactions;

    private AccountStore.CreatedKey account;

    @BeforeEach
    void account() {
        account = newAccount("token-ledger-" + Ids.newId());
    }

    private Exchange topUp(long amount, String reason) {
        return template.send("direct:top-up-account",
                exchange -> exchange.setVariable("topUp", new TopUp(account.accountId(), amount, reason)));
    }

    private double counted(String kind) {
        return counted("reelroute.tokens", "kind", kind);
    }

    @Test
    void aTopUpIsCreditedWithItsLedgerRowAndCountedOnceCommitted() {
        double counted = counted(LedgerEntry.TOP_UP);

        Exchange done = topUp(120, "welcome");

        assertThat(done.getException()).isNull();
        assertThat(done.getVariable("tokenBalance", Long.class)).isEqualTo(120);
        assertThat(done.getMessage().getHeaders()).as("no temporary header left").doesNotContainKey("tokenBalance");
        assertThat(ledger.balance(account.accountId())).isEqualTo(120);
        assertThat(ledger.entries(account.accountId(), 10)).singleElement().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo(LedgerEntry.TOP_UP);
            assertThat(entry.amount()).isEqualTo(120);
            assertThat(entry.balanceAfter()).isEqualTo(120);
            assertThat(entry.jobId()).isNull();
            assertThat(entry.reason()).isEqualTo("welcome");
        });
        assertThat(counted(LedgerEntry.TOP_UP) - counted).isEqualTo(120);
    }

    @Test
    void aTopUpRolledBackWithItsCallersTransactionIsNeitherMadeNorCounted() {
        Tokens.topUp(template, account.accountId(), 120);
        double counted = counted(LedgerEntry.TOP_UP);

        // top-up-account joins the caller's transaction, which then rolls back
        transactions.executeWithoutResult(status -> {
            assertThat(topUp(30, "a top-up whose transaction fails").getException()).isNull();
            assertThat(ledger.balance(account.accountId())).as("credited inside the transaction").isEqualTo(150);
            status.setRollbackOnly();
        });

        assertThat(ledger.balance(account.accountId())).isEqualTo(120);
        assertThat(ledger.entries(account.accountId(), 10)).extracting(LedgerEntry::amount).containsExactly(120L);
        assertThat(counted(LedgerEntry.TOP_UP)).as("a top-up rolled back is not counted").isEqualTo(counted);
    }

    @Test
    void aVideoJobCancelledBeforeItRanGetsItsTokensBackThroughRefundJobAndIsCounted() throws Exception {
        Tokens.topUp(template, account.accountId(), 120);
        String id = Ids.newId();
        PromptSpec spec = new PromptSpec("a lighthouse in a storm", null, "veo-3.1-fast-generate-preview", "720p",
                "16:9", 4, true, false, null, null, List.of());
        assertThat(charge(new NewJob(id, account.accountId(), account.keyId(), Job.KIND_VIDEO_JOB, null, null, null,
                0, Ids.randomToken(16), spec, "local", COST), 3).getException()).isNull();
        assertThat(ledger.balance(account.accountId())).isEqualTo(120 - COST);
        double counted = counted(LedgerEntry.REFUND);

        ApiClient.Response cancelled = api.post("/api/v1/video-jobs/" + id + "/cancel", account.apiKey());

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        JsonNode answer = cancelled.json();
        assertThat(answer.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(answer.get("logs").findValuesAsText("message")).as("the answer's log has the refund")
                .contains("Cancelled before it started: 50 tokens refunded");
        assertThat(ledger.balance(account.accountId())).isEqualTo(120);
        assertThat(ledger.entries(account.accountId(), 10)).first().satisfies(refund -> {
            assertThat(refund.kind()).isEqualTo(LedgerEntry.REFUND);
            assertThat(refund.jobId()).isEqualTo(id);
            assertThat(refund.amount()).isEqualTo(COST);
            assertThat(refund.balanceAfter()).isEqualTo(120);
            assertThat(refund.reason()).isEqualTo("Cancelled before it ran");
        });
        assertThat(counted(LedgerEntry.REFUND) - counted).as("counted once committed").isEqualTo(COST);
    }
}
