package dev.reelroute.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.FfmpegProcesses;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Work stopped from outside its route: by the job time limit (8 s here) and by a cancel. Either way its FFmpeg is
 * killed (checked in the process table), its scratch files go, and the job says why it ended.
 */
class StoppingWorkTest extends ServiceTest {
    @TempDir
    static Path media;
    static Path image;
    static Path longAudio;
    static Path longVideo;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.jobs.max-duration", () -> "8s");
    }

    @BeforeAll
    static void makeMedia() throws Exception {
        image = TestMedia.png(media, 1280, 720);
        longAudio = TestMedia.wav(media, 240);
        longVideo = media.resolve("long.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:rate=25:duration=120", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=120", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", longVideo.toString());
    }

    @Test
    void aJobPastItsTimeLimitFailsSayingSoAndLeavesNoFfmpegBehind() throws Exception {
        String key = newAccountKey("slow");
        ApiClient.Response created = api.submit(key, image, "image/png", longAudio, "audio/wav", null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String jobId = created.json().get("jobId").asText();
        await("FFmpeg renders the job", () -> !ffmpegOf(jobId).isEmpty());

        await("the job ends", () -> !status(jobId, key).get("status").asText().equals("PROCESSING"));
        JsonNode job = status(jobId, key);
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("errorMessage").asText()).isEqualTo("The job ran past its time limit of 8 s and was stopped");
        await("its FFmpeg is gone", () -> ffmpegOf(jobId).isEmpty());
        await("its scratch files are gone", () -> !Files.exists(workDir(jobId)));
    }

    @Test
    void cancellingARunningStyleJobKillsItsFfmpegAndRemovesItsFiles() throws Exception {
        String key = newAccountKey("cancel");
        ApiClient.Response uploaded = api.postMultipart("/api/v1/videos", key,
                List.of(Part.file("file", longVideo, "video/mp4")));
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        String videoId = uploaded.json().get("data").get("video_id").asText();
        ApiClient.Response created = api.postJsonWithKey("/api/v1/jobs", key,
                "{\"video_id\":\"" + videoId + "\",\"template_video_id\":\"" + videoId + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String jobId = created.json().get("data").get("job_id").asText();
        await("FFmpeg works on the job", () -> !ffmpegOf(jobId).isEmpty());

        long cancelledAt = System.nanoTime();
        ApiClient.Response cancelled = api.post("/api/v1/jobs/" + jobId + "/cancel", key);
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("data").get("status").asText()).isEqualTo("cancelled");
        await("its FFmpeg is gone", () -> ffmpegOf(jobId).isEmpty());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt)).as("ms until FFmpeg was killed")
                .isLessThan(3000);
        await("its scratch files are gone", () -> !Files.exists(workDir(jobId)));

        Thread.sleep(1500); // the worker's own ending must not overwrite the cancel
        JsonNode result = api.get("/api/v1/jobs/" + jobId + "/result", key).json().get("data");
        assertThat(result.get("status").asText()).isEqualTo("cancelled");
        assertThat(result.path("output_video_url").isMissingNode() || result.get("output_video_url").isNull())
                .as("no output: %s", result).isTrue();
    }

    private JsonNode status(String jobId, String key) {
        try {
            return api.get("/api/status/" + jobId, key).json();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Path workDir(String jobId) {
        return dataDir.resolve("work").resolve(jobId).toAbsolutePath();
    }

    private List<ProcessHandle> ffmpegOf(String jobId) {
        return FfmpegProcesses.under(workDir(jobId));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Never reached: " + what);
            }
            Thread.sleep(20);
        }
    }
}
