package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A machine with no ffmpeg installed: the service renders every kind of job with the static build bundled in the
 * jar (the PATH lookup is switched off, so an installed ffmpeg cannot stand in for it) and probes without ffprobe.
 */
class BundledFfmpegEndToEndTest extends ServiceTest {
    private static final Duration JOB_TIME = Duration.ofMinutes(3);

    @TempDir
    static Path media;

    @Autowired
    FfmpegBinaries binaries;
    @Autowired
    CamelContext camel;

    private final MediaProbe bundledProbe = new MediaProbe(FfmpegBinaries.bundledOnly());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.ffmpeg.path", () -> "");
        registry.add("reelroute.ffprobe.path", () -> "");
        registry.add("reelroute.ffmpeg.search-path", () -> "false");
        // what is asserted is that the bundled build makes each kind, its codecs and durations, not the frame rate
        registry.add("reelroute.render.fps", () -> "10");
    }

    @Test
    void everyKindOfJobCompletesOnTheBundledBuild() throws Exception {
        assertThat(binaries.source()).isEqualTo(FfmpegBinaries.SOURCE_BUNDLED);
        assertThat(binaries.ffprobe()).isEmpty();
        AccountStore.CreatedKey account = newAccount("bundled");
        Tokens.topUp(camel, account.accountId(), 500);
        String key = account.apiKey();
        Path image = TestMedia.png(media, 1280, 720);
        Path audio = TestMedia.wav(media, 3.0);

        // image + audio
        ApiClient.Response job = api.submit(key, image, "image/png", audio, "audio/wav", null);
        assertThat(job.status()).as(job.body()).isEqualTo(201);
        JsonNode imageAudio = awaitJson("/api/status/" + job.json().get("jobId").asText(), key,
                s -> List.of("COMPLETED", "FAILED").contains(s.get("status").asText()));
        assertThat(imageAudio.get("status").asText()).as(imageAudio.toString()).isEqualTo("COMPLETED");
        ProbeResult rendered = probeDownload(imageAudio.get("outputVideo").asText(), "image-audio.mp4");
        assertThat(rendered.videoCodec()).isEqualTo("h264");
        assertThat(rendered.audioCodec()).isEqualTo("aac");
        assertThat(rendered.durationSeconds()).isCloseTo(3.0, within(0.2));

        // a prompt video job in mock mode (a title card)
        ApiClient.Response prompt = api.postMultipart("/api/v1/video-jobs", key, List.of(
                Part.field("prompt", "A slow zoom in on a lighthouse at dusk"),
                Part.field("model", "veo-3.1-fast-generate-preview"), Part.field("resolution", "720p"),
                Part.field("aspectRatio", "16:9"), Part.field("durationSeconds", "4"),
                Part.field("mockMode", "true")));
        assertThat(prompt.status()).as(prompt.body()).isEqualTo(202);
        JsonNode videoJob = awaitJson("/api/v1/video-jobs/" + prompt.json().get("id").asText(), key,
                s -> List.of("SUCCEEDED", "FAILED").contains(s.get("status").asText()));
        assertThat(videoJob.get("status").asText()).as(videoJob.toString()).isEqualTo("SUCCEEDED");

        // /api/generate, without a voiceover script (voiceovers need espeak-ng, not FFmpeg)
        ApiClient.Response generate = api.postJsonWithKey("/api/generate", key,
                "{\"prompt\":\"a dog on the moon\"}");
        assertThat(generate.status()).as(generate.body()).isEqualTo(202);
        JsonNode generated = awaitJson("/api/status/" + generate.json().get("job_id").asText(), key,
                s -> List.of("completed", "failed").contains(s.get("status").asText()));
        assertThat(generated.get("status").asText()).as(generated.toString()).isEqualTo("completed");

        // a video project: two clips with a transition and music
        ApiClient.Response project = api.postMultipart("/api/video-projects", key, List.of(
                Part.field("name", "Bundled"), Part.field("transitionsEnabled", "true"),
                Part.file("music", audio, "audio/wav")));
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        String projectId = project.json().get("id").asText();
        for (String motion : List.of("slow zoom in", "pan left")) {
            ApiClient.Response clip = api.postMultipart("/api/video-projects/" + projectId + "/clips", key, List.of(
                    Part.file("image", image, "image/png"), Part.field("motionPrompt", motion),
                    Part.field("durationSeconds", "2")));
            assertThat(clip.status()).as(clip.body()).isEqualTo(201);
        }
        ApiClient.Response run = api.postJsonWithKey("/api/video-projects/generate", key,
                "{\"videoProjectId\":\"" + projectId + "\"}");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        JsonNode finished = awaitJson("/api/video-projects/" + projectId, key,
                s -> List.of("completed", "failed").contains(s.get("status").asText()));
        assertThat(finished.get("status").asText()).as(finished.toString()).isEqualTo("completed");
        assertThat(probeDownload(finished.get("finalVideoUrl").asText(), "project.mp4").durationSeconds())
                .isCloseTo(3.0, within(0.2));

        // style transfer: a source graded toward a template
        String source = uploadVideo(key, "source.mp4", "testsrc2=size=320x180:rate=25");
        String template = uploadVideo(key, "template.mp4", "smptebars=size=320x180:rate=25");
        ApiClient.Response style = api.postJsonWithKey("/api/v1/jobs", key,
                "{\"video_id\":\"" + source + "\",\"template_video_id\":\"" + template + "\"}");
        assertThat(style.status()).as(style.body()).isEqualTo(202);
        String styleJobId = style.json().get("data").get("job_id").asText();
        JsonNode styled = awaitJson("/api/v1/jobs/" + styleJobId, key, s -> List.of("completed", "failed")
                .contains(s.get("data").get("status").asText())).get("data");
        assertThat(styled.get("status").asText()).as(styled.toString()).isEqualTo("completed");
    }

    private JsonNode awaitJson(String path, String key, java.util.function.Predicate<JsonNode> done) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(JOB_TIME).pollInterval(Duration.ofMillis(200)).until(() -> {
            last.set(api.get(path, key).json());
            return done.test(last.get());
        });
        return last.get();
    }

    private ProbeResult probeDownload(String url, String name) throws Exception {
        ApiClient.Response download = api.getAbsolute(url, null);
        assertThat(download.status()).isEqualTo(200);
        Path file = Files.write(media.resolve(name), download.bytes());
        return bundledProbe.probe(file);
    }

    private String uploadVideo(String key, String name, String pattern) throws Exception {
        Path file = media.resolve(name);
        TestMedia.ffmpeg("-f", "lavfi", "-i", pattern, "-f", "lavfi", "-i", "sine=frequency=440", "-t", "3",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", file.toString());
        ApiClient.Response uploaded = api.postMultipart("/api/v1/videos", key,
                List.of(Part.file("file", file, "video/mp4")));
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        return uploaded.json().get("data").get("video_id").asText();
    }
}
