package dev.reelroute.provider;

import static dev.reelroute.provider.ProviderTestSupport.TOKEN;
import static dev.reelroute.provider.ScriptedServer.bytes;
import static dev.reelroute.provider.ScriptedServer.json;
import static dev.reelroute.provider.ScriptedServer.truncated;
import static dev.reelroute.provider.ScriptedServer.video;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** FalProvider against a local server that follows fal's queue API. */
@Timeout(30)
class FalProviderTest extends ProviderProtocolTest<FalProvider> {
    private static final String MODEL = "fal-ai/kling-video/v2.1/standard/image-to-video";
    private static final String SUBMIT = "/" + MODEL;
    private static final String REQUEST = "/fal-ai/kling-video/requests/r1";
    private static final String STATUS = REQUEST + "/status";
    private static final String CANCEL = REQUEST + "/cancel";
    private static final String ID = "fal-ai/kling-video/requests/r1";
    private static final String SUBMITTED = "{\"request_id\":\"r1\",\"status\":\"IN_QUEUE\",\"queue_position\":2,"
            + "\"status_url\":\"{base}" + STATUS + "\",\"response_url\":\"{base}" + REQUEST + "\","
            + "\"cancel_url\":\"{base}" + CANCEL + "\"}";

    @Override
    FalProvider newProvider(URI base) {
        return new FalProvider(ProviderTestSupport.http("fal", base, "Key"));
    }

    static RemoteClipRequest request() {
        return new RemoteClipRequest(MODEL, Map.of("prompt", "a red fox", "image_url", "https://x.test/a.png"));
    }

    static String log(String message) {
        return "{\"message\":\"" + message + "\",\"level\":\"INFO\",\"source\":\"user\","
                + "\"timestamp\":\"2026-11-23T10:00:00.000Z\"}";
    }

    @Test
    void happyPathSubmitPollsAndDownloads() throws Exception {
        byte[] mp4 = video(250_000);
        api.on("POST", SUBMIT, json(200, SUBMITTED));
        api.on("GET", STATUS,
                json(202, "{\"status\":\"IN_QUEUE\",\"queue_position\":1,\"response_url\":\"{base}" + REQUEST + "\"}"),
                json(202, "{\"status\":\"IN_PROGRESS\",\"logs\":[" + log("Loading model") + "]}"),
                json(202, "{\"status\":\"IN_PROGRESS\",\"logs\":[" + log("Loading model") + "," + log("Generating 40%")
                        + "]}"),
                json(200, "{\"status\":\"COMPLETED\",\"logs\":[" + log("Loading model") + "," + log("Generating 40%")
                        + "," + log("Done") + "],\"metrics\":{\"inference_time\":41.2}}"));
        api.on("GET", REQUEST, json(200, "{\"video\":{\"url\":\"{cdn}/files/v.mp4\",\"content_type\":\"video/mp4\"}}"));
        cdn.on("GET", "/files/v.mp4", bytes(mp4));

        RemotePrediction p = provider.submit(request());
        assertThat(p.id()).isEqualTo(ID);
        List<RemotePrediction> seen = new ArrayList<>(List.of(p));
        while (!p.terminal()) {
            p = provider.poll(p.id());
            seen.add(p);
        }

        assertThat(seen).extracting(RemotePrediction::status)
                .containsExactly("queued", "queued", "running", "running", "succeeded");
        assertThat(seen).extracting(RemotePrediction::progressPercent).containsExactly(null, null, null, 40, 100);
        assertThat(seen.get(1).logs()).containsExactly("queued at position 1");
        assertThat(seen.get(3).logs()).containsExactly("Loading model", "Generating 40%");
        assertThat(p.outputUrl()).isEqualTo(cdn.base() + "/files/v.mp4");

        Path target = dir.resolve("clip.mp4");
        provider.download(p.outputUrl(), target, 1_000_000);
        assertThat(Files.readAllBytes(target)).isEqualTo(mp4);

        assertThat(new ObjectMapper().readTree(api.seen("POST", SUBMIT).get(0).body()).get("prompt").asText())
                .isEqualTo("a red fox");
        assertThat(api.seen("GET", STATUS)).extracting(ScriptedServer.Seen::query).containsOnly("logs=1");
        assertThat(api.seen()).extracting(ScriptedServer.Seen::authorization).containsOnly("Key " + TOKEN);
        assertThat(cdn.seen()).extracting(ScriptedServer.Seen::authorization).containsOnlyNulls();
    }

    @Test
    void pollWorksFromTheIdAloneAndAcceptsVideosArray() {
        FalProvider fresh = new FalProvider(ProviderTestSupport.http("fal", api.base(), "Key"));
        api.on("GET", STATUS, json(200, "{\"status\":\"COMPLETED\",\"logs\":[]}"));
        api.on("GET", REQUEST, json(200, "{\"videos\":[{\"url\":\"https://v3.fal.media/files/x.mp4\"}]}"));
        RemotePrediction p = fresh.poll(ID);
        assertThat(p.status()).isEqualTo("succeeded");
        assertThat(p.outputUrl()).isEqualTo("https://v3.fal.media/files/x.mp4");
    }

    @Test
    void tooManyRequestsWaitsForRetryAfterThenSucceeds() {
        api.on("POST", SUBMIT, json(429, "{\"detail\":\"Too many requests\"}", "Retry-After", "1"),
                json(200, SUBMITTED));
        assertThat(provider.submit(request()).status()).isEqualTo("queued");
        List<ScriptedServer.Seen> posts = api.seen("POST", SUBMIT);
        assertThat(posts).hasSize(2);
        assertThat((posts.get(1).nanos() - posts.get(0).nanos()) / 1_000_000).isBetween(950L, 2500L);
    }

    @Test
    void serverErrorIsRetried() {
        api.on("POST", SUBMIT, json(500, "{\"detail\":\"Internal Server Error\"}"), json(200, SUBMITTED));
        assertThat(provider.submit(request()).id()).isEqualTo(ID);
        assertThat(api.seen("POST", SUBMIT)).hasSize(2);
    }

    @Test
    void completedWithAnErrorIsFailed() {
        api.on("GET", STATUS, json(200, "{\"status\":\"COMPLETED\",\"logs\":[],\"error\":\"Generation timed out\","
                + "\"error_type\":\"timeout\"}"));
        RemotePrediction p = provider.poll(ID);
        assertThat(p.status()).isEqualTo("failed");
        assertThat(p.error()).isEqualTo("Generation timed out");
        assertThat(api.seen("GET", REQUEST)).isEmpty();
    }

    @Test
    void anErrorResultIsFailed() {
        api.on("GET", STATUS, json(200, "{\"status\":\"COMPLETED\",\"logs\":[]}"));
        api.on("GET", REQUEST, json(422, "{\"detail\":[{\"loc\":[\"body\",\"image_url\"],"
                + "\"msg\":\"Could not download the image\",\"type\":\"image_load_error\"}]}"));
        RemotePrediction p = provider.poll(ID);
        assertThat(p.status()).isEqualTo("failed");
        assertThat(p.error()).isEqualTo("body.image_url: Could not download the image");
        assertThat(api.seen("GET", REQUEST)).hasSize(1);
    }

    @Test
    void malformedJsonIsNotRetryable() {
        api.on("GET", STATUS, json(202, "<html>gateway</html>"));
        ProviderException e = catchThrowableOfType(() -> provider.poll(ID), ProviderException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("malformed");
        assertThat(api.seen("GET", STATUS)).hasSize(1);
    }

    @Test
    void inputErrorIsNotRetriedAndCarriesTheDetail() {
        api.on("POST", SUBMIT, json(422, "{\"detail\":[{\"loc\":[\"body\",\"duration\"],"
                + "\"msg\":\"Input should be '5' or '10'\",\"type\":\"enum\"}]}"));
        ProviderException e = catchThrowableOfType(() -> provider.submit(request()), ProviderException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.getMessage()).contains("body.duration: Input should be '5' or '10'");
        assertThat(api.seen("POST", SUBMIT)).hasSize(1);
    }

    @Test
    void cancelPutsToTheCancelUrl() {
        api.on("POST", SUBMIT, json(200, SUBMITTED));
        api.on("PUT", CANCEL, json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}"));
        provider.cancel(provider.submit(request()).id());
        assertThat(api.seen("PUT", CANCEL)).hasSize(1)
                .extracting(ScriptedServer.Seen::authorization).containsExactly("Key " + TOKEN);
    }

    @Test
    void cancellingACompletedRequestIsANoOp() {
        api.on("PUT", CANCEL, json(400, "{\"status\":\"ALREADY_COMPLETED\"}"));
        provider.cancel(ID);
        assertThat(api.seen("PUT", CANCEL)).hasSize(1);
    }

    @Test
    void theTokenAppearsInNoExceptionMessage() throws Exception {
        List<ProviderException> failures = new ArrayList<>();
        api.on("POST", SUBMIT, json(401, "{\"detail\":\"No user found for Key " + TOKEN + "\"}"));
        failures.add(catchThrowableOfType(() -> provider.submit(request()), ProviderException.class));
        api.on("GET", STATUS, json(503, "{\"detail\":\"" + TOKEN + "\"}"));
        failures.add(catchThrowableOfType(() -> provider.poll(ID), ProviderException.class));
        api.on("GET", "/fal-ai/kling-video/requests/r2/status", json(200, "{\"status\":\"" + TOKEN + "\"}"));
        failures.add(catchThrowableOfType(() -> provider.poll("fal-ai/kling-video/requests/r2"),
                ProviderException.class));
        cdn.on("GET", "/cut.mp4", truncated(video(100_000)));
        failures.add(catchThrowableOfType(() -> provider.download(cdn.base() + "/cut.mp4", dir.resolve("a.mp4"),
                1_000_000), ProviderException.class));
        cdn.on("GET", "/big.mp4", bytes(video(100_000)));
        failures.add(catchThrowableOfType(() -> provider.download(cdn.base() + "/big.mp4", dir.resolve("b.mp4"),
                10), ProviderException.class));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        FalProvider nowhere = new FalProvider(ProviderTestSupport.http("fal",
                URI.create("http://127.0.0.1:" + closedPort), "Key"));
        failures.add(catchThrowableOfType(() -> nowhere.submit(request()), ProviderException.class));

        assertThat(failures).doesNotContainNull();
        assertThat(failures).extracting(ProviderException::kind).containsExactly(
                ProviderException.Kind.INPUT, ProviderException.Kind.UNAVAILABLE, ProviderException.Kind.MALFORMED,
                ProviderException.Kind.DOWNLOAD, ProviderException.Kind.DOWNLOAD,
                ProviderException.Kind.UNAVAILABLE);
        failures.forEach(ProviderTestSupport::assertNoToken);
    }
}
