package dev.reelroute.styletransfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.WebhookReceiver;
import dev.reelroute.support.WorkerlessServiceTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The style-transfer API's uploads and jobs: every answer in the envelope, each refusal with its code.
 * No worker runs here, so jobs stay queued.
 */
class StyleApiTest extends WorkerlessServiceTest {
    @TempDir
    static Path media;
    static Path video;
    static Path silentVideo;

    private String key;

    @BeforeAll
    static void makeMedia() throws Exception {
        video = media.resolve("clip.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", video.toString());
        silentVideo = media.resolve("silent.webm");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10:duration=1", "-c:v", "libvpx",
                "-b:v", "200k", silentVideo.toString());
    }

    @BeforeEach
    void account() {
        key = newAccountKey("style-" + System.nanoTime());
    }

    private ApiClient.Response upload(String apiKey, Path file, String name) throws Exception {
        return api.postMultipart("/api/v1/videos", apiKey, List.of(Part.file("file", name, "video/mp4",
                Files.readAllBytes(file))));
    }

    private static JsonNode ok(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("error").isNull()).isTrue();
        return body.get("data");
    }

    private static void refused(ApiClient.Response response, int status, String code, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("data").isNull()).isTrue();
        assertThat(body.get("error").get("code").asText()).isEqualTo(code);
        assertThat(body.get("error").get("message").asText()).contains(messagePart);
        assertThat(response.body()).doesNotContain("Exception", "at dev.", "at org.");
    }

    @Test
    void anUploadIsProbedAndOwnedByItsAccount() throws Exception {
        JsonNode uploaded = ok(upload(key, video, "clip.mp4"), 201);
        assertThat(uploaded.get("video_id").asText()).isNotBlank();
        assertThat(uploaded.get("width").asInt()).isEqualTo(320);
        assertThat(uploaded.get("height").asInt()).isEqualTo(180);
        assertThat(uploaded.get("fps").asDouble()).isEqualTo(25.0);
        assertThat(uploaded.get("duration_seconds").asDouble()).isBetween(1.9, 2.1);
        assertThat(uploaded.get("video_codec").asText()).isEqualTo("h264");
        assertThat(uploaded.get("audio_codec").asText()).isEqualTo("aac");
        assertThat(uploaded.get("has_audio").asBoolean()).isTrue();

        JsonNode silent = ok(upload(key, silentVideo, "silent.webm"), 201);
        assertThat(silent.get("container").asText()).isEqualTo("webm");
        assertThat(silent.get("has_audio").asBoolean()).isFalse();

        String id = uploaded.get("video_id").asText();
        assertThat(ok(api.get("/api/v1/videos/" + id, key), 200).get("video_id").asText()).isEqualTo(id);
        refused(api.get("/api/v1/videos/" + id, newAccountKey("stranger")), 404, "NOT_FOUND", "Video not found");
    }

    @Test
    void badUploadsAreRefusedWithTheirCodes() throws Exception {
        refused(api.postMultipart("/api/v1/videos", key, List.of(Part.field("name", "x"))), 400, "VALIDATION_ERROR",
                "Missing required file field 'file'");
        Path text = media.resolve("notes.mp4");
        Files.writeString(text, "these are not moving pictures\n".repeat(50), StandardCharsets.UTF_8);
        refused(upload(key, text, "notes.mp4"), 415, "UNSUPPORTED_MEDIA_TYPE", "accepts mp4, mov, webm, mkv");
        Path corrupt = media.resolve("corrupt.mp4");
        byte[] head = Arrays.copyOf(Files.readAllBytes(video), 600);
        Files.write(corrupt, head);
        refused(upload(key, corrupt, "corrupt.mp4"), 422, "INVALID_VIDEO", "could not be read");
        Path audioOnly = media.resolve("audio-only.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", audioOnly.toString());
        // an audio-only MP4 is sniffed as what it is
        refused(upload(key, audioOnly, "audio-only.mp4"), 415, "UNSUPPORTED_MEDIA_TYPE", "(audio/mp4)");
        Path zeroSeconds = media.resolve("zero.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x64:rate=25", "-frames:v", "0", "-c:v", "libx264",
                zeroSeconds.toString());
        ApiClient.Response zero = upload(key, zeroSeconds, "zero.mp4");
        assertThat(zero.status()).as(zero.body()).isEqualTo(422);
        assertThat(zero.json().get("error").get("code").asText()).isEqualTo("INVALID_VIDEO");
        Path empty = media.resolve("empty.mp4");
        Files.write(empty, new byte[0]);
        refused(upload(key, empty, "empty.mp4"), 400, "VALIDATION_ERROR", "is empty");
        Path tooLong = media.resolve("long.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "color=size=64x64:rate=5:duration=" + (VIDEO_MAX_SECONDS + 5),
                "-c:v", "libx264", "-preset", "ultrafast", tooLong.toString());
        refused(upload(key, tooLong, "long.mp4"), 400, "VALIDATION_ERROR",
                "the limit is " + VIDEO_MAX_SECONDS + " s");
        refused(upload(null, video, "clip.mp4"), 401, "UNAUTHORIZED", "Missing X-API-Key");
    }

    @Test
    void jobsAreQueuedReadListedAndCancelledInTheEnvelope() throws Exception {
        String source = ok(upload(key, video, "clip.mp4"), 201).get("video_id").asText();
        String template = ok(upload(key, silentVideo, "t.webm"), 201).get("video_id").asText();

        JsonNode job = ok(api.postJsonWithKey("/api/v1/jobs", key, "{\"video_id\":\"" + source
                + "\",\"template_video_id\":\"" + template + "\",\"config\":{}}"), 202);
        String jobId = job.get("job_id").asText();
        assertThat(job.get("video_id").asText()).isEqualTo(source);
        assertThat(job.get("template_video_id").asText()).isEqualTo(template);
        assertThat(job.get("status").asText()).isEqualTo("queued");
        assertThat(job.get("progress_percent").asInt()).isZero();
        assertThat(job.get("current_stage").isNull()).isTrue();
        assertThat(job.get("started_at").isNull()).isTrue();
        assertThat(job.get("created_at").asText()).endsWith("Z");

        assertThat(ok(api.get("/api/v1/jobs/" + jobId, key), 200).get("status").asText()).isEqualTo("queued");
        refused(api.get("/api/v1/jobs/" + jobId + "/result", key), 409, "RESULT_NOT_READY", "not ready");

        ok(api.postJsonWithKey("/api/v1/jobs", key, "{\"video_id\":\"" + source + "\"}"), 202);
        JsonNode list = api.get("/api/v1/jobs?per_page=1&page=2", key).json();
        assertThat(list.get("success").asBoolean()).isTrue();
        assertThat(list.get("data")).hasSize(1);
        assertThat(list.get("data").get(0).get("job_id").asText()).isEqualTo(jobId);
        assertThat(list.get("meta").get("total").asLong()).isEqualTo(2);
        assertThat(list.get("meta").get("total_pages").asLong()).isEqualTo(2);
        assertThat(list.get("meta").get("page").asInt()).isEqualTo(2);
        refused(api.get("/api/v1/jobs?per_page=500", key), 400, "VALIDATION_ERROR", "per_page");
        refused(api.get("/api/v1/jobs?status=done", key), 400, "VALIDATION_ERROR", "status must be one of");

        JsonNode cancelled = ok(api.post("/api/v1/jobs/" + jobId + "/cancel", key), 200);
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.get("completed_at").asText()).endsWith("Z");
        refused(api.post("/api/v1/jobs/" + jobId + "/cancel", key), 409, "JOB_NOT_CANCELLABLE", "cancelled");
        JsonNode result = ok(api.get("/api/v1/jobs/" + jobId + "/result", key), 200);
        assertThat(result.get("style_json").isNull()).isTrue();
        assertThat(result.get("output_video_url").isNull()).isTrue();
        assertThat(api.get("/api/v1/jobs?status=cancelled", key).json().get("meta").get("total").asLong())
                .isEqualTo(1);
    }

    @Test
    void cancellingDeliversTheSignedEnvelopeWebhook() throws Exception {
        String source = ok(upload(key, video, "clip.mp4"), 201).get("video_id").asText();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String jobId = ok(api.postJsonWithKey("/api/v1/jobs", key, "{\"video_id\":\"" + source
                    + "\",\"webhook_url\":\"" + receiver.url("/style") + "\"}"), 202).get("job_id").asText();
            ok(api.post("/api/v1/jobs/" + jobId + "/cancel", key), 200);
            WebhookReceiver.Received hook = receiver.next(30, TimeUnit.SECONDS);
            assertThat(hook).isNotNull();
            JsonNode event = new ObjectMapper().readTree(hook.body());
            assertThat(event.get("success").asBoolean()).isTrue();
            assertThat(event.get("data").get("job_id").asText()).isEqualTo(jobId);
            assertThat(event.get("data").get("status").asText()).isEqualTo("cancelled");
            assertThat(event.get("data").has("processing_time_seconds")).isTrue();
            assertThat(hook.header("X-Webhook-Signature")).matches("[0-9a-f]{64}");
        }
    }

    @Test
    void badJobRequestsAreRefusedWithTheirCodes() throws Exception {
        String source = ok(upload(key, video, "clip.mp4"), 201).get("video_id").asText();
        refused(api.postJsonWithKey("/api/v1/jobs", key, "{}"), 400, "VALIDATION_ERROR", "video_id is required");
        refused(api.postJsonWithKey("/api/v1/jobs", key, "{\"video_id\": 7}"), 400, "VALIDATION_ERROR",
                "video_id must be a non-empty string");
        refused(api.postJsonWithKey("/api/v1/jobs", key, "not json"), 400, "VALIDATION_ERROR", "Malformed JSON");
        refused(api.postJsonWithKey("/api/v1/jobs", key, "{\"video_id\":\"nosuchvideo\"}"), 404, "NOT_FOUND",
                "Video 'nosuchvideo' not found");
        refused(api.postJsonWithKey("/api/v1/jobs", key, "{\"video_id\":\"" + source
                + "\",\"template_video_id\":\"nosuchvideo\"}"), 404, "NOT_FOUND", "Template video");
        refused(api.postJsonWithKey("/api/v1/jobs", key, "{\"video_id\":\"" + source + "\",\"config\":[1]}"), 400,
                "VALIDATION_ERROR", "config must be an object");
        refused(api.postJsonWithKey("/api/v1/jobs", key, "{\"video_id\":\"" + source
                + "\",\"webhook_url\":\"ftp://example.com/hook\"}"), 400, "VALIDATION_ERROR", "Invalid webhook_url");

        // another account's video is as good as none
        AccountStore.CreatedKey stranger = newAccount("stranger-" + System.nanoTime());
        refused(api.postJsonWithKey("/api/v1/jobs", stranger.apiKey(), "{\"video_id\":\"" + source + "\"}"), 404,
                "NOT_FOUND", "not found");
        refused(api.get("/api/v1/jobs/nosuchjob", key), 404, "NOT_FOUND", "Job not found");
    }
}
