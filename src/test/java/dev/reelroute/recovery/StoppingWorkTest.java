package dev.reelroute.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.job.RunningWork;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.FfmpegProcesses;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
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

    @Autowired
    RunningWork runningWork;

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
        List<ProcessHandle> working = new ArrayList<>();
        await("FFmpeg works on the job", () -> working.addAll(ffmpegOf(jobId)));
        assertThat(runningWork.isWorkingOn(jobId)).as("the worker holds the job").isTrue();

        ApiClient.Response cancelled = api.post("/api/v1/jobs/" + jobId + "/cancel", key);
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("data").get("status").asText()).isEqualTo("cancelled");
        // killed by the cancel itself (not later, by the job's time limit): gone by the time it is answered
        assertThat(working).as("the FFmpeg that worked on the job").noneMatch(ProcessHandle::isAlive);
        await("no FFmpeg works on it any more", () -> ffmpegOf(jobId).isEmpty());
        await("its scratch files are gone", () -> !Files.exists(workDir(jobId)));

        // the worker's own ending must not overwrite the cancel
        await("the worker has ended", () -> !runningWork.isWorkingOn(jobId));
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

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
