package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.LocalReceiversServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.Tokens;
import dev.reelroute.support.WebhookReceiver;
import dev.reelroute.tokens.TokenLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Prompt jobs made by the local engine, end to end through the real broker, database, storage and ffmpeg: each
 * mock kind of /api/v1/video-jobs (a bare prompt, an initial image morphing into an end frame, reference images)
 * and /api/generate with a spoken script. ffprobe checks what users get: size, aspect, duration, audio.
 */
class PromptJobsEndToEndTest extends LocalReceiversServiceTest {
    private static final String BASE = "/api/v1/video-jobs";

    @TempDir
    static Path media;
    static Path red;
    static Path blue;

    @Autowired
    TokenLedger ledger;
    @Autowired
    CamelContext camel;

    @BeforeAll
    static void makeMedia() throws Exception {
        red = media.resolve("red.png");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "color=c=red:size=640x480", "-frames:v", "1", red.toString());
        blue = media.resolve("blue.jpg");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "color=c=blue:size=480x640", "-frames:v", "1", blue.toString());
    }

    private AccountStore.CreatedKey fundedAccount(String name) {
        AccountStore.CreatedKey created = newAccount(name + "-" + System.nanoTime());
        Tokens.topUp(camel, created.accountId(), 500);
        return created;
    }

    private static List<Part> fields(String resolution, String aspectRatio, String duration, String... more) {
        List<Part> parts = new ArrayList<>(List.of(Part.field("model", "veo-3.1-fast-generate-preview"),
                Part.field("resolution", resolution), Part.field("aspectRatio", aspectRatio),
                Part.field("durationSeconds", duration), Part.field("mockMode", "true")));
        for (int i = 0; i < more.length; i += 2) {
            parts.add(Part.field(more[i], more[i + 1]));
        }
        return parts;
    }

    private JsonNode awaitVideoJob(String key, String id) throws Exception {
        List<Integer> progress = new ArrayList<>();
        JsonNode job = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode read = api.get(BASE + "/" + id, key).json();
            progress.add(read.get("progressPercentage").asInt());
            return read;
        }, read -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(read.get("status").asText()));
        assertThat(progress).as("progress only moves forward").isSorted();
        return job;
    }

    private Path download(String key, String id, String name) throws Exception {
        ApiClient.Response redirect = api.get(BASE + "/" + id + "/download", key);
        assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
        ApiClient.Response video = api.getAbsolute(redirect.header("Location"), null);
        assertThat(video.status()).isEqualTo(200);
        assertThat(video.header("Content-Type")).isEqualTo("video/mp4");
        Path file = media.resolve(name);
        Files.write(file, video.bytes());
        return file;
    }

    private static String probe(Path video) throws Exception {
        return TestMedia.ffprobe(video, "stream=codec_type,codec_name,width,height:format=duration");
    }

    private static double duration(String probe) {
        return Double.parseDouble(probe.lines().filter(l -> l.startsWith("duration=")).findFirst().orElseThrow()
                .substring("duration=".length()));
    }

    @Test
    void eachLocalKindOfVideoJobCompletesWithTheRequestedSizeAspectAndDuration() throws Exception {
        AccountStore.CreatedKey account = fundedAccount("mock");
        String key = account.apiKey();

        ApiClient.Response titleCard = api.postMultipart(BASE, key, fields("720p", "16:9", "4",
                "prompt", "A slow zoom in on a lighthouse at dusk"));
        List<Part> morphParts = fields("720p", "9:16", "8", "generateAudio", "true");
        morphParts.add(Part.file("initialImage", red, "image/png"));
        morphParts.add(Part.file("endFrame", blue, "image/jpeg"));
        ApiClient.Response morph = api.postMultipart(BASE, key, morphParts);
        List<Part> sequenceParts = fields("1080p", "9:16", "4", "prompt", "pan left across the products");
        sequenceParts.add(Part.file("referenceImages", red, "image/png"));
        sequenceParts.add(Part.file("referenceImages", blue, "image/jpeg"));
        ApiClient.Response sequence = api.postMultipart(BASE, key, sequenceParts);
        for (ApiClient.Response created : List.of(titleCard, morph, sequence)) {
            assertThat(created.status()).as(created.body()).isEqualTo(202);
        }
        assertThat(ledger.balance(account.accountId())).isEqualTo(350);

        JsonNode card = awaitVideoJob(key, titleCard.json().get("id").asText());
        assertThat(card.get("status").asText()).as(card.toString()).isEqualTo("SUCCEEDED");
        assertThat(card.get("progressPercentage").asInt()).isEqualTo(100);
        assertThat(card.get("statusMessage").asText()).contains("Made locally");
        assertThat(card.get("cloudinaryUrl").asText()).isEqualTo(card.get("videoUrl").asText());
        assertThat(card.get("completedAt").asText()).endsWith("Z");
        assertThat(card.get("logs").findValuesAsText("message"))
                .anyMatch(m -> m.contains("Making an image from the prompt"))
                .anyMatch(m -> m.contains("Camera: "));
        String cardProbe = probe(download(key, card.get("id").asText(), "card.mp4"));
        assertThat(cardProbe).contains("codec_name=h264", "width=1280", "height=720").doesNotContain("codec_type=audio");
        assertThat(duration(cardProbe)).isCloseTo(4.0, within(0.1));

        JsonNode morphed = awaitVideoJob(key, morph.json().get("id").asText());
        assertThat(morphed.get("status").asText()).as(morphed.toString()).isEqualTo("SUCCEEDED");
        String morphProbe = probe(download(key, morphed.get("id").asText(), "morph.mp4"));
        assertThat(morphProbe).contains("width=720", "height=1280", "codec_type=audio", "codec_name=aac");
        assertThat(duration(morphProbe)).isCloseTo(8.0, within(0.1));

        JsonNode sequenced = awaitVideoJob(key, sequence.json().get("id").asText());
        assertThat(sequenced.get("status").asText()).as(sequenced.toString()).isEqualTo("SUCCEEDED");
        String sequenceProbe = probe(download(key, sequenced.get("id").asText(), "sequence.mp4"));
        assertThat(sequenceProbe).contains("width=1080", "height=1920");
        assertThat(duration(sequenceProbe)).isCloseTo(4.0, within(0.1));

        // succeeded jobs keep their tokens; the thumbnail is served too
        assertThat(ledger.balance(account.accountId())).isEqualTo(350);
        ApiClient.Response thumbnail = api.getAbsolute(sequenced.get("thumbnailUrl").asText(), null);
        assertThat(thumbnail.header("Content-Type")).isEqualTo("image/jpeg");
    }

    @Test
    void generateMakesAVoicedVideoAndReportsItInTheSecondDocumentsShape() throws Exception {
        String key = newAccountKey("generate");

        ApiClient.Response invalid = api.postJsonWithKey("/api/generate", key,
                "{\"prompt\":\"\",\"script\":\"" + "x".repeat(1001) + "\",\"webhook_url\":\"not a url\"}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("error").asText()).contains("prompt", "script", "webhook_url");
        assertThat(invalid.json().get("details").findValues("path")).extracting(path -> path.get(0).asText())
                .containsExactly("prompt", "script", "webhook_url");
        assertThat(api.postJsonWithKey("/api/generate", key, "{\"prompt\": 42}").json().get("details").get(0)
                .get("message").asText()).contains("Expected string");

        WebhookReceiver receiver = new WebhookReceiver();
        ApiClient.Response accepted = api.postJsonWithKey("/api/generate", key,
                "{\"prompt\":\"a cat in space\",\"script\":\"This is a cat floating in space, far from home.\","
                        + "\"webhook_url\":\"" + receiver.url("/hook") + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().get("status").asText()).isEqualTo("queued");
        assertThat(accepted.json().get("estimated_time_seconds").asLong()).isPositive();
        String jobId = accepted.json().get("job_id").asText();

        JsonNode status = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode read = api.get("/api/status/" + jobId, key).json();
            assertThat(read.get("status").asText()).isIn("queued", "processing", "completed", "failed");
            return read;
        }, read -> List.of("completed", "failed").contains(read.get("status").asText()));
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("completed");
        assertThat(status.get("job_id").asText()).isEqualTo(jobId);
        assertThat(status.get("progress").asInt()).isEqualTo(100);
        assertThat(status.get("cost").isNumber()).isTrue();
        assertThat(status.get("created_at").asText()).endsWith("Z");
        assertThat(status.get("completed_at").asText()).endsWith("Z");
        JsonNode output = status.get("output");
        ApiClient.Response video = api.getAbsolute(output.get("video_url").asText(), null);
        Path file = media.resolve("generated.mp4");
        Files.write(file, video.bytes());
        String probe = probe(file);
        // the voiceover is spoken (not silent) and the video lasts as long as it
        assertThat(probe).contains("codec_type=video", "codec_type=audio");
        assertThat(duration(probe)).isCloseTo(output.get("duration_seconds").asDouble(), within(0.15));
        assertThat(output.get("duration_seconds").asDouble()).isBetween(2.0, 8.0);
        String volume = TestMedia.run(List.of(TestMedia.ffmpegPath(), "-v", "info", "-nostdin", "-i", file.toString(),
                "-af", "volumedetect", "-vn", "-f", "null", "-"));
        double meanVolume = Double.parseDouble(volume.lines().filter(l -> l.contains("mean_volume:")).findFirst()
                .orElseThrow().replaceAll(".*mean_volume: (-?[0-9.]+) dB.*", "$1"));
        assertThat(meanVolume).as("speech, not silence").isGreaterThan(-50);
        assertThat(api.getAbsolute(output.get("thumbnail_url").asText(), null).header("Content-Type"))
                .isEqualTo("image/jpeg");

        // the webhook carries the same shape, signed
        WebhookReceiver.Received hook = receiver.next(30, TimeUnit.SECONDS);
        receiver.close();
        assertThat(hook).isNotNull();
        JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(hook.body());
        assertThat(event.get("job_id").asText()).isEqualTo(jobId);
        assertThat(event.get("status").asText()).isEqualTo("completed");
        assertThat(event.get("output").get("video_url").asText()).startsWith("http");
        assertThat(hook.header("X-Signature")).matches("[0-9a-f]{64}").isEqualTo(hook.header("X-Webhook-Signature"));

        // the estimate now comes from the real turnaround of the latest completed generate jobs, this one among them
        // (other classes' in this shared context too), not a constant
        long ownTurnaroundMs = java.time.Instant.parse(status.get("completed_at").asText()).toEpochMilli()
                - java.time.Instant.parse(status.get("created_at").asText()).toEpochMilli();
        List<Long> turnaroundsMs = jdbc.query("""
                SELECT created_at, completed_at FROM jobs WHERE kind = 'generate' AND status = 'COMPLETED'
                ORDER BY completed_at DESC LIMIT 20""",
                (row, i) -> row.getTimestamp("completed_at").getTime() - row.getTimestamp("created_at").getTime());
        assertThat(turnaroundsMs).contains(ownTurnaroundMs);
        double meanSeconds = turnaroundsMs.stream().mapToLong(Long::longValue).average().orElseThrow() / 1000.0;
        ApiClient.Response next = api.postJsonWithKey("/api/generate", key, "{\"prompt\":\"a dog on the moon\"}");
        assertThat(next.json().get("estimated_time_seconds").asLong()).isEqualTo(Math.max(1, Math.round(meanSeconds)));
    }
}
