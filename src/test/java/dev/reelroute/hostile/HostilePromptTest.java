package dev.reelroute.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.Tokens;
import dev.reelroute.webhook.WebhookDelivery;
import dev.reelroute.webhook.WebhookDeliveryStore;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Prompts written in FFmpeg's filter-graph syntax, rendered for real as title cards (worker on). The service's
 * ffmpeg is a wrapper that records every argument list before running the real one, so the test sees exactly
 * what reached FFmpeg: the jobs must complete and no piece of the prompt may appear in any argument (the card's
 * text goes through a textfile).
 */
class HostilePromptTest extends ServiceTest {
    /** Quotes, option and filter separators, a pad label, expansions and a newline; PWNED marks what escaped. */
    private static final String PROMPT = "It's 5:00; [pwn]drawtext=text=PWNED,null %{pts} %{eif\\:1\\:d}\n"
            + "second line: ' \\ , ; [out]";
    private static final List<String> FRAGMENTS = List.of("PWNED", "%{pts", "[pwn]", "It's", "second line");
    private static final Path RECORDING_DIR;
    private static final Path ARGUMENTS_LOG;

    static {
        try {
            RECORDING_DIR = Files.createTempDirectory("reelroute-ffmpeg-args-");
            ARGUMENTS_LOG = RECORDING_DIR.resolve("arguments.log");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    CamelContext camel;
    @Autowired
    WebhookDeliveryStore deliveries;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        embeddedDefaults(registry);
        Path wrapper = RECORDING_DIR.resolve("ffmpeg");
        Files.writeString(wrapper, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + ARGUMENTS_LOG + "'\n"
                + "exec '" + realFfmpeg() + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        registry.add("reelroute.ffmpeg.path", wrapper::toString);
        registry.add("reelroute.rate-limit.submit-per-minute", () -> "1000");
        // the redirecting receiver below is plain http on 127.0.0.1 (it stands in for a public https URL); the
        // guard's refusal of internal URLs with this off is covered by HostileInputTest
        registry.add("reelroute.webhooks.allow-insecure-urls", () -> "true");
        registry.add("reelroute.webhooks.schedule", () -> "0s");
        // what is asserted is what reached FFmpeg and that the jobs end, not the video: 10 frames a second, not 25,
        // and /api/generate's videos 2 s long, not 5
        registry.add("reelroute.render.fps", () -> "10");
        registry.add("reelroute.generate.default-seconds", () -> "2");
    }

    private static String realFfmpeg() {
        String configured = System.getenv("REELROUTE_FFMPEG_PATH");
        return configured != null && !configured.isBlank() ? configured : dev.reelroute.support.TestMedia.ffmpegPath();
    }

    @Test
    void filterSyntaxInPromptsRendersAsTextAndNeverReachesAFilterGraph() throws Exception {
        var account = newAccount("prompt");
        Tokens.topUp(camel, account.accountId(), 500);
        String key = account.apiKey();

        ApiClient.Response videoJob = api.postMultipart("/api/v1/video-jobs", key, List.of(
                Part.field("prompt", PROMPT), Part.field("model", "veo-3.1-fast-generate-preview"),
                Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"),
                Part.field("durationSeconds", "4"), Part.field("mockMode", "true")));
        assertThat(videoJob.status()).as(videoJob.body()).isEqualTo(202);
        ApiClient.Response generate = api.postJsonWithKey("/api/generate", key,
                new ObjectMapper().writeValueAsString(java.util.Map.of("prompt", PROMPT)));
        assertThat(generate.status()).as(generate.body()).isEqualTo(202);

        String card = awaitStatus("/api/v1/video-jobs/" + videoJob.json().get("id").asText(), key,
                job -> job.get("status").asText(), List.of("SUCCEEDED", "FAILED", "CANCELLED"));
        assertThat(card).isEqualTo("SUCCEEDED");
        String generated = awaitStatus("/api/status/" + generate.json().get("job_id").asText(), key,
                job -> job.get("status").asText(), List.of("completed", "failed"));
        assertThat(generated).isEqualTo("completed");

        String arguments = Files.readString(ARGUMENTS_LOG);
        assertThat(arguments).as("the title cards were drawn from text files").contains("textfile=");
        for (String fragment : FRAGMENTS) {
            assertThat(arguments).as("ffmpeg arguments").doesNotContain(fragment);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().orElse("")).filter(c -> c.contains("ff")).toList()).isEmpty();
        assertThat(api.get("/health", null).status()).isEqualTo(200);
    }

    @Test
    void aWebhookThatRedirectsInsideIsRecordedAsFailedAndNotFollowed() throws Exception {
        var account = newAccount("redirect");
        Tokens.topUp(camel, account.accountId(), 500);
        AtomicInteger internalHits = new AtomicInteger();
        HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        internal.createContext("/", exchange -> {
            internalHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        HttpServer redirecting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        redirecting.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location",
                    "http://127.0.0.1:" + internal.getAddress().getPort() + "/latest/meta-data");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        internal.start();
        redirecting.start();
        try {
            String hook = "http://127.0.0.1:" + redirecting.getAddress().getPort() + "/hook";
            ApiClient.Response created = api.postJsonWithKey("/api/generate", account.apiKey(),
                    "{\"prompt\":\"a lighthouse\",\"webhook_url\":\"" + hook + "\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(202);
            String jobId = created.json().get("job_id").asText();
            assertThat(awaitStatus("/api/status/" + jobId, account.apiKey(), job -> job.get("status").asText(),
                    List.of("completed", "failed"))).isEqualTo("completed");

            // one attempt (no retries here), then the event is given up on
            await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.forJob(jobId).stream()
                    .anyMatch(d -> d.outcome().equals(WebhookDelivery.EXHAUSTED)));
            List<WebhookDelivery> attempts = deliveries.forJob(jobId);
            assertThat(attempts).extracting(WebhookDelivery::outcome)
                    .containsExactly(WebhookDelivery.FAILED, WebhookDelivery.EXHAUSTED);
            assertThat(attempts.get(0).statusCode()).isEqualTo(302);
            assertThat(attempts.get(0).url()).isEqualTo(hook);
            assertThat(attempts.get(0).error()).contains("Redirects are not followed");
            assertThat(internalHits).as("requests that reached the redirect's target").hasValue(0);
        } finally {
            redirecting.stop(0);
            internal.stop(0);
        }
    }

    private String awaitStatus(String path, String key, Function<com.fasterxml.jackson.databind.JsonNode, String> status,
                               List<String> terminal) {
        // the service keeps answering its health check all the while
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            ApiClient.Response response = api.get(path, key);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            String read = status.apply(response.json());
            if (!terminal.contains(read)) {
                assertThat(api.get("/health", null).status()).isEqualTo(200);
            }
            return read;
        }, terminal::contains);
    }
}
