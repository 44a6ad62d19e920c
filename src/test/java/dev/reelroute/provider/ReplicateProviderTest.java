package dev.reelroute.provider;

import static dev.reelroute.provider.ProviderTestSupport.TOKEN;
import static dev.reelroute.provider.ProviderTestSupport.assertNoToken;
import static dev.reelroute.provider.ScriptedServer.bytes;
import static dev.reelroute.provider.ScriptedServer.json;
import static dev.reelroute.provider.ScriptedServer.truncated;
import static dev.reelroute.provider.ScriptedServer.video;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
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

/** ReplicateProvider against a local server that follows Replicate's predictions API. */
@Timeout(30)
class ReplicateProviderTest extends ProviderProtocolTest<ReplicateProvider> {
    private static final String CREATE = "/v1/models/acme/video-model/predictions";
    private static final String GET = "/v1/predictions/p1";

    @Override
    ReplicateProvider newProvider(URI base) {
        return new ReplicateProvider(ProviderTestSupport.http("replicate", base, "Bearer"));
    }

    static String prediction(String status, String logs, String output, String error) {
        return "{\"id\":\"p1\",\"model\":\"acme/video-model\",\"status\":\"" + status + "\",\"logs\":"
                + (logs == null ? "null" : "\"" + logs + "\"") + ",\"output\":" + output + ",\"error\":"
                + (error == null ? "null" : "\"" + error + "\"")
                + ",\"urls\":{\"get\":\"{base}/v1/predictions/p1\",\"cancel\":\"{base}/v1/predictions/p1/cancel\"}}";
    }

    static RemoteClipRequest request() {
        return new RemoteClipRequest("acme/video-model", Map.of("prompt", "a red fox", "duration", 5));
    }

    @Test
    void happyPathSubmitPollsAndDownloads() throws Exception {
        byte[] mp4 = video(300_000);
        api.on("POST", CREATE, json(201, prediction("starting", "", "null", null)));
        api.on("GET", GET,
                json(200, prediction("starting", "", "null", null)),
                json(200, prediction("processing", "loading weights\\n  10%|#         | 1/10", "null", null)),
                json(200, prediction("processing", "loading weights\\n  10%|#         | 1/10\\r  60%|######    | 6/10",
                        "null", null)),
                json(200, prediction("succeeded", "loading weights\\n100%|##########| 10/10", "[\"{cdn}/out.mp4\"]",
                        null)));
        cdn.on("GET", "/out.mp4", bytes(mp4));

        RemotePrediction p = provider.submit(request());
        List<RemotePrediction> seen = new ArrayList<>(List.of(p));
        while (!p.terminal()) {
            p = provider.poll(p.id());
            seen.add(p);
        }

        assertThat(seen).extracting(RemotePrediction::status)
                .containsExactly("queued", "queued", "running", "running", "succeeded");
        assertThat(seen).extracting(RemotePrediction::progressPercent)
                .containsExactly(null, null, 10, 60, 100);
        assertThat(seen.get(3).logs()).containsExactly("loading weights", "10%|#         | 1/10",
                "60%|######    | 6/10");
        assertThat(p.outputUrl()).isEqualTo(cdn.base() + "/out.mp4");
        assertThat(p.error()).isNull();

        Path target = dir.resolve("clips/clip-1.mp4");
        assertThat(provider.download(p.outputUrl(), target, 1_000_000)).isEqualTo(target);
        assertThat(Files.readAllBytes(target)).isEqualTo(mp4);
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }

        JsonNode body = new ObjectMapper().readTree(api.seen("POST", CREATE).get(0).body());
        assertThat(body.has("version")).isFalse();
        assertThat(body.get("input").get("prompt").asText()).isEqualTo("a red fox");
        assertThat(api.seen()).extracting(ScriptedServer.Seen::authorization).containsOnly("Bearer " + TOKEN);
        assertThat(cdn.seen()).extracting(ScriptedServer.Seen::authorization)
                .as("the token is not sent to the output host").containsOnlyNulls();
    }

    @Test
    void versionedModelsUseThePredictionsEndpoint() throws Exception {
        api.on("POST", "/v1/predictions", json(201, prediction("starting", null, "null", null)));
        provider.submit(new RemoteClipRequest("acme/video-model:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
                Map.of("prompt", "x")));
        JsonNode body = new ObjectMapper().readTree(api.seen("POST", "/v1/predictions").get(0).body());
        assertThat(body.get("version").asText())
                .isEqualTo("5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa");
        assertThat(body.get("input").get("prompt").asText()).isEqualTo("x");
    }

    @Test
    void tooManyRequestsWaitsForRetryAfterThenSucceeds() {
        api.on("POST", CREATE,
                json(429, "{\"detail\":\"Request was throttled.\"}", "Retry-After", "1"),
                json(201, prediction("starting", "", "null", null)));

        RemotePrediction p = provider.submit(request());

        assertThat(p.status()).isEqualTo("queued");
        List<ScriptedServer.Seen> posts = api.seen("POST", CREATE);
        assertThat(posts).hasSize(2);
        long waitedMs = (posts.get(1).nanos() - posts.get(0).nanos()) / 1_000_000;
        assertThat(waitedMs).isBetween(950L, 2500L);
    }

    @Test
    void serverErrorIsRetried() {
        api.on("GET", GET, json(500, "{\"detail\":\"boom\"}"),
                json(200, prediction("processing", "", "null", null)));
        assertThat(provider.poll("p1").status()).isEqualTo("running");
        assertThat(api.seen("GET", GET)).hasSize(2);
    }

    @Test
    void persistentServerErrorsEndRetryable() {
        api.on("GET", GET, json(503, "{\"detail\":\"down for maintenance\"}"));
        ProviderException e = catchThrowableOfType(() -> provider.poll("p1"), ProviderException.class);
        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("down for maintenance");
        assertThat(api.seen("GET", GET)).hasSize(4); // 1 + maxRetries
    }

    @Test
    void failedPredictionSurfacesTheError() {
        api.on("GET", GET, json(200, prediction("failed", "step 1\\nCUDA out of memory", "null",
                "CUDA out of memory")));
        RemotePrediction p = provider.poll("p1");
        assertThat(p.status()).isEqualTo("failed");
        assertThat(p.error()).isEqualTo("CUDA out of memory");
        assertThat(p.outputUrl()).isNull();
    }

    @Test
    void malformedJsonIsNotRetryable() {
        api.on("GET", GET, json(200, "{\"id\":\"p1\",\"status\":"));
        ProviderException e = catchThrowableOfType(() -> provider.poll("p1"), ProviderException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("malformed");
        assertThat(api.seen("GET", GET)).hasSize(1);
    }

    @Test
    void inputErrorIsNotRetriedAndCarriesTheDetail() {
        api.on("POST", CREATE, json(422, "{\"title\":\"Input validation failed\",\"status\":422,"
                + "\"detail\":\"- input.duration: duration must be one of 5, 10\"}",
                "Content-Type", "application/problem+json"));
        ProviderException e = catchThrowableOfType(() -> provider.submit(request()), ProviderException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.getMessage()).contains("duration must be one of 5, 10");
        assertThat(api.seen("POST", CREATE)).hasSize(1);
    }

    @Test
    void cancelPostsToTheCancelUrl() {
        api.on("POST", CREATE, json(201, prediction("starting", "", "null", null)));
        api.on("POST", "/v1/predictions/p1/cancel", json(200, prediction("canceled", "", "null", null)));
        RemotePrediction p = provider.submit(request());
        provider.cancel(p.id());
        assertThat(api.seen("POST", "/v1/predictions/p1/cancel")).hasSize(1)
                .extracting(ScriptedServer.Seen::authorization).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void aCancelledPredictionsUrlsAreForgotten() {
        api.on("POST", CREATE, json(201, prediction("starting", "", "null", null)
                .replace("{base}/v1/predictions/p1\"", "{base}/v1/elsewhere/p1\"")));
        api.on("POST", "/v1/predictions/p1/cancel", json(200, "{}"));
        api.on("GET", "/v1/predictions/p1", json(200, prediction("canceled", "", "null", null)));
        provider.cancel(provider.submit(request()).id());
        // the next poll no longer follows the remembered urls.get, but the default path
        assertThat(provider.poll("p1").status()).isEqualTo(RemotePrediction.CANCELED);
        assertThat(api.seen("GET", "/v1/elsewhere/p1")).isEmpty();
    }

    @Test
    void cancelWithoutKnownUrlsUsesTheDefaultPath() {
        api.on("POST", "/v1/predictions/p9/cancel", json(200, "{}"));
        provider.cancel("p9");
        assertThat(api.seen("POST", "/v1/predictions/p9/cancel")).hasSize(1);
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
        // input error whose body echoes the token
        api.on("POST", CREATE, json(401, "{\"detail\":\"Invalid token " + TOKEN + "\"}"));
        failures.add(catchThrowableOfType(() -> provider.submit(request()), ProviderException.class));
        // unavailable after retries
        api.on("GET", GET, json(502, "{\"detail\":\"bad gateway for " + TOKEN + "\"}"));
        failures.add(catchThrowableOfType(() -> provider.poll("p1"), ProviderException.class));
        // malformed
        api.on("GET", "/v1/predictions/p2", json(200, "not json " + TOKEN));
        failures.add(catchThrowableOfType(() -> provider.poll("p2"), ProviderException.class));
        // failed prediction: the error is redacted too
        api.on("GET", "/v1/predictions/p3", json(200, prediction("failed", TOKEN, "null", "auth " + TOKEN)
                .replace("\"p1\"", "\"p3\"")));
        RemotePrediction failed = provider.poll("p3");
        assertThat(failed.error() + failed.logs()).doesNotContain(TOKEN);
        // download broken, download too large
        cdn.on("GET", "/cut.mp4", truncated(video(100_000)));
        failures.add(catchThrowableOfType(() -> provider.download(cdn.base() + "/cut.mp4", dir.resolve("a.mp4"),
                1_000_000), ProviderException.class));
        cdn.on("GET", "/big.mp4", bytes(video(100_000)));
        failures.add(catchThrowableOfType(() -> provider.download(cdn.base() + "/big.mp4", dir.resolve("b.mp4"),
                10), ProviderException.class));
        // connection refused
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ReplicateProvider nowhere = new ReplicateProvider(ProviderTestSupport.http("replicate",
                URI.create("http://127.0.0.1:" + closedPort), "Bearer"));
        failures.add(catchThrowableOfType(() -> nowhere.poll("p1"), ProviderException.class));

        assertThat(failures).doesNotContainNull();
        assertThat(failures).extracting(ProviderException::kind).containsExactly(
                ProviderException.Kind.INPUT, ProviderException.Kind.UNAVAILABLE, ProviderException.Kind.MALFORMED,
                ProviderException.Kind.DOWNLOAD, ProviderException.Kind.DOWNLOAD,
                ProviderException.Kind.UNAVAILABLE);
        failures.forEach(ProviderTestSupport::assertNoToken);
        assertThat(ProviderTestSupport.settings(api.base()).toString()).doesNotContain(TOKEN);
    }
}
