package dev.reelroute.provider;

import static dev.reelroute.provider.ProviderTestSupport.replicatePrediction;
import static dev.reelroute.provider.ScriptedServer.bytes;
import static dev.reelroute.provider.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.InFlight;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.LedgerEntry;
import dev.reelroute.tokens.TokenLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Video jobs with mockMode=false, from the API to the downloaded MP4, through each adapter against a local server
 * that follows its provider's protocol (and one standing in for the provider's CDN): the whole service, broker,
 * database, storage and ffmpeg real. Also what a user pays when a prediction fails, and a cancel mid-generation.
 */
class RemoteVideoJobsEndToEndTest extends ServiceTest {
    private static final String BASE = "/api/v1/video-jobs";
    private static final String VEO_CREATE = "/v1/models/google/veo-3.1-fast/predictions";
    private static final String KLING_SUBMIT = "/fal-ai/kling-video/v2.1/standard/image-to-video";
    private static final String FAL_REQUESTS = "/fal-ai/kling-video/requests/";
    private static ScriptedServer replicate;
    private static ScriptedServer fal;
    private static ScriptedServer cdn;

    @TempDir
    static Path media;
    static Path image;
    static byte[] providerVideo;

    @Autowired
    TokenLedger ledger;
    @Autowired
    CamelContext camel;
    @Autowired
    RemoteProviders providers;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        embeddedDefaults(registry);
        replicate = new ScriptedServer();
        fal = new ScriptedServer();
        cdn = new ScriptedServer();
        ProviderTestSupport.registerProvider(registry, "replicate", replicate, ProviderTestSupport.TOKEN, "30s");
        ProviderTestSupport.registerProvider(registry, "fal", fal, "fal-e2e-key-77", "30s");
    }

    @BeforeAll
    static void makeMedia() throws Exception {
        image = TestMedia.png(media, 640, 360);
        Path clip = media.resolve("provider.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=24:duration=5", "-f", "lavfi", "-i",
                "sine=frequency=330:duration=5", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", clip.toString());
        providerVideo = Files.readAllBytes(clip);
    }

    @AfterAll
    static void stopServers() {
        replicate.close();
        fal.close();
        cdn.close();
    }

    @BeforeEach
    void freshServers() {
        replicate.reset().cdn(cdn.base().toString());
        fal.reset().cdn(cdn.base().toString());
        cdn.reset();
        for (ProviderName provider : ProviderName.values()) {
            providers.breaker(provider).reset();
        }
    }

    private AccountStore.CreatedKey funded() {
        AccountStore.CreatedKey account = newAccount("remote-e2e-" + System.nanoTime());
        Tokens.topUp(camel, account.accountId(), 100);
        return account;
    }

    private ApiClient.Response create(String key, String model, String duration) throws Exception {
        List<Part> parts = new ArrayList<>(List.of(Part.field("prompt", "a red fox runs through fresh snow"),
                Part.field("model", model), Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"),
                Part.field("durationSeconds", duration), Part.field("mockMode", "false")));
        parts.add(Part.file("initialImage", image, "image/png"));
        ApiClient.Response created = api.postMultipart(BASE, key, parts);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(created.json().get("engine").asText()).isEqualTo(ProviderName.valueOf(
                model.startsWith("kling") ? "FAL" : "REPLICATE").id());
        return created;
    }

    private JsonNode awaitStatus(String key, String id, String... statuses) {
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get(BASE + "/" + id, key).json(),
                        job -> List.of(statuses).contains(job.get("status").asText()));
    }

    private String probeDownload(String key, String id) throws Exception {
        ApiClient.Response redirect = api.get(BASE + "/" + id + "/download", key);
        assertThat(redirect.status()).isEqualTo(302);
        Path file = media.resolve(id + ".mp4");
        Files.write(file, api.getAbsolute(redirect.header("Location"), null).bytes());
        return TestMedia.ffprobe(file, "stream=codec_type,codec_name,width,height:format=duration");
    }

    @Test
    void aJobThroughReplicateCompletesWithTheModelsVideoLogsAndProgress() throws Exception {
        AccountStore.CreatedKey account = funded();
        replicate.on("POST", VEO_CREATE, json(201, replicatePrediction("rp-e2e", "starting", "", "null", null)));
        replicate.on("GET", "/v1/predictions/rp-e2e",
                json(200, replicatePrediction("rp-e2e", "starting", "", "null", null)),
                json(200, replicatePrediction("rp-e2e", "processing", "warming up\\n  50%|#####     | 5/10", "null", null)),
                json(200, replicatePrediction("rp-e2e", "succeeded", "warming up\\nsaving video",
                        "[\"{cdn}/out/rp-e2e.mp4\"]", null)));
        cdn.on("GET", "/out/rp-e2e.mp4", bytes(providerVideo));

        String id = create(account.apiKey(), "veo-3.1-fast-generate-preview", "8").json().get("id").asText();
        JsonNode job = awaitStatus(account.apiKey(), id, "SUCCEEDED", "FAILED");

        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("statusMessage").asText()).contains("veo-3.1-fast-generate-preview", "replicate");
        assertThat(job.get("logs").findValuesAsText("message"))
                .anyMatch(m -> m.equals("Submitted to replicate as rp-e2e"))
                .anyMatch(m -> m.equals("replicate: saving video"))
                .noneMatch(m -> m.contains(ProviderTestSupport.TOKEN));
        String probe = probeDownload(account.apiKey(), id);
        assertThat(probe).contains("codec_name=h264", "codec_name=aac", "width=1280", "height=720");
        assertThat(Double.parseDouble(probe.lines().filter(l -> l.startsWith("duration=")).findFirst().orElseThrow()
                .substring(9))).isCloseTo(5.0, within(0.2));
        assertThat(job.get("tokensConsumed").asLong()).isEqualTo(50);
        assertThat(ledger.balance(account.accountId())).isEqualTo(50);
    }

    @Test
    void aJobThroughFalCompletesFromTheQueueApi() throws Exception {
        AccountStore.CreatedKey account = funded();
        String base = "{base}" + FAL_REQUESTS + "fr-e2e";
        fal.on("POST", KLING_SUBMIT, json(200, "{\"request_id\":\"fr-e2e\",\"status\":\"IN_QUEUE\","
                + "\"queue_position\":1,\"status_url\":\"" + base + "/status\",\"response_url\":\"" + base
                + "\",\"cancel_url\":\"" + base + "/cancel\"}"));
        fal.on("GET", FAL_REQUESTS + "fr-e2e/status",
                json(200, "{\"status\":\"IN_QUEUE\",\"queue_position\":0}"),
                json(200, "{\"status\":\"IN_PROGRESS\",\"logs\":[{\"message\":\"Generating: 40% done\"}]}"),
                json(200, "{\"status\":\"COMPLETED\",\"logs\":[{\"message\":\"Generating: 40% done\"},"
                        + "{\"message\":\"Uploading\"}]}"));
        fal.on("GET", FAL_REQUESTS + "fr-e2e", json(200, "{\"video\":{\"url\":\"{cdn}/files/fr-e2e.mp4\"}}"));
        cdn.on("GET", "/files/fr-e2e.mp4", bytes(providerVideo));

        String id = create(account.apiKey(), "kling-v2.1", "4").json().get("id").asText();
        JsonNode job = awaitStatus(account.apiKey(), id, "SUCCEEDED", "FAILED");

        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("logs").findValuesAsText("message")).anyMatch(m -> m.contains("fal: Uploading"));
        assertThat(probeDownload(account.apiKey(), id)).contains("codec_name=h264", "width=1280", "height=720");
        assertThat(fal.seen()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Key fal-e2e-key-77"));
    }

    @Test
    void aFailedPredictionFailsTheJobAndItsChargeAndRefundBalanceToZero() throws Exception {
        AccountStore.CreatedKey account = funded();
        replicate.on("POST", VEO_CREATE, json(201, replicatePrediction("rp-fail", "starting", "", "null", null)));
        replicate.on("GET", "/v1/predictions/rp-fail",
                json(200, replicatePrediction("rp-fail", "failed", "", "null", "CUDA out of memory")));

        String id = create(account.apiKey(), "veo-3.1-fast-generate-preview", "8").json().get("id").asText();
        JsonNode job = awaitStatus(account.apiKey(), id, "FAILED", "SUCCEEDED");

        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("errorMessage").asText()).contains("CUDA out of memory");
        assertThat(job.get("logs").findValuesAsText("message")).anyMatch(m -> m.contains("50 tokens refunded"));
        assertThat(ledger.balance(account.accountId())).isEqualTo(100);
        List<LedgerEntry> forJob = ledger.entries(account.accountId(), 10).stream()
                .filter(e -> id.equals(e.jobId())).toList();
        assertThat(forJob).extracting(LedgerEntry::kind).containsExactlyInAnyOrder("charge", "refund");
        assertThat(forJob.stream().mapToLong(LedgerEntry::amount).sum()).isZero();
        assertDownloadNotReady(account.apiKey(), id);
    }

    @Test
    void cancellingARunningJobCancelsTheRemotePrediction() throws Exception {
        AccountStore.CreatedKey account = funded();
        replicate.on("POST", VEO_CREATE, json(201, replicatePrediction("rp-cancel", "starting", "", "null", null)));
        replicate.on("GET", "/v1/predictions/rp-cancel",
                json(200, replicatePrediction("rp-cancel", "processing", "rendering", "null", null)));
        replicate.on("POST", "/v1/predictions/rp-cancel/cancel",
                json(200, replicatePrediction("rp-cancel", "canceled", "", "null", null)));

        String id = create(account.apiKey(), "veo-3.1-fast-generate-preview", "8").json().get("id").asText();
        awaitStatus(account.apiKey(), id, "RUNNING");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !replicate.seen("GET", "/v1/predictions/rp-cancel").isEmpty());
        ApiClient.Response cancelled = api.post(BASE + "/" + id + "/cancel", account.apiKey());
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !replicate.seen("POST", "/v1/predictions/rp-cancel/cancel").isEmpty());
        assertThat(replicate.seen("POST", "/v1/predictions/rp-cancel/cancel")).isNotEmpty();
        // it ran, so its tokens stay spent; and once its work has ended, it stays cancelled
        InFlight.awaitNoneFor(camel, "job-orchestrate", id);
        JsonNode job = api.get(BASE + "/" + id, account.apiKey()).json();
        assertThat(job.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(ledger.balance(account.accountId())).isEqualTo(50);
    }

    private void assertDownloadNotReady(String key, String id) throws Exception {
        ApiClient.Response download = api.get(BASE + "/" + id + "/download", key);
        assertThat(download.status()).isEqualTo(400);
        assertThat(download.json().get("detail").asText()).contains("Video not ready yet");
    }
}
