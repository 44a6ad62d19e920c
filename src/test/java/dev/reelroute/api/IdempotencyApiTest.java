package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.idempotency.IdempotencyStore;
import dev.reelroute.idempotency.RequestFingerprint;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.JmsSubmitter;
import dev.reelroute.support.Tokens;
import dev.reelroute.support.WorkerlessServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.tokens.TokenLedger;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Idempotency-Key on every REST create endpoint, and idempotencyKey on JMS submissions: a repeat answers as the
 * first request did and makes no second job or charge, a different body is a 422 in the surface's error body, keys
 * are per account, bad keys are 400s, and concurrent requests with one key make one job. No worker runs: jobs stay
 * PENDING.
 */
class IdempotencyApiTest extends WorkerlessServiceTest {
    @TempDir
    static Path media;
    static Path image;
    static Path otherImage;
    static Path wav;
    static Path clip;
    static Path otherClip;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TokenLedger ledger;
    @Autowired
    CamelContext camel;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    IdempotencyStore store;

    private AccountStore.CreatedKey account;
    /** Style sources uploaded per API key: a job may only name its own account's videos. */
    private final Map<String, List<String>> uploadedVideos = new HashMap<>();

    @BeforeAll
    static void makeMedia() throws Exception {
        image = TestMedia.png(media, 320, 240);
        otherImage = TestMedia.png(media, 330, 240);
        wav = TestMedia.wav(media, 1.0);
        clip = media.resolve("clip.mp4");
        otherClip = media.resolve("other-clip.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", clip.toString());
        TestMedia.ffmpeg("-f", "lavfi", "-i", "color=c=blue:size=160x120:rate=10:duration=1", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", otherClip.toString());
    }

    @BeforeEach
    void newAccountWithTokens() {
        account = newAccount("idempotency-" + System.nanoTime());
        Tokens.topUp(camel, account.accountId(), 1000);
    }

    /** Sends a surface's create request; {@code variant} 0 and 1 are two different valid bodies. */
    @FunctionalInterface
    interface Create {
        ApiClient.Response send(IdempotencyApiTest test, String apiKey, String idempotencyKey, int variant)
                throws Exception;
    }

    record Surface(String name, int status, Create create, Function<JsonNode, String> jobId,
                   Consumer<ApiClient.Response> reusedKeyBody) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Surface> surfaces() {
        return Stream.of(
                new Surface("POST /api/jobs", 201, IdempotencyApiTest::imageAudioJob,
                        body -> body.get("jobId").asText(), IdempotencyApiTest::errorBody),
                new Surface("POST /api/v1/video-jobs", 202, IdempotencyApiTest::videoJob,
                        body -> body.get("id").asText(), IdempotencyApiTest::detailBody),
                new Surface("POST /api/generate", 202, IdempotencyApiTest::generateJob,
                        body -> body.get("job_id").asText(), IdempotencyApiTest::errorBody),
                new Surface("POST /api/v1/jobs", 202, IdempotencyApiTest::styleJob,
                        body -> body.get("data").get("job_id").asText(), IdempotencyApiTest::envelopeBody));
    }

    private ApiClient.Response imageAudioJob(String apiKey, String idempotencyKey, int variant) throws Exception {
        List<Part> parts = List.of(Part.file("image", variant == 0 ? image : otherImage, "image/png"),
                Part.file("audio", wav, "audio/wav"));
        return api.postMultipartWithHeaders("/api/jobs", parts, headers(apiKey, idempotencyKey));
    }

    private ApiClient.Response videoJob(String apiKey, String idempotencyKey, int variant) throws Exception {
        List<Part> parts = List.of(Part.field("prompt", variant == 0 ? "A sunset over mountains" : "A city at night"),
                Part.field("model", "veo-3.1-fast-generate-preview"), Part.field("resolution", "720p"),
                Part.field("aspectRatio", "16:9"), Part.field("durationSeconds", "4"), Part.field("mockMode", "true"));
        return api.postMultipartWithHeaders("/api/v1/video-jobs", parts, headers(apiKey, idempotencyKey));
    }

    private ApiClient.Response generateJob(String apiKey, String idempotencyKey, int variant) throws Exception {
        String prompt = variant == 0 ? "A lighthouse in a storm" : "A quiet forest at dawn";
        return api.postJsonWithHeaders("/api/generate", "{\"prompt\":\"" + prompt + "\"}",
                headers(apiKey, idempotencyKey));
    }

    private ApiClient.Response styleJob(String apiKey, String idempotencyKey, int variant) throws Exception {
        List<String> videos = videosOf(apiKey);
        // the second body swaps source and template
        String source = videos.get(variant);
        String template = videos.get(1 - variant);
        return api.postJsonWithHeaders("/api/v1/jobs",
                "{\"video_id\":\"" + source + "\",\"template_video_id\":\"" + template + "\"}",
                headers(apiKey, idempotencyKey));
    }

    private List<String> videosOf(String apiKey) throws Exception {
        List<String> videos = uploadedVideos.get(apiKey);
        if (videos == null) {
            videos = List.of(upload(apiKey, clip), upload(apiKey, otherClip));
            uploadedVideos.put(apiKey, videos);
        }
        return videos;
    }

    private String upload(String apiKey, Path file) throws Exception {
        ApiClient.Response uploaded = api.postMultipart("/api/v1/videos", apiKey,
                List.of(Part.file("file", file, "video/mp4")));
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        return uploaded.json().get("data").get("video_id").asText();
    }

    private static String[] headers(String apiKey, String idempotencyKey) {
        return idempotencyKey == null ? new String[] {"X-API-Key", apiKey}
                : new String[] {"X-API-Key", apiKey, IdempotencyKeys.HEADER, idempotencyKey};
    }

    private static void errorBody(ApiClient.Response response) {
        assertThat(response.json().get("error").asText()).contains("Idempotency-Key");
    }

    private static void detailBody(ApiClient.Response response) {
        assertThat(response.json().get("detail").asText()).contains("Idempotency-Key");
    }

    private static void envelopeBody(ApiClient.Response response) {
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("error").get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    private int jobsOf(String accountId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE account_id = ?", Integer.class, accountId);
    }

    private int chargesOf(String accountId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM token_ledger WHERE account_id = ? AND kind = 'charge'",
                Integer.class, accountId);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void aRepeatAnswersAsTheFirstRequestDidAndMakesNothing(Surface surface) throws Exception {
        ApiClient.Response first = surface.create().send(this, account.apiKey(), "order-1", 0);
        assertThat(first.status()).as(first.body()).isEqualTo(surface.status());
        int charges = chargesOf(account.accountId());
        long balance = ledger.balance(account.accountId());

        ApiClient.Response repeat = surface.create().send(this, account.apiKey(), "order-1", 0);

        assertThat(repeat.status()).as(repeat.body()).isEqualTo(surface.status());
        assertThat(surface.jobId().apply(repeat.json())).isEqualTo(surface.jobId().apply(first.json()));
        assertThat(repeat.json()).isEqualTo(first.json());
        assertThat(repeat.header("Content-Type")).startsWith("application/json");
        assertThat(jobsOf(account.accountId())).isEqualTo(1);
        assertThat(chargesOf(account.accountId())).isEqualTo(charges);
        assertThat(ledger.balance(account.accountId())).isEqualTo(balance);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void theSameKeyWithAnotherBodyIsRefusedInTheSurfacesErrorBody(Surface surface) throws Exception {
        assertThat(surface.create().send(this, account.apiKey(), "order-2", 0).status()).isEqualTo(surface.status());

        ApiClient.Response reused = surface.create().send(this, account.apiKey(), "order-2", 1);

        assertThat(reused.status()).as(reused.body()).isEqualTo(422);
        surface.reusedKeyBody().accept(reused);
        assertThat(jobsOf(account.accountId())).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void anotherAccountsSameKeyIsIndependent(Surface surface) throws Exception {
        AccountStore.CreatedKey other = newAccount("idempotency-other-" + System.nanoTime());
        Tokens.topUp(camel, other.accountId(), 1000);
        ApiClient.Response mine = surface.create().send(this, account.apiKey(), "shared-key", 0);
        ApiClient.Response theirs = surface.create().send(this, other.apiKey(), "shared-key", 0);

        assertThat(theirs.status()).as(theirs.body()).isEqualTo(surface.status());
        assertThat(surface.jobId().apply(theirs.json())).isNotEqualTo(surface.jobId().apply(mine.json()));
        assertThat(jobsOf(other.accountId())).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void aKeyOutsideOneTo255PrintableCharactersIsA400(Surface surface) throws Exception {
        for (String bad : new String[] {"", "k".repeat(256)}) {
            ApiClient.Response refused = surface.create().send(this, account.apiKey(), bad, 0);
            assertThat(refused.status()).as("key of %d chars: %s", bad.length(), refused.body()).isEqualTo(400);
        }
        assertThat(surface.create().send(this, account.apiKey(), "k".repeat(255), 0).status())
                .isEqualTo(surface.status());
        assertThat(jobsOf(account.accountId())).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void tenConcurrentRequestsWithOneKeyMakeOneJob(Surface surface) throws Exception {
        if (surface.name().equals("POST /api/v1/jobs")) {
            videosOf(account.apiKey()); // uploaded first, so the ten race on the job alone
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ApiClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Callable<ApiClient.Response> request = () -> {
                    start.await();
                    return surface.create().send(this, account.apiKey(), "concurrent", 0);
                };
                answers.add(pool.submit(request));
            }
            start.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<ApiClient.Response> answer : answers) {
                ApiClient.Response response = answer.get();
                assertThat(response.status()).as(response.body()).isEqualTo(surface.status());
                ids.add(surface.jobId().apply(response.json()));
            }
            assertThat(ids).hasSize(10).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(jobsOf(account.accountId())).isEqualTo(1);
    }

    @Test
    void aProjectRunIsStartedOncePerKey() throws Exception {
        String projectId = projectWithOneClip();
        String otherProjectId = projectWithOneClip();
        String trigger = "{\"videoProjectId\":\"" + projectId + "\"}";
        String[] headers = headers(account.apiKey(), "run-1");

        ApiClient.Response first = api.postJsonWithHeaders("/api/video-projects/generate", trigger, headers);
        ApiClient.Response repeat = api.postJsonWithHeaders("/api/video-projects/generate", trigger, headers);
        ApiClient.Response reused = api.postJsonWithHeaders("/api/video-projects/generate",
                "{\"videoProjectId\":\"" + otherProjectId + "\"}", headers);

        assertThat(first.status()).as(first.body()).isEqualTo(repeat.status()).isBetween(200, 202);
        assertThat(repeat.json()).isEqualTo(first.json());
        assertThat(first.json().get("runId").asText()).startsWith("run_");
        assertThat(reused.status()).isEqualTo(422);
        errorBody(reused);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM project_runs WHERE account_id = ?", Integer.class,
                account.accountId())).isEqualTo(1);
    }

    private String projectWithOneClip() throws Exception {
        ApiClient.Response project = api.postMultipart("/api/video-projects", account.apiKey(),
                List.of(Part.field("name", "idempotent")));
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        String projectId = project.json().get("id").asText();
        ApiClient.Response clipAdded = api.postMultipart("/api/video-projects/" + projectId + "/clips",
                account.apiKey(), List.of(Part.file("image", image, "image/png"),
                        Part.field("motionPrompt", "slow zoom in"), Part.field("durationSeconds", "2")));
        assertThat(clipAdded.status()).as(clipAdded.body()).isEqualTo(201);
        return projectId;
    }

    @Test
    void aClaimWhoseRequestNeverFinishedIsTakenOverAfterTenMinutes() throws Exception {
        String body = "{\"prompt\":\"A lighthouse in a storm\"}";
        // what an instance that stopped mid-request leaves: the claim, without a job
        String fingerprint = new RequestFingerprint().add("POST").add("/api/generate").add(body).hex();
        store.tryClaim(account.accountId(), "orphaned", fingerprint, Instant.now().minus(Duration.ofMinutes(11)));

        ApiClient.Response taken = generateJob(account.apiKey(), "orphaned", 0);

        assertThat(taken.status()).as(taken.body()).isEqualTo(202);
        assertThat(generateJob(account.apiKey(), "orphaned", 0).json()).isEqualTo(taken.json());
        assertThat(jobsOf(account.accountId())).isEqualTo(1);
    }

    @Test
    void withoutAKeyEveryRequestMakesAJob() throws Exception {
        generateJob(account.apiKey(), null, 0);
        generateJob(account.apiKey(), null, 0);
        assertThat(jobsOf(account.accountId())).isEqualTo(2);
    }

    @Test
    void aJmsRepeatGetsTheOriginalReplyAndAnotherBodyIsRefused() throws Exception {
        String request = "{\"kind\":\"generate\",\"prompt\":\"A harbour at noon\"}";
        try (JmsSubmitter producer = new JmsSubmitter(connectionFactory)) {
            JsonNode first = submitOverJms(producer, request, "jms-order-1");
            JsonNode repeat = submitOverJms(producer, request, "jms-order-1");
            JsonNode reused = submitOverJms(producer, "{\"kind\":\"generate\",\"prompt\":\"Another\"}", "jms-order-1");

            assertThat(first.get("jobId").asText()).isNotBlank();
            assertThat(repeat).isEqualTo(first);
            assertThat(reused.get("error").get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
            assertThat(jobsOf(account.accountId())).isEqualTo(1);
        }
    }

    private JsonNode submitOverJms(JmsSubmitter producer, String body, String idempotencyKey) throws Exception {
        TextMessage message = producer.session().createTextMessage(body);
        message.setStringProperty("apiKey", account.apiKey());
        message.setStringProperty(IdempotencyKeys.JMS_PROPERTY, idempotencyKey);
        message.setJMSReplyTo(producer.replyQueue());
        producer.send(message);
        TextMessage reply = producer.reply(30_000);
        assertThat(reply).as("reply").isNotNull();
        return JmsSubmitter.json(reply);
    }
}
