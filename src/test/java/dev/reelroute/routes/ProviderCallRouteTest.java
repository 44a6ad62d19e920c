package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.provider.ProviderException;
import dev.reelroute.provider.ProviderName;
import dev.reelroute.provider.RemoteClipException;
import dev.reelroute.provider.RemoteClipRun;
import dev.reelroute.provider.RemoteClips;
import dev.reelroute.provider.RemoteProviders;
import dev.reelroute.support.TestMedia;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * provider-call (Replicate's) and the remote-clip route around it, with the provider call itself
 * ({@code call-provider}) a mock: a call goes through the provider's circuit breaker and its failure back to the
 * caller as it is; only the provider's own trouble (5xx, not a refused input) opens the breaker, and once it is open a
 * clip fails at once with a message that says so, without calling the provider. The default breaker opens when at
 * least half of the last calls failed, after at least five. The HTTP protocol itself is RemoteClipRouteTest's.
 */
class ProviderCallRouteTest extends StageRouteTest {
    private static final int CALLS_BEFORE_THE_BREAKER_DECIDES = 5;
    private static final String CIRCUIT_OPEN_MESSAGE =
            "The replicate provider is unavailable right now (circuit open after repeated failures); try again later";

    @Autowired
    RemoteClips remoteClips;
    @Autowired
    RemoteProviders providers;

    private CircuitBreaker breaker;

    @BeforeEach
    void closedBreaker() {
        breaker = providers.breaker(ProviderName.REPLICATE);
        breaker.reset();
    }

    @Test
    void aCallReachesTheProviderThroughTheClosedBreaker() throws Exception {
        RemoteClipRun run = remoteClips.start(promptJob().id());
        MockEndpoint provider = mock(REPLICATE_CALL);
        provider.expectedMessageCount(1);
        provider.expectedPropertyReceived("providerOperation", RemoteClips.SUBMIT);

        Exchange call = callProvider(run, RemoteClips.SUBMIT);

        provider.assertIsSatisfied();
        assertThat(call.getException()).isNull();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    }

    @Test
    void aProviderFailureGoesBackToTheCallerAsItIs() throws Exception {
        RemoteClipRun run = remoteClips.start(promptJob().id());
        ProviderException unavailable = ProviderException.unavailable(503, "Replicate answered 503", null);
        mock(REPLICATE_CALL).whenAnyExchangeReceived(exchange -> {
            throw unavailable;
        });

        Exchange call = callProvider(run, RemoteClips.POLL);

        assertThat(call.getException()).isSameAs(unavailable);
        assertThat(mock(REPLICATE_CALL).getReceivedCounter()).isEqualTo(1);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    @Test
    void repeatedServerErrorsOpenTheBreakerAndTheNextClipFailsAtOnceWithoutCallingTheProvider() throws Exception {
        Job job = promptJob();
        RemoteClipRun run = remoteClips.start(job.id());
        mock(REPLICATE_CALL).whenAnyExchangeReceived(exchange -> {
            throw ProviderException.unavailable(502, "Replicate answered 502", null);
        });
        for (int i = 0; i < CALLS_BEFORE_THE_BREAKER_DECIDES; i++) {
            assertThat(callProvider(run, RemoteClips.POLL).getException()).isInstanceOf(ProviderException.class);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        MockEndpoint.resetMocks(camel);

        // the next clip, through the whole remote-clip route: refused at its submit
        Exchange clip = template.send("direct:remote-clip", exchange -> exchange.setProperty("jobId", job.id()));

        assertThat(clip.getException()).isInstanceOf(RemoteClipException.class).hasMessage(CIRCUIT_OPEN_MESSAGE);
        assertThat(mock(REPLICATE_CALL).getReceivedCounter()).as("calls that reached the provider").isZero();
        assertThat(clip.getProperty("remoteVideo")).isNull();
        assertThat(RemoteClipException.isUserFault(clip.getException())).as("refunded, not the user's fault").isFalse();
    }

    @Test
    void refusedInputsDoNotOpenTheBreaker() throws Exception {
        RemoteClipRun run = remoteClips.start(promptJob().id());
        mock(REPLICATE_CALL).whenAnyExchangeReceived(exchange -> {
            throw ProviderException.input(422, "Replicate refused the input: prompt too long");
        });
        for (int i = 0; i < CALLS_BEFORE_THE_BREAKER_DECIDES; i++) {
            assertThat(callProvider(run, RemoteClips.SUBMIT).getException())
                    .hasMessageContaining("prompt too long");
        }

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(mock(REPLICATE_CALL).getReceivedCounter()).isEqualTo(CALLS_BEFORE_THE_BREAKER_DECIDES);
    }

    private Exchange callProvider(RemoteClipRun run, String operation) {
        return template.send("direct:provider-call-replicate", exchange -> {
            exchange.setProperty("remoteRun", run);
            exchange.setProperty("providerOperation", operation);
        });
    }

    /** A PROCESSING prompt job for a Replicate model, its initial image in storage. */
    private Job promptJob() throws Exception {
        String accountId = newAccount("provider-call-" + Ids.newId()).accountId();
        String id = Ids.newId();
        String imageKey = "inputs/" + id + "/initial.png";
        storage.put(imageKey, TestMedia.png(Files.createTempDirectory(dataDir, "inputs-"), 64, 36), "image/png");
        PromptSpec spec = new PromptSpec("a red fox runs through fresh snow", null, "veo-3.1-fast-generate-preview",
                "1080p", "16:9", 8, false, false, imageKey, null, List.of());
        jobStore.insertPendingForAccount(new NewJob(id, accountId, null, Job.KIND_VIDEO_JOB, null, imageKey, null, 0,
                Ids.randomToken(16), spec, null, 50), 10);
        assertThat(claimAs(id, "route-test", Duration.ofMinutes(5)).claimed()).isTrue();
        return jobStore.find(id).orElseThrow();
    }
}
