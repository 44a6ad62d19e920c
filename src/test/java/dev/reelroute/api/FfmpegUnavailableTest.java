package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.JmsSubmitter;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.StoredFiles;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.TokenLedger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * No usable FFmpeg at all (here: a configured path with nothing there). Readiness says so and why; every
 * submission, on every surface, is refused with 503 in the surface's error body before anything is stored.
 */
class FfmpegUnavailableTest extends ServiceTest {
    private static final String MISSING = "/nonexistent/reelroute/ffmpeg";
    private static final String MESSAGE = "FFmpeg is unavailable on this server";

    @TempDir
    static Path media;

    @LocalManagementPort
    int managementPort;
    @Autowired
    TokenLedger ledger;
    @Autowired
    CamelContext camel;
    @Autowired
    jakarta.jms.ConnectionFactory connectionFactory;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.ffmpeg.path", () -> MISSING);
    }

    @Test
    void readinessNamesFfmpegAndWhy() throws Exception {
        HttpResponse<String> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(readiness.statusCode()).isEqualTo(503);
        JsonNode ffmpeg = new ObjectMapper().readTree(readiness.body()).path("components").path("ffmpeg");
        assertThat(ffmpeg.path("status").asText()).isEqualTo("DOWN");
        assertThat(ffmpeg.path("details").path("error").asText()).contains(MISSING, "not an executable file");
    }

    @Test
    void everySubmissionIsRefusedWith503BeforeAnythingIsStored() throws Exception {
        AccountStore.CreatedKey account = newAccount("no-ffmpeg");
        Tokens.topUp(camel, account.accountId(), 500);
        String key = account.apiKey();
        Path image = TestMedia.png(media, 640, 360);
        Path audio = TestMedia.wav(media, 1.0);
        long balance = ledger.balance(account.accountId());

        ApiClient.Response imageAudio = api.submit(key, image, "image/png", audio, "audio/wav", null);
        assertThat(imageAudio.status()).isEqualTo(503);
        assertThat(imageAudio.json().get("error").asText()).startsWith(MESSAGE);

        ApiClient.Response generate = api.postJsonWithKey("/api/generate", key, "{\"prompt\":\"a dog on the moon\"}");
        assertThat(generate.status()).isEqualTo(503);
        assertThat(generate.json().get("error").asText()).startsWith(MESSAGE);

        ApiClient.Response videoJob = api.postMultipart("/api/v1/video-jobs", key, List.of(
                Part.field("prompt", "A lighthouse"), Part.field("model", "veo-3.1-fast-generate-preview"),
                Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"),
                Part.field("durationSeconds", "4"), Part.field("mockMode", "true")));
        assertThat(videoJob.status()).isEqualTo(503);
        assertThat(videoJob.json().get("detail").asText()).startsWith(MESSAGE);

        ApiClient.Response upload = api.postMultipart("/api/v1/videos", key,
                List.of(Part.file("file", "clip.mp4", "video/mp4", new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'})));
        assertThat(upload.status()).isEqualTo(503);
        assertThat(upload.json().get("success").asBoolean()).isFalse();
        assertThat(upload.json().get("error").get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        ApiClient.Response style = api.postJsonWithKey("/api/v1/jobs", key,
                "{\"video_id\":\"vid_x\",\"template_video_id\":\"vid_y\"}");
        assertThat(style.status()).isEqualTo(503);
        assertThat(style.json().get("error").get("message").asText()).startsWith(MESSAGE);

        ApiClient.Response project = api.postMultipart("/api/video-projects", key,
                List.of(Part.field("name", "Nothing renders"), Part.file("music", audio, "audio/wav")));
        assertThat(project.status()).isEqualTo(503);
        assertThat(project.json().get("error").asText()).startsWith(MESSAGE);

        try (JmsSubmitter jms = new JmsSubmitter(connectionFactory)) {
            jms.send("{\"kind\":\"generate\",\"prompt\":\"a dog on the moon\"}", key, "no-ffmpeg-1");
            JsonNode reply = JmsSubmitter.json(jms.reply(30_000));
            assertThat(reply.path("error").path("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(reply.path("error").path("message").asText()).startsWith(MESSAGE);
        }

        assertThat(jobRows()).as("no job was made, so none is left PENDING").isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM video_projects", Integer.class)).isZero();
        assertThat(StoredFiles.keys(dataDir)).as("nothing stored").isEmpty();
        assertThat(ledger.balance(account.accountId())).as("no tokens charged").isEqualTo(balance);
    }
}
