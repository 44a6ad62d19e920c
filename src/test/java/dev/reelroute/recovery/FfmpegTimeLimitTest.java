package dev.reelroute.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.FfmpegProcesses;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** FFmpeg's own wall-clock limit (2 s here): the render is killed and the job says which limit it hit. */
class FfmpegTimeLimitTest extends ServiceTest {
    @TempDir
    static Path media;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.ffmpeg.timeout", () -> "2s");
    }

    @Test
    void aRenderPastFfmpegsTimeLimitFailsTheJobSayingSo() throws Exception {
        String key = newAccountKey("long-render");
        ApiClient.Response created = api.submit(key, TestMedia.png(media, 1280, 720), "image/png",
                TestMedia.wav(media, 240), "audio/wav", null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String jobId = created.json().get("jobId").asText();

        JsonNode job = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/api/status/" + jobId, key).json(),
                        read -> !List.of("PENDING", "PROCESSING").contains(read.get("status").asText()));

        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("FAILED");
        assertThat(job.get("errorMessage").asText()).isEqualTo("Rendering stopped: FFmpeg hit its time limit of 2 s");
        assertThat(FfmpegProcesses.under(dataDir.resolve("work").resolve(jobId))).as("no FFmpeg left").isEmpty();
    }
}
