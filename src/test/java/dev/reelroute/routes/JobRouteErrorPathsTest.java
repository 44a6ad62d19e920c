package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.job.JobStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.InFlight;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.WebhookReceiver;
import dev.reelroute.webhook.WebhookDelivery;
import dev.reelroute.webhook.WebhookDeliveryStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The routes' error paths. FFmpeg and the output storage step are replaced (AdviceWith) by mocks whose
 * behaviour each test chooses; webhooks go over real HTTP to a local receiver, or to a port nobody listens on.
 */
@CamelSpringBootTest
@UseAdviceWith
@DirtiesContext
class JobRouteErrorPathsTest extends ServiceTest {
    private static WebhookReceiver receiver;

    @TempDir
    static Path media;
    static Path image;
    static Path audio;

    @Autowired
    CamelContext camel;
    @Autowired
    JobStore jobStore;
    @Autowired
    WebhookDeliveryStore deliveries;
    @Autowired
    JmsTemplate jms;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.webhooks.allow-insecure-urls", () -> "true");
        registry.add("reelroute.webhooks.schedule", () -> "0s,50ms,100ms");
    }

    @BeforeAll
    static void setUp() throws Exception {
        receiver = new WebhookReceiver();
        image = TestMedia.png(media, 320, 240);
        audio = TestMedia.wav(media, 1.0);
    }

    @AfterAll
    static void tearDown() {
        receiver.close();
    }

    @BeforeEach
    void adviseOnce() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "video-compile", route -> {
                route.weaveById("run-ffmpeg").replace().to("mock:ffmpeg");
                route.weaveById("run-ffmpeg-thumbnail").replace().to("mock:ffmpeg-thumbnail");
                route.weaveById("store-outputs").replace().to("mock:store-outputs");
            });
            // a copy of every next attempt the webhook schedule queues, to see that none was
            AdviceWith.adviceWith(camel, "webhook-retry",
                    route -> route.weaveById("schedule-next-attempt").before().to("mock:next-webhook-attempt"));
            camel.start();
        }
        MockEndpoint.resetMocks(camel);
        receiver.answerWith(200);
    }

    private String submit(String key, String webhookUrl) throws Exception {
        ApiClient.Response created = api.submit(key, image, "image/png", audio, "audio/wav", webhookUrl);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("jobId").asText();
    }

    private JsonNode awaitTerminal(String key, String jobId) {
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get("/api/status/" + jobId, key).json(),
                        status -> List.of("COMPLETED", "FAILED", "CANCELLED").contains(status.get("status").asText()));
    }

    @Test
    void ffmpegFailureFailsTheJobWithAMessageAndSendsTheWebhook() throws Exception {
        MockEndpoint ffmpeg = camel.getEndpoint("mock:ffmpeg", MockEndpoint.class);
        ffmpeg.whenAnyExchangeReceived(exchange -> {
            throw new ExecException("ffmpeg failed", null,
                    new ByteArrayInputStream("Conversion failed!".getBytes(StandardCharsets.UTF_8)), 1);
        });
        MockEndpoint store = camel.getEndpoint("mock:store-outputs", MockEndpoint.class);
        store.expectedMessageCount(0);

        String key = newAccountKey("ffmpeg-fails");
        String jobId = submit(key, receiver.url("/hook"));
        JsonNode status = awaitTerminal(key, jobId);

        assertThat(status.get("status").asText()).isEqualTo("FAILED");
        assertThat(status.get("errorMessage").asText()).isEqualTo("Rendering failed: FFmpeg exited with code 1");
        assertThat(status.get("progress").asInt()).isLessThan(100);
        assertThat(status.get("outputVideo").isNull()).isTrue();
        store.assertIsSatisfied();
        // the executable and its arguments were handed over as a list, never a command line
        List<Object> args = ffmpeg.getReceivedExchanges().get(0).getIn().getHeader("CamelExecCommandArgs", List.class);
        assertThat(args).contains("-movflags", "+faststart", "-c:v", "libx264");

        WebhookReceiver.Received hook = receiver.next(20, TimeUnit.SECONDS);
        assertThat(hook).isNotNull();
        assertThat(new String(hook.body(), StandardCharsets.UTF_8))
                .contains("\"status\":\"FAILED\"", "FFmpeg exited with code 1");
        // the orchestrator does not retry: once its exchange has ended, the job was rendered only once
        InFlight.awaitNoneFor(camel, "job-orchestrate", jobId);
        assertThat(ffmpeg.getReceivedCounter()).isEqualTo(1);
        assertThat(jobStore.logs(jobId)).anySatisfy(line -> assertThat(line.level()).isEqualTo("ERROR"));
    }

    @Test
    void storageFailureFailsTheJobWithoutLeakingInternals() throws Exception {
        camel.getEndpoint("mock:store-outputs", MockEndpoint.class).whenAnyExchangeReceived(exchange -> {
            // an I/O failure that is not a full disk (that one has its own message: FullDiskTest)
            throw new IOException("Input/output error: /var/lib/secret/path");
        });
        String key = newAccountKey("storage-fails");
        String jobId = submit(key, null);
        JsonNode status = awaitTerminal(key, jobId);

        assertThat(status.get("status").asText()).isEqualTo("FAILED");
        assertThat(status.get("errorMessage").asText())
                .isEqualTo("Processing failed because of an internal error")
                .doesNotContain("/var/lib");
        // the key is free again for the next job
        assertThat(api.submit(key, image, "image/png", audio, "audio/wav", null).status()).isEqualTo(201);
    }

    @Test
    void aReceiverThatIsDownGetsEveryAttemptRecordedAndTheEventParkedOnTheDeadLetterQueue() throws Exception {
        camel.getEndpoint("mock:ffmpeg", MockEndpoint.class).whenAnyExchangeReceived(exchange -> {
            throw new ExecException("ffmpeg failed", null, null, 1);
        });
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String key = newAccountKey("receiver-down");
        String jobId = submit(key, "http://127.0.0.1:" + closedPort + "/hook");
        awaitTerminal(key, jobId);

        List<WebhookDelivery> attempts = awaitDeliveries(jobId, 4);
        assertThat(attempts).extracting(WebhookDelivery::outcome)
                .containsExactly("failed", "failed", "failed", "exhausted");
        assertThat(attempts.subList(0, 3)).extracting(WebhookDelivery::attempt).containsExactly(1, 2, 3);
        assertThat(attempts.get(0).error()).contains("Connect");
        assertThat(attempts.get(0).statusCode()).isNull();
        // each retry waited its turn of the schedule (50 ms, then 100 ms, ±10 %) on the broker
        assertThat(java.time.Duration.between(attempts.get(0).attemptedAt(), attempts.get(1).attemptedAt()))
                .isGreaterThanOrEqualTo(java.time.Duration.ofMillis(45));
        assertThat(java.time.Duration.between(attempts.get(1).attemptedAt(), attempts.get(2).attemptedAt()))
                .isGreaterThanOrEqualTo(java.time.Duration.ofMillis(90));

        jms.setReceiveTimeout(5000);
        var parked = jms.receive("reelroute.webhooks.dlq");
        assertThat(parked).isNotNull();
        assertThat(parked.getStringProperty("jobId")).isEqualTo(jobId);
        assertThat(parked.getBody(String.class)).contains("\"jobId\":\"" + jobId + "\"");
    }

    @Test
    void aFailingReceiverIsRetriedUntilItAnswers2xx() throws Exception {
        camel.getEndpoint("mock:ffmpeg", MockEndpoint.class).whenAnyExchangeReceived(exchange -> {
            throw new ExecException("ffmpeg failed", null, null, 1);
        });
        receiver.answerWith(503);
        String key = newAccountKey("flaky-receiver");
        String jobId = submit(key, receiver.url("/flaky"));
        WebhookReceiver.Received first = receiver.next(20, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        receiver.answerWith(200);
        WebhookReceiver.Received second = receiver.next(20, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        // the same event, signed again: same webhook-id, same body
        assertThat(second.header("webhook-id")).isEqualTo(first.header("webhook-id"));
        assertThat(second.body()).isEqualTo(first.body());

        List<WebhookDelivery> attempts = awaitDeliveries(jobId, 2);
        assertThat(attempts).extracting(WebhookDelivery::statusCode).containsExactly(503, 200);
        assertThat(attempts).extracting(WebhookDelivery::outcome).containsExactly("failed", "delivered");
    }

    @Test
    void a410GoneStopsTheAttemptsForThatEvent() throws Exception {
        camel.getEndpoint("mock:ffmpeg", MockEndpoint.class).whenAnyExchangeReceived(exchange -> {
            throw new ExecException("ffmpeg failed", null, null, 1);
        });
        receiver.answerWith(410);
        String key = newAccountKey("gone-receiver");
        String jobId = submit(key, receiver.url("/gone"));
        assertThat(receiver.next(20, TimeUnit.SECONDS)).isNotNull();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveries.forJob(jobId)).isNotEmpty());
        InFlight.awaitNoneFor(camel, "webhook-deliver", jobId);
        assertThat(camel.getEndpoint("mock:next-webhook-attempt", MockEndpoint.class).getReceivedExchanges())
                .as("no second attempt scheduled").noneMatch(e -> jobId.equals(e.getMessage().getHeader("jobId")));
        assertThat(receiver.next(100, TimeUnit.MILLISECONDS)).as("no second attempt").isNull();
        assertThat(deliveries.forJob(jobId)).singleElement().satisfies(d -> {
            assertThat(d.statusCode()).isEqualTo(410);
            assertThat(d.error()).contains("no further attempts");
        });
    }

    private List<WebhookDelivery> awaitDeliveries(String jobId, int count) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> deliveries.forJob(jobId), attempts -> attempts.size() >= count);
    }
}
