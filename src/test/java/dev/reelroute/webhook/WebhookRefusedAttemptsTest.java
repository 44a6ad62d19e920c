package dev.reelroute.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A webhook URL is checked again before every attempt; an attempt the check refuses (the name now resolves inside,
 * or no longer resolves) is still an attempt: a row with its reason, counted in reelroute_webhook_attempts_total.
 * The name resolves through a {@link HostResolver} the test controls, so no real DNS is involved.
 */
class WebhookRefusedAttemptsTest extends ServiceTest {
    private static final String HOST = "hooks.reelroute.test";
    /** What {@link #HOST} resolves to now; null: it does not resolve. */
    private static final AtomicReference<String> ANSWER = new AtomicReference<>();
    /**
     * While set, "localhost" (which the system resolves to 127.0.0.1) answers a public address to the first two
     * look-ups (the URL check at creation and the one before the attempt) and 127.0.0.1 from then on.
     */
    private static final AtomicReference<AtomicInteger> REBINDING = new AtomicReference<>();

    @TempDir
    static Path media;
    static Path image;
    static Path audio;

    @Autowired
    MeterRegistry registry;

    @TestConfiguration
    static class ControlledDns {
        @Bean
        HostResolver hostResolver() {
            return host -> {
                var lookups = REBINDING.get();
                if ("localhost".equals(host) && lookups != null) {
                    String answer = lookups.incrementAndGet() <= 2 ? "93.184.216.34" : "127.0.0.1";
                    return new InetAddress[] {InetAddress.getByName(answer)};
                }
                if (!HOST.equals(host)) {
                    return HostResolver.SYSTEM.resolve(host);
                }
                String answer = ANSWER.get();
                if (answer == null) {
                    throw new UnknownHostException(host);
                }
                return new InetAddress[] {InetAddress.getByName(answer)};
            };
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        // the guard's real rules (https, public addresses only); one attempt an event, so each event ends quickly
        registry.add("reelroute.webhooks.allow-insecure-urls", () -> "false");
        registry.add("reelroute.webhooks.schedule", () -> "0s");
    }

    @BeforeAll
    static void makeMedia() throws Exception {
        image = TestMedia.png(media, 320, 180);
        audio = TestMedia.wav(media, 1.0);
    }

    private double failedAttempts() {
        Counter counter = registry.find("reelroute.webhook.attempts").tag("outcome", WebhookDelivery.FAILED).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<JsonNode> attemptsOf(String key, String jobId, String eventId) throws Exception {
        ApiClient.Response listed = api.get("/api/jobs/" + jobId + "/webhook-deliveries", key);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        return StreamSupport.stream(listed.json().get("deliveries").spliterator(), false)
                .filter(delivery -> delivery.get("eventId").asText().equals(eventId))
                .toList();
    }

    /** A job whose webhook host resolved to a public address when it was created, and that has ended. */
    private String endedJob(String key) throws Exception {
        ANSWER.set("93.184.216.34");
        ApiClient.Response created = api.postMultipart("/api/jobs", key, List.of(Part.file("image", image, "image/png"),
                Part.file("audio", audio, "audio/wav"), Part.field("webhookUrl", "https://" + HOST + "/hook")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String jobId = created.json().get("jobId").asText();
        ANSWER.set("127.0.0.1");
        await().atMost(Duration.ofMinutes(2)).until(() -> List.of("COMPLETED", "FAILED")
                .contains(api.get("/api/status/" + jobId, key).json().get("status").asText()));
        // its own event has had its one attempt and given up: nothing else is in flight for this job
        await().atMost(Duration.ofMinutes(1)).until(() -> StreamSupport.stream(
                api.get("/api/jobs/" + jobId + "/webhook-deliveries", key).json().get("deliveries").spliterator(), false)
                .anyMatch(delivery -> delivery.get("outcome").asText().equals(WebhookDelivery.EXHAUSTED)));
        return jobId;
    }

    private JsonNode redeliveredAttempt(String key, String jobId) throws Exception {
        double failedBefore = failedAttempts();
        ApiClient.Response queued = api.post("/api/jobs/" + jobId + "/webhook-deliveries/redeliver", key);
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        String eventId = queued.json().get("eventId").asText();
        await().atMost(Duration.ofMinutes(1)).until(() -> attemptsOf(key, jobId, eventId).stream()
                .anyMatch(delivery -> delivery.get("attempt").asInt() == 1));
        JsonNode attempt = attemptsOf(key, jobId, eventId).stream()
                .filter(delivery -> delivery.get("attempt").asInt() == 1).findFirst().orElseThrow();
        assertThat(failedAttempts()).as("counted as a failed attempt").isEqualTo(failedBefore + 1);
        return attempt;
    }

    @Test
    void anAttemptRefusedBecauseTheHostNowResolvesInsideIsRecordedAndCounted() throws Exception {
        String key = newAccountKey("refused-" + System.nanoTime());
        String jobId = endedJob(key);
        // the job's own event was refused at its attempt (the name resolved inside by then)
        List<JsonNode> own = StreamSupport.stream(api.get("/api/jobs/" + jobId + "/webhook-deliveries", key).json()
                .get("deliveries").spliterator(), false).filter(d -> d.get("attempt").asInt() == 1).toList();
        assertThat(own).hasSize(1);
        assertThat(own.get(0).get("error").asText()).contains("must not point at a loopback");

        JsonNode attempt = redeliveredAttempt(key, jobId);
        assertThat(attempt.get("outcome").asText()).isEqualTo(WebhookDelivery.FAILED);
        assertThat(attempt.get("statusCode").isNull()).as("no request was sent").isTrue();
        assertThat(attempt.get("url").asText()).isEqualTo("https://" + HOST + "/hook");
        assertThat(attempt.get("error").asText())
                .isEqualTo("URL refused: webhookUrl must not point at a loopback, private, link-local or metadata address");
    }

    @Test
    void aRedeliveryToAHostThatNoLongerResolvesLeavesAnAttempt() throws Exception {
        String key = newAccountKey("gone-" + System.nanoTime());
        String jobId = endedJob(key);
        ANSWER.set(null);
        JsonNode attempt = redeliveredAttempt(key, jobId);
        assertThat(attempt.get("outcome").asText()).isEqualTo(WebhookDelivery.FAILED);
        assertThat(attempt.get("error").asText()).isEqualTo("URL refused: webhookUrl host does not resolve");
    }

    @Test
    void theAttemptConnectsOnlyToAddressesTheGuardApprovesAsItConnects() throws Exception {
        String key = newAccountKey("rebinding-" + System.nanoTime());
        try (ServerSocket inside = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!inside.isClosed()) {
                    try (Socket ignored = inside.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            REBINDING.set(new AtomicInteger());
            try {
                ApiClient.Response created = api.postMultipart("/api/jobs", key, List.of(
                        Part.file("image", image, "image/png"), Part.file("audio", audio, "audio/wav"),
                        Part.field("webhookUrl", "https://localhost:" + inside.getLocalPort() + "/hook")));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                String jobId = created.json().get("jobId").asText();
                await().atMost(Duration.ofMinutes(2)).until(() -> StreamSupport.stream(
                        api.get("/api/jobs/" + jobId + "/webhook-deliveries", key).json().get("deliveries")
                                .spliterator(), false).anyMatch(delivery -> delivery.get("attempt").asInt() == 1));
                JsonNode attempt = StreamSupport.stream(api.get("/api/jobs/" + jobId + "/webhook-deliveries", key)
                        .json().get("deliveries").spliterator(), false)
                        .filter(delivery -> delivery.get("attempt").asInt() == 1).findFirst().orElseThrow();
                assertThat(attempt.get("error").asText()).isEqualTo("URL refused when connecting: webhookUrl must "
                        + "not point at a loopback, private, link-local or metadata address");
                assertThat(connections.get()).as("connections to the inside address").isZero();
            } finally {
                REBINDING.set(null);
            }
        }
    }

    @Test
    void theHostIsCheckedAtCreationThroughTheSameResolver() throws Exception {
        String key = newAccountKey("created-" + System.nanoTime());
        ANSWER.set("64:ff9b::a9fe:a9fe");
        ApiClient.Response refused = api.postMultipart("/api/jobs", key, List.of(Part.file("image", image, "image/png"),
                Part.file("audio", audio, "audio/wav"), Part.field("webhookUrl", "https://" + HOST + "/hook")));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).contains("webhookUrl must not point at a loopback");
    }
}
