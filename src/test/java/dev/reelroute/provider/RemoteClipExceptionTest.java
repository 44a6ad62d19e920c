package dev.reelroute.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Who pays for a failed remote clip, what the job's error says, and what counts against a provider's breaker. */
class RemoteClipExceptionTest {
    @Test
    void anInputTheProviderRejectsIsTheUsersFaultWithTheProvidersWords() {
        ProviderException refused = ProviderException.input(422, "replicate refused the request (422): "
                + "input.duration: must be one of 4, 6, 8");
        RemoteClipException e = RemoteClipException.callFailed(ProviderName.REPLICATE, refused);
        assertThat(e.userFault()).isTrue();
        assertThat(e.getMessage()).isEqualTo("replicate refused the request (422): input.duration: must be one of "
                + "4, 6, 8");
        assertThat(RemoteClipException.isUserFault(new RuntimeException("wrapped", e))).isTrue();
        assertThat(RemoteClipException.isUserFault(refused)).isTrue();
    }

    @Test
    void credentialsCreditAndModelIdsAreTheOperatorsProblemNotTheUsers() {
        RemoteClipException auth = RemoteClipException.callFailed(ProviderName.FAL,
                ProviderException.input(401, "fal refused the request (401): Unauthorized"));
        assertThat(auth.userFault()).isFalse();
        assertThat(auth.getMessage()).isEqualTo("The fal provider refused reelroute's credentials (401); the "
                + "operator must check FAL_KEY");
        assertThat(RemoteClipException.callFailed(ProviderName.REPLICATE,
                ProviderException.input(402, "replicate refused the request (402): Payment required")).getMessage())
                .isEqualTo("The replicate account has run out of credit (402); try again later");
        assertThat(RemoteClipException.callFailed(ProviderName.REPLICATE,
                ProviderException.input(404, "replicate refused the request (404): not found")).userFault()).isFalse();
        assertThat(RemoteClipException.callFailed(ProviderName.FAL,
                ProviderException.input(0, "fal model id must look like owner/app[/path...]")).userFault()).isFalse();
    }

    @Test
    void providerTroubleIsRefundedAndSaysNoUrl() {
        ProviderException down = ProviderException.unavailable(503, "replicate POST http://10.0.0.7:8000/v1/"
                + "predictions answered 503 after 5 attempts: busy", null);
        RemoteClipException e = RemoteClipException.callFailed(ProviderName.REPLICATE, down);
        assertThat(e.userFault()).isFalse();
        assertThat(e.getMessage()).isEqualTo("The replicate provider is unavailable right now (it answered 503, "
                + "after retries); try again later");
        assertThat(RemoteClipException.callFailed(ProviderName.FAL,
                ProviderException.malformed("malformed response from fal to GET http://x/y: invalid JSON", null))
                .getMessage()).isEqualTo("The fal provider gave an answer reelroute cannot use; the clip was not "
                + "made");
        assertThat(RemoteClipException.predictionFailed(ProviderName.FAL, "kling-v2.1", "CUDA out of memory"))
                .hasMessage("The kling-v2.1 model failed on fal: CUDA out of memory")
                .matches(failed -> !failed.userFault());
        assertThat(RemoteClipException.timedOut(ProviderName.FAL, Duration.ofMinutes(15)))
                .hasMessage("The fal prediction did not finish within 15 min; it was cancelled");
        assertThat(RemoteClipException.isUserFault(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void onlyRetryableProviderFailuresCountAgainstTheBreaker() {
        assertThat(RemoteProviders.isProviderTrouble(RemoteClipException.callFailed(ProviderName.REPLICATE,
                ProviderException.unavailable(500, "down", null)))).isTrue();
        assertThat(RemoteProviders.isProviderTrouble(ProviderException.download(0, "reset", null))).isTrue();
        assertThat(RemoteProviders.isProviderTrouble(RemoteClipException.callFailed(ProviderName.REPLICATE,
                ProviderException.input(422, "bad")))).isFalse();
        assertThat(RemoteProviders.isProviderTrouble(ProviderException.malformed("garbage", null))).isFalse();
        assertThat(RemoteProviders.isProviderTrouble(
                RemoteClipException.predictionFailed(ProviderName.FAL, "m", "nsfw"))).isFalse();

        CircuitBreaker open = CircuitBreaker.ofDefaults("test");
        open.transitionToOpenState();
        RemoteClipException refused = RemoteClipException.circuitOpen(ProviderName.REPLICATE,
                CallNotPermittedException.createCallNotPermittedException(open));
        assertThat(refused).hasMessage("The replicate provider is unavailable right now (circuit open after "
                + "repeated failures); try again later");
        assertThat(refused.userFault()).isFalse();
    }
}
