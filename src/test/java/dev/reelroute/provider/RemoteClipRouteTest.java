package dev.reelroute.provider;

import static dev.reelroute.provider.ProviderTestSupport.TOKEN;
import static dev.reelroute.provider.ProviderTestSupport.registerProvider;
import static dev.reelroute.provider.ProviderTestSupport.replicatePrediction;
import static dev.reelroute.provider.ScriptedServer.bytes;
import static dev.reelroute.provider.ScriptedServer.json;
import static dev.reelroute.provider.ScriptedServer.video;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.config.Ids;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobLogLine;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.storage.Storage;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * direct:remote-clip end to end, in the whole service, against local servers that speak Replicate's predictions API
 * and fal's queue API (and a third standing in for their CDNs). Polls are 20 ms apart; each provider call is
 * retried once; a provider's breaker opens after two failed calls out of two and stays open for the test.
 */
@CamelSpringBootTest
@Timeout(60)
class RemoteClipRouteTest extends ServiceTest {
    private static final String FAL_KEY = "fal-SECRET-key-91b3";
    private static final String VEO_CREATE = "/v1/models/google/veo-3.1-fast/predictions";
    private static final String KLING_SUBMIT = "/fal-ai/kling-video/v2.1/standard/image-to-video";
    private static final String FAL_REQUESTS = "/fal-ai/kling-video/requests/";
    private static ScriptedServer replicate;
    private static ScriptedServer fal;
    private static ScriptedServer cdn;

    @TempDir
    Path media;

    @Autowired
    ProducerTemplate template;
    @Autowired
    JobStore jobStore;
    @Autowired
    Storage storage;
    @Autowired
    RemoteProviders providers;
    @Autowired
    RemoteClips remoteClips;
    @Autowired
    ReelrouteProperties reelroute;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        embeddedDefaults(registry);
        replicate = new ScriptedServer();
        fal = new ScriptedServer();
        cdn = new ScriptedServer();
        registerProvider(registry, "replicate", replicate, TOKEN, "4s");
        registerProvider(registry, "fal", fal, FAL_KEY, "4s");
        registry.add("reelroute.providers.circuit-breaker.sliding-window-size", () -> "2");
        registry.add("reelroute.providers.circuit-breaker.minimum-calls", () -> "2");
        registry.add("reelroute.providers.circuit-breaker.failure-rate-threshold", () -> "50");
        registry.add("reelroute.providers.circuit-breaker.wait-in-open-state", () -> "1h");
    }

    @AfterAll
    static void stopServers() {
        replicate.close();
        fal.close();
        cdn.close();
    }

    @BeforeEach
    void freshServersAndBreakers() {
        replicate.reset().cdn(cdn.base().toString());
        fal.reset().cdn(cdn.base().toString());
        cdn.reset();
        for (ProviderName provider : ProviderName.values()) {
            providers.breaker(provider).reset();
        }
    }

    // ---------------------------------------------------------------------------------------------------- fixture

    private record TestJob(String id, String accountId) {
    }

    /** A PROCESSING prompt job with a stored initial image, as the orchestrator hands it over. */
    private TestJob processingJob(String model) throws Exception {
        String accountId = accounts.createAccount("remote-" + Ids.newId(), null, 5).account().id();
        String id = Ids.newId();
        String imageKey = "inputs/" + id + "/initial.png";
        storage.put(imageKey, TestMedia.png(media, 64, 36), "image/png");
        PromptSpec spec = new PromptSpec("a red fox runs through fresh snow", null, model, "1080p", "16:9", 8, false,
                false, imageKey, null, List.of());
        jobStore.insertPendingForAccount(new NewJob(id, accountId, null, Job.KIND_VIDEO_JOB, null, imageKey, null, 0,
                Ids.randomToken(16), spec, null, 50), 10);
        assertThat(claimAs(id, "test-worker", java.time.Duration.ofMinutes(1)).claimed()).isTrue();
        return new TestJob(id, accountId);
    }

    private Exchange runRemoteClip(String jobId) {
        return template.send("direct:remote-clip", exchange -> exchange.setProperty("jobId", jobId));
    }

    private List<String> logs(String jobId) {
        return jobStore.logs(jobId).stream().map(JobLogLine::message).toList();
    }

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    private static String falQueued(String requestId, int position) {
        String base = "{base}" + FAL_REQUESTS + requestId;
        return "{\"request_id\":\"" + requestId + "\",\"status\":\"IN_QUEUE\",\"queue_position\":" + position
                + ",\"status_url\":\"" + base + "/status\",\"response_url\":\"" + base + "\",\"cancel_url\":\""
                + base + "/cancel\"}";
    }

    private static String falStatus(String status, String... logs) {
        StringBuilder lines = new StringBuilder();
        for (String line : logs) {
            lines.append(lines.isEmpty() ? "" : ",").append("{\"message\":\"").append(line)
                    .append("\",\"level\":\"INFO\"}");
        }
        return "{\"status\":\"" + status + "\",\"logs\":[" + lines + "]}";
    }

    private static JsonNode body(ScriptedServer.Seen request) throws Exception {
        return new ObjectMapper().readTree(request.body());
    }

    // ---------------------------------------------------------------------------------------------------- tests

    @Test
    void replicateSlowStartReportsLogsAndProgressThenDownloadsIntoTheWorkDir() throws Exception {
        TestJob job = processingJob("veo-3.1-fast-generate-preview");
        byte[] mp4 = video(40_000);
        replicate.on("POST", VEO_CREATE, json(201, replicatePrediction("rp1", "starting", "", "null", null)));
        replicate.on("GET", "/v1/predictions/rp1",
                json(200, replicatePrediction("rp1", "starting", "", "null", null)),
                json(200, replicatePrediction("rp1", "starting", "", "null", null)),
                json(200, replicatePrediction("rp1", "processing", "loading model\\n  20%|##        | 2/10", "null",
                        null)),
                json(200, replicatePrediction("rp1", "processing",
                        "loading model\\n  20%|##        | 2/10\\r  60%|######    | 6/10", "null", null)),
                json(200, replicatePrediction("rp1", "succeeded", "loading model\\n100%|##########| 10/10\\n"
                        + "writing video", "[\"{cdn}/videos/rp1.mp4\"]", null)));
        cdn.on("GET", "/videos/rp1.mp4", bytes(mp4));

        Exchange result = runRemoteClip(job.id());

        assertThat(result.getException()).isNull();
        Path video = result.getProperty("remoteVideo", Path.class);
        assertThat(video).isEqualTo(reelroute.dataDir().resolve("work").resolve(job.id()).resolve("remote-output.mp4"));
        assertThat(Files.readAllBytes(video)).isEqualTo(mp4);
        assertThat(result.getProperty("jobCancelled")).isNull();
        assertThat(replicate.seen("GET", "/v1/predictions/rp1")).hasSize(5);

        JsonNode create = body(replicate.seen("POST", VEO_CREATE).get(0));
        assertThat(create.get("input").get("prompt").asText()).isEqualTo("a red fox runs through fresh snow");
        assertThat(create.get("input").get("image").asText()).startsWith("data:image/png;base64,iVBORw0KGgo");
        assertThat(create.get("input").get("duration").asInt()).isEqualTo(8);
        assertThat(create.get("input").get("resolution").asText()).isEqualTo("1080p");
        assertThat(create.get("input").get("aspect_ratio").asText()).isEqualTo("16:9");
        assertThat(create.get("input").get("generate_audio").asBoolean()).isFalse();
        assertThat(replicate.seen()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
        assertThat(cdn.seen()).singleElement().satisfies(r -> assertThat(r.authorization()).isNull());

        Job row = jobStore.find(job.id()).orElseThrow();
        assertThat(row.provider()).isEqualTo("replicate");
        assertThat(row.providerJobId()).isEqualTo("rp1");
        assertThat(logs(job.id()))
                .containsSubsequence("Submitted to replicate as rp1", "replicate: loading model",
                        "replicate: writing video", "Downloaded the video replicate made")
                .filteredOn(line -> line.startsWith("replicate: ")).containsExactly("replicate: loading model",
                        "replicate: writing video");
        assertThat(String.join("\n", logs(job.id()))).doesNotContain(TOKEN);
        // progress went through the provider's 60 % to the end of the generation range
        await("progress 85", () -> jobStore.find(job.id()).orElseThrow().progress() == RemoteClips.PROGRESS_TO);
        assertThat(jobStore.find(job.id()).orElseThrow().statusMessage())
                .isEqualTo("Generated with veo-3.1-fast-generate-preview");
    }

    @Test
    void falQueueReportsPositionLogsAndPercentThenDownloadsTheResultVideo() throws Exception {
        TestJob job = processingJob("kling-v2.1");
        byte[] mp4 = video(30_000);
        fal.on("POST", KLING_SUBMIT, json(200, falQueued("fr1", 2)));
        fal.on("GET", FAL_REQUESTS + "fr1/status",
                json(200, "{\"status\":\"IN_QUEUE\",\"queue_position\":1}"),
                json(200, falStatus("IN_PROGRESS", "Starting generation")),
                json(200, falStatus("IN_PROGRESS", "Starting generation", "Generating: 40% done")),
                json(200, falStatus("COMPLETED", "Starting generation", "Generating: 40% done", "Uploading")));
        fal.on("GET", FAL_REQUESTS + "fr1", json(200, "{\"video\":{\"url\":\"{cdn}/files/fr1.mp4\"}}"));
        cdn.on("GET", "/files/fr1.mp4", bytes(mp4));

        Exchange result = runRemoteClip(job.id());

        assertThat(result.getException()).isNull();
        Path video = result.getProperty("remoteVideo", Path.class);
        assertThat(video.getFileName()).hasToString("remote-output.mp4");
        assertThat(Files.readAllBytes(video)).isEqualTo(mp4);

        JsonNode submitted = body(fal.seen("POST", KLING_SUBMIT).get(0));
        assertThat(submitted.get("prompt").asText()).isEqualTo("a red fox runs through fresh snow");
        assertThat(submitted.get("image_url").asText()).startsWith("data:image/png;base64,");
        assertThat(submitted.get("duration").asText()).isEqualTo("10");
        assertThat(submitted.has("aspect_ratio")).isFalse();
        assertThat(fal.seen()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Key " + FAL_KEY));

        assertThat(jobStore.find(job.id()).orElseThrow().providerJobId()).isEqualTo("fal-ai/kling-video/requests/fr1");
        List<String> logs = logs(job.id());
        assertThat(logs).containsSubsequence("Model kling-v2.1 makes clips of 10 s; asked for 8 s",
                "Submitted to fal as fal-ai/kling-video/requests/fr1", "fal: queued at position 1",
                "fal: Starting generation", "fal: Generating: 40% done", "fal: Uploading");
        assertThat(logs).filteredOn(line -> line.equals("fal: Starting generation")).hasSize(1);
        await("progress 85", () -> jobStore.find(job.id()).orElseThrow().progress() == RemoteClips.PROGRESS_TO);
    }

    @Test
    void aFailedPredictionFailsTheClipWithWhatTheProviderSaid() throws Exception {
        TestJob onReplicate = processingJob("veo-3.1-fast-generate-preview");
        replicate.on("POST", VEO_CREATE, json(201, replicatePrediction("rp2", "starting", "", "null", null)));
        replicate.on("GET", "/v1/predictions/rp2", json(200, replicatePrediction("rp2", "failed", "", "null",
                "The prompt was flagged by the safety filter (E005)")));

        Throwable failed = runRemoteClip(onReplicate.id()).getException();

        assertThat(failed).isInstanceOf(RemoteClipException.class).hasMessage("The veo-3.1-fast-generate-preview "
                + "model failed on replicate: The prompt was flagged by the safety filter (E005)");
        assertThat(RemoteClipException.isUserFault(failed)).isFalse();

        TestJob onFal = processingJob("kling-v2.1");
        fal.on("POST", KLING_SUBMIT, json(200, falQueued("fr2", 0)));
        fal.on("GET", FAL_REQUESTS + "fr2/status", json(200, falStatus("COMPLETED")));
        fal.on("GET", FAL_REQUESTS + "fr2", json(422, "{\"detail\":[{\"loc\":[\"body\",\"image_url\"],"
                + "\"msg\":\"Image is too small\",\"type\":\"value_error\"}]}"));

        assertThat(runRemoteClip(onFal.id()).getException()).isInstanceOf(RemoteClipException.class)
                .hasMessage("The kling-v2.1 model failed on fal: body.image_url: Image is too small");
        assertThat(cdn.seen()).isEmpty();
    }

    @Test
    void anInputTheProviderRefusesIsTheUsersFaultAndLeavesTheBreakerClosed() throws Exception {
        replicate.on("POST", VEO_CREATE, json(422, "{\"detail\":\"input.duration: must be one of 4, 6, 8\"}"));
        for (int i = 0; i < 3; i++) {
            Throwable refused = runRemoteClip(processingJob("veo-3.1-fast-generate-preview").id()).getException();
            assertThat(refused).isInstanceOf(RemoteClipException.class)
                    .hasMessage("replicate refused the request (422): input.duration: must be one of 4, 6, 8");
            assertThat(RemoteClipException.isUserFault(refused)).isTrue();
        }
        // 4xx are not retried and not counted against the provider
        assertThat(replicate.seen("POST", VEO_CREATE)).hasSize(3);
        CircuitBreaker breaker = providers.breaker(ProviderName.REPLICATE);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void a429WithRetryAfterIsWaitedOutAndTheClipStillMade() throws Exception {
        TestJob job = processingJob("veo-3.1-fast-generate-preview");
        replicate.on("POST", VEO_CREATE,
                json(429, "{\"detail\":\"Request was throttled\"}", "Retry-After", "1"),
                json(201, replicatePrediction("rp3", "starting", "", "null", null)));
        replicate.on("GET", "/v1/predictions/rp3",
                json(200, replicatePrediction("rp3", "succeeded", "", "\"{cdn}/rp3.mp4\"", null)));
        cdn.on("GET", "/rp3.mp4", bytes(video(1000)));

        Exchange result = runRemoteClip(job.id());

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty("remoteVideo", Path.class)).exists();
        List<ScriptedServer.Seen> submits = replicate.seen("POST", VEO_CREATE);
        // that the wait is the Retry-After asked for (1 s) is RemoteProviderContract's, where waits are recorded
        assertThat(submits).hasSize(2);
    }

    @Test
    void serverErrorsOpenTheProvidersBreakerAndTheNextClipFailsWithoutACall() throws Exception {
        replicate.on("POST", VEO_CREATE, json(500, "{\"detail\":\"Internal server error\"}"));
        for (int i = 0; i < 2; i++) {
            assertThat(runRemoteClip(processingJob("veo-3.1-fast-generate-preview").id()).getException())
                    .isInstanceOf(RemoteClipException.class)
                    .hasMessage("The replicate provider is unavailable right now (it answered 500, after retries); "
                            + "try again later");
        }
        assertThat(replicate.seen()).hasSize(4);
        assertThat(providers.breaker(ProviderName.REPLICATE).getState()).isEqualTo(CircuitBreaker.State.OPEN);

        Throwable refused = runRemoteClip(processingJob("veo-3.1-fast-generate-preview").id()).getException();

        assertThat(refused).isInstanceOf(RemoteClipException.class)
                .hasMessage("The replicate provider is unavailable right now (circuit open after repeated failures); "
                        + "try again later")
                .hasCauseInstanceOf(CallNotPermittedException.class);
        assertThat(RemoteClipException.isUserFault(refused)).isFalse();
        assertThat(replicate.seen()).as("no call while the breaker is open").hasSize(4);

        // one breaker per provider: fal still takes work
        TestJob onFal = processingJob("kling-v2.1");
        fal.on("POST", KLING_SUBMIT, json(200, falQueued("fr3", 0)));
        fal.on("GET", FAL_REQUESTS + "fr3/status", json(200, falStatus("COMPLETED")));
        fal.on("GET", FAL_REQUESTS + "fr3", json(200, "{\"video\":{\"url\":\"{cdn}/fr3.webm\"}}"));
        cdn.on("GET", "/fr3.webm", bytes(video(500)));
        Exchange onFalResult = runRemoteClip(onFal.id());
        assertThat(onFalResult.getException()).isNull();
        assertThat(onFalResult.getProperty("remoteVideo", Path.class).getFileName()).hasToString("remote-output.webm");
    }

    @Test
    void cancellingTheJobCancelsTheReplicatePredictionAndStopsQuietly() throws Exception {
        TestJob job = processingJob("veo-3.1-fast-generate-preview");
        replicate.on("POST", VEO_CREATE, json(201, replicatePrediction("rp4", "starting", "", "null", null)));
        replicate.on("GET", "/v1/predictions/rp4",
                json(200, replicatePrediction("rp4", "processing", "step 1", "null", null)));
        replicate.on("POST", "/v1/predictions/rp4/cancel",
                json(200, replicatePrediction("rp4", "canceled", "step 1", "null", null)));

        Future<Exchange> running = template.asyncSend("direct:remote-clip", ex -> ex.setProperty("jobId", job.id()));
        await("two polls", () -> replicate.seen("GET", "/v1/predictions/rp4").size() >= 2);
        assertThat(jobStore.cancel(job.id(), job.accountId())).isPresent();
        Exchange result = running.get(10, TimeUnit.SECONDS);

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty("jobCancelled", Boolean.class)).isTrue();
        assertThat(result.getProperty("remoteVideo")).isNull();
        assertThat(replicate.seen("POST", "/v1/predictions/rp4/cancel")).hasSize(1);
        assertThat(logs(job.id())).contains("Cancelled the replicate prediction rp4");
        assertThat(cdn.seen()).isEmpty();
    }

    @Test
    void cancellingTheJobCancelsTheFalRequestAndTheApiCanCancelRightAway() throws Exception {
        TestJob job = processingJob("kling-v2.1");
        fal.on("POST", KLING_SUBMIT, json(200, falQueued("fr4", 3)));
        fal.on("GET", FAL_REQUESTS + "fr4/status", json(200, falStatus("IN_PROGRESS", "warming up")));
        fal.on("PUT", FAL_REQUESTS + "fr4/cancel", json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}"));

        Future<Exchange> running = template.asyncSend("direct:remote-clip", ex -> ex.setProperty("jobId", job.id()));
        await("two polls", () -> fal.seen("GET", FAL_REQUESTS + "fr4/status").size() >= 2);
        // the API's cancel reaches the provider at once, from the job row alone
        assertThat(remoteClips.cancelQuietly(job.id())).isTrue();
        assertThat(fal.seen("PUT", FAL_REQUESTS + "fr4/cancel")).hasSize(1);
        jobStore.cancel(job.id(), job.accountId());
        Exchange result = running.get(10, TimeUnit.SECONDS);

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty("jobCancelled", Boolean.class)).isTrue();
        // and the worker cancels too when it sees the cancelled row (the provider takes a second cancel)
        assertThat(fal.seen("PUT", FAL_REQUESTS + "fr4/cancel")).hasSize(2);
        assertThat(remoteClips.cancelQuietly(processingJob("kling-v2.1").id())).isFalse();
    }

    @Test
    void aPredictionPastMaxWaitIsCancelledAndFailsTheClip() throws Exception {
        TestJob job = processingJob("kling-v2.1");
        fal.on("POST", KLING_SUBMIT, json(200, falQueued("fr5", 40)));
        fal.on("GET", FAL_REQUESTS + "fr5/status", json(200, "{\"status\":\"IN_QUEUE\",\"queue_position\":40}"));
        fal.on("PUT", FAL_REQUESTS + "fr5/cancel", json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}"));

        Throwable failed = runRemoteClip(job.id()).getException();

        assertThat(failed).isInstanceOf(RemoteClipException.class)
                .hasMessage("The fal prediction did not finish within 4 s; it was cancelled");
        assertThat(fal.seen("GET", FAL_REQUESTS + "fr5/status")).as("it waited, polling").hasSizeGreaterThan(1);
        assertThat(fal.seen("PUT", FAL_REQUESTS + "fr5/cancel")).hasSize(1);
        // the same queue position, polled again and again, is one log line
        assertThat(logs(job.id())).filteredOn(line -> line.equals("fal: queued at position 40")).hasSize(1);
    }
}
