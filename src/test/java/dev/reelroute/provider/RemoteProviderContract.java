package dev.reelroute.provider;

import static dev.reelroute.provider.ProviderTestSupport.TOKEN;
import static dev.reelroute.provider.ScriptedServer.bytes;
import static dev.reelroute.provider.ScriptedServer.json;
import static dev.reelroute.provider.ScriptedServer.truncated;
import static dev.reelroute.provider.ScriptedServer.video;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every remote provider adapter must do, whatever its protocol: each scenario runs against a local server
 * that a subclass scripts in its provider's documented API, with a second server standing in for the CDN that
 * serves outputs. The adapter calls through the provider-http routes (in a Camel context of their own); the waits
 * Retry-After asks for are recorded.
 */
@Timeout(30)
abstract class RemoteProviderContract<P extends RemoteVideoProvider> {
    /** Where the scripted generations put their video: {@code {cdn}} + this. */
    static final String OUTPUT_PATH = "/files/out.mp4";

    @TempDir
    Path dir;
    ScriptedServer api;
    ScriptedServer cdn;
    P provider;
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    // ---------------------------------------------------------------------------- the provider's protocol

    /** The adapter, talking to its API through {@code http}. */
    abstract P newProvider(ProviderHttp http);

    /** The provider's name, as the service calls it. */
    abstract String name();

    /** The Authorization scheme of the provider's API ("Bearer", "Key"). */
    abstract String authScheme();

    abstract RemoteClipRequest request();

    /** The path a generation is submitted to (POST). */
    abstract String submitPath();

    /** The answer to a submit; the generation it starts has {@link #submittedId()}. */
    abstract ScriptedServer.Reply submitted();

    abstract String submittedId();

    /** A generation id as the adapter hands it out, from the provider's own name for it. */
    abstract String id(String name);

    /** Where the state of generation {@code id} is read (GET). */
    abstract String pollPath(String id);

    /** A state read's answer: still running. */
    abstract ScriptedServer.Reply running();

    /** A state read's answer: the generation failed with {@code error}. */
    abstract ScriptedServer.Reply failedGeneration(String id, String error);

    /** The provider's answer to a submit with invalid input (422), and the detail the adapter must carry. */
    abstract ScriptedServer.Reply inputError();

    abstract String inputErrorDetail();

    abstract String cancelMethod();

    abstract String cancelPath(String id);

    abstract ScriptedServer.Reply cancelAccepted();

    /** Scripts one generation from submit to a video at {@code {cdn}} + {@link #OUTPUT_PATH}, with progress. */
    abstract void scriptGeneration();

    /** The progress of each state the adapter reports while following {@link #scriptGeneration()}. */
    abstract List<Integer> generationProgress();

    /** The log lines of the fourth state (the second one running). */
    abstract List<String> runningLogs();

    /** What the provider's API asks of the requests themselves (bodies, queries), after the generation. */
    abstract void assertGenerationRequests(List<RemotePrediction> states) throws Exception;

    // ---------------------------------------------------------------------------- the fixture

    ProviderHttp http(URI base) {
        return ProviderTestSupport.http(name(), base, waits::add);
    }

    @BeforeEach
    void startServers() throws Exception {
        api = new ScriptedServer();
        cdn = new ScriptedServer();
        api.cdn(cdn.base().toString());
        provider = newProvider(http(api.base()));
    }

    @AfterEach
    void stopServers() {
        ProviderTestSupport.closeRoutes();
        api.close();
        cdn.close();
    }

    // ---------------------------------------------------------------------------- the scenarios

    @Test
    void happyPathSubmitPollsAndDownloads() throws Exception {
        byte[] mp4 = video(300_000);
        scriptGeneration();
        cdn.on("GET", OUTPUT_PATH, bytes(mp4));

        RemotePrediction p = provider.submit(request());
        assertThat(p.id()).isEqualTo(submittedId());
        List<RemotePrediction> states = new ArrayList<>(List.of(p));
        while (!p.terminal()) {
            p = provider.poll(p.id());
            states.add(p);
        }

        assertThat(states).extracting(RemotePrediction::status)
                .containsExactly("queued", "queued", "running", "running", "succeeded");
        assertThat(states).extracting(RemotePrediction::progressPercent)
                .containsExactlyElementsOf(generationProgress());
        assertThat(states.get(3).logs()).containsExactlyElementsOf(runningLogs());
        assertThat(p.outputUrl()).isEqualTo(cdn.base() + OUTPUT_PATH);
        assertThat(p.error()).isNull();

        Path target = dir.resolve("clips/clip-1.mp4");
        assertThat(provider.download(p.outputUrl(), target, 1_000_000)).isEqualTo(target);
        assertThat(Files.readAllBytes(target)).isEqualTo(mp4);
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }

        assertGenerationRequests(states);
        assertThat(api.seen()).extracting(ScriptedServer.Seen::authorization)
                .containsOnly(authScheme() + " " + TOKEN);
        assertThat(cdn.seen()).extracting(ScriptedServer.Seen::authorization)
                .as("the token is not sent to the output host").containsOnlyNulls();
    }

    @Test
    void tooManyRequestsWaitsForRetryAfterThenSucceeds() {
        api.on("POST", submitPath(), json(429, "{\"detail\":\"Too many requests\"}", "Retry-After", "1"),
                submitted());

        assertThat(provider.submit(request()).status()).isEqualTo("queued");

        assertThat(api.seen("POST", submitPath())).hasSize(2);
        assertThat(waits).as("waited as long as Retry-After said").containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void serverErrorOnSubmitIsRetried() {
        api.on("POST", submitPath(), json(500, "{\"detail\":\"Internal Server Error\"}"), submitted());
        assertThat(provider.submit(request()).id()).isEqualTo(submittedId());
        assertThat(api.seen("POST", submitPath())).hasSize(2);
    }

    @Test
    void serverErrorOnPollIsRetried() {
        api.on("GET", pollPath(submittedId()), json(500, "{\"detail\":\"boom\"}"), running());
        assertThat(provider.poll(submittedId()).status()).isEqualTo("running");
        assertThat(api.seen("GET", pollPath(submittedId()))).hasSize(2);
    }

    @Test
    void persistentServerErrorsEndRetryable() {
        api.on("GET", pollPath(submittedId()), json(503, "{\"detail\":\"down for maintenance\"}"));
        ProviderException e = catchThrowableOfType(() -> provider.poll(submittedId()), ProviderException.class);
        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("down for maintenance");
        assertThat(api.seen("GET", pollPath(submittedId()))).hasSize(4); // 1 + maxRetries
    }

    @Test
    void aFailedGenerationSurfacesItsError() {
        api.on("GET", pollPath(submittedId()), failedGeneration(submittedId(), "CUDA out of memory"));
        RemotePrediction p = provider.poll(submittedId());
        assertThat(p.status()).isEqualTo("failed");
        assertThat(p.error()).isEqualTo("CUDA out of memory");
        assertThat(p.outputUrl()).isNull();
        assertThat(api.seen()).as("nothing is fetched beyond the state").extracting(ScriptedServer.Seen::path)
                .containsOnly(pollPath(submittedId()));
    }

    @Test
    void malformedJsonIsNotRetryable() {
        Map<String, String> bodies = Map.of("r5", "<html>gateway</html>", "r6", "{\"id\":\"r6\",\"status\":");
        for (var named : bodies.entrySet()) {
            String id = id(named.getKey());
            String malformed = named.getValue();
            api.on("GET", pollPath(id), json(200, malformed));
            ProviderException e = catchThrowableOfType(() -> provider.poll(id), ProviderException.class);
            assertThat(e.retryable()).as(malformed).isFalse();
            assertThat(e.getMessage()).as(malformed).contains("malformed");
            assertThat(api.seen("GET", pollPath(id))).as(malformed).hasSize(1);
        }
    }

    @Test
    void inputErrorIsNotRetriedAndCarriesTheDetail() {
        api.on("POST", submitPath(), inputError());
        ProviderException e = catchThrowableOfType(() -> provider.submit(request()), ProviderException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.getMessage()).contains(inputErrorDetail());
        assertThat(api.seen("POST", submitPath())).hasSize(1);
    }

    @Test
    void cancelGoesToTheCancelUrlWithTheToken() {
        api.on("POST", submitPath(), submitted());
        api.on(cancelMethod(), cancelPath(submittedId()), cancelAccepted());
        provider.cancel(provider.submit(request()).id());
        assertThat(api.seen(cancelMethod(), cancelPath(submittedId()))).hasSize(1)
                .extracting(ScriptedServer.Seen::authorization).containsExactly(authScheme() + " " + TOKEN);
    }

    @Test
    void cancelFromTheIdAloneUsesTheDefaultPath() {
        String id = id("r9");
        api.on(cancelMethod(), cancelPath(id), cancelAccepted());
        provider.cancel(id);
        assertThat(api.seen(cancelMethod(), cancelPath(id))).hasSize(1);
    }

    @Test
    void plainHttpOutputOnAnotherHostIsRefused() {
        ProviderException e = catchThrowableOfType(
                () -> provider.download("http://example.com/out.mp4", dir.resolve("clip.mp4"), 1000),
                ProviderException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(cdn.seen()).isEmpty();
    }

    @Test
    void theTokenAppearsInNoExceptionMessage() throws Exception {
        List<ProviderException> failures = new ArrayList<>();
        // refused, with a body that echoes the token
        api.on("POST", submitPath(), json(401, "{\"detail\":\"Invalid token " + TOKEN + "\"}"));
        failures.add(catchThrowableOfType(() -> provider.submit(request()), ProviderException.class));
        // unavailable after the retries
        api.on("GET", pollPath(submittedId()), json(502, "{\"detail\":\"bad gateway for " + TOKEN + "\"}"));
        failures.add(catchThrowableOfType(() -> provider.poll(submittedId()), ProviderException.class));
        // malformed: not JSON, or a state the API does not have
        String notJson = id("r2");
        api.on("GET", pollPath(notJson), json(200, "not json " + TOKEN));
        failures.add(catchThrowableOfType(() -> provider.poll(notJson), ProviderException.class));
        String unknownState = id("r4");
        api.on("GET", pollPath(unknownState), json(200, "{\"id\":\"r4\",\"status\":\"" + TOKEN + "\"}"));
        failures.add(catchThrowableOfType(() -> provider.poll(unknownState), ProviderException.class));
        // a failed generation: its error and logs are redacted too
        String failedId = id("r3");
        api.on("GET", pollPath(failedId), failedGeneration(failedId, "auth " + TOKEN));
        RemotePrediction failed = provider.poll(failedId);
        assertThat(failed.error() + failed.logs()).doesNotContain(TOKEN);
        // a download cut short, a download too large
        cdn.on("GET", "/cut.mp4", truncated(video(100_000)));
        failures.add(catchThrowableOfType(() -> provider.download(cdn.base() + "/cut.mp4", dir.resolve("a.mp4"),
                1_000_000), ProviderException.class));
        cdn.on("GET", "/big.mp4", bytes(video(100_000)));
        failures.add(catchThrowableOfType(() -> provider.download(cdn.base() + "/big.mp4", dir.resolve("b.mp4"),
                10), ProviderException.class));
        // nobody listening, on submit and on poll
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        P nowhere = newProvider(http(URI.create("http://127.0.0.1:" + closedPort)));
        failures.add(catchThrowableOfType(() -> nowhere.submit(request()), ProviderException.class));
        failures.add(catchThrowableOfType(() -> nowhere.poll(submittedId()), ProviderException.class));

        assertThat(failures).doesNotContainNull();
        assertThat(failures).extracting(ProviderException::kind).containsExactly(
                ProviderException.Kind.INPUT, ProviderException.Kind.UNAVAILABLE, ProviderException.Kind.MALFORMED,
                ProviderException.Kind.MALFORMED, ProviderException.Kind.DOWNLOAD, ProviderException.Kind.DOWNLOAD,
                ProviderException.Kind.UNAVAILABLE, ProviderException.Kind.UNAVAILABLE);
        failures.forEach(ProviderTestSupport::assertNoToken);
        assertThat(ProviderTestSupport.settings(api.base()).toString()).doesNotContain(TOKEN);
    }
}
