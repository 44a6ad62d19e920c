package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.LocalReceiversServiceTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A field that takes one value and arrives twice is a 400 naming it, on every surface that takes fields (multipart
 * parts, query parameters, JSON members), in that surface's error body; nothing is created.
 */
class RepeatedFieldsTest extends LocalReceiversServiceTest {
    private static final byte[] PNG_BYTES = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private String key;

    @BeforeEach
    void account() {
        key = newAccountKey("repeated-" + System.nanoTime());
    }

    private static Part file(String name) {
        return Part.file(name, name + ".png", "image/png", PNG_BYTES);
    }

    /** The message of the surface's error body: {"error"}, {"detail"} or the envelope's error.message. */
    private static String message(ApiClient.Response response) {
        JsonNode body = response.json();
        if (body.has("detail")) {
            return body.get("detail").asText();
        }
        JsonNode error = body.get("error");
        return error.isObject() ? error.get("message").asText() : error.asText();
    }

    private void assertRefused(ApiClient.Response response, String field, String bodyShape) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().has(bodyShape)).as(response.body()).isTrue();
        assertThat(message(response)).isEqualTo(field + " was sent more than once: it takes one value");
    }

    @Test
    void twoWebhookUrlPartsAreRefusedNotJoined() throws Exception {
        int rows = jobRows();
        ApiClient.Response jobs = api.postMultipart("/api/jobs", key, List.of(file("image"), file("audio"),
                Part.field("webhookUrl", "https://a.example/x"), Part.field("webhookUrl", "https://b.example/y")));
        assertRefused(jobs, "webhookUrl", "error");

        ApiClient.Response videoJobs = api.postMultipart("/api/v1/video-jobs", key, List.of(
                Part.field("prompt", "a cat"), Part.field("webhookUrl", "https://a.example/x"),
                Part.field("webhookUrl", "https://b.example/y")));
        assertRefused(videoJobs, "webhookUrl", "detail");
        assertThat(jobRows()).isEqualTo(rows);
    }

    @Test
    void everyMultipartSurfaceRefusesARepeatedField() throws Exception {
        assertRefused(api.postMultipart("/api/jobs", key, List.of(file("image"), file("image"), file("audio"))),
                "image", "error");
        assertRefused(api.postMultipart("/api/v1/video-jobs", key, List.of(Part.field("prompt", "a cat"),
                Part.field("prompt", "a dog"))), "prompt", "detail");
        assertRefused(api.postMultipart("/api/v1/videos", key, List.of(file("file"), Part.field("file", "x"))),
                "file", "success");
        assertRefused(api.postMultipart("/api/video-projects", key, List.of(Part.field("name", "a"),
                Part.field("name", "b"))), "name", "error");
        assertRefused(api.postMultipart("/api/video-projects/cabcdefghijklmnopqrstuvwx/clips", key, List.of(
                file("image"), Part.field("motionPrompt", "pan left"), Part.field("motionPrompt", "zoom in"))),
                "motionPrompt", "error");
    }

    @Test
    void aFieldInTheQueryAndInTheBodyIsSentTwice() throws Exception {
        ApiClient.Response both = api.postMultipart("/api/jobs?webhookUrl=https%3A%2F%2Fa.example%2Fx", key,
                List.of(file("image"), file("audio"), Part.field("webhookUrl", "https://b.example/y")));
        assertRefused(both, "webhookUrl", "error");
        assertRefused(api.get("/api/jobs?limit=1&limit=2", key), "limit", "error");
        assertRefused(api.get("/api/v1/video-jobs?status_filter=PENDING&status_filter=FAILED", key),
                "status_filter", "detail");
        assertRefused(api.get("/api/v1/jobs?page=1&page=2", key), "page", "success");
    }

    @Test
    void referenceImagesIsTheOneFieldThatRepeats() throws Exception {
        ApiClient.Response references = api.postMultipart("/api/v1/video-jobs", key, List.of(
                Part.field("prompt", "a cat"), file("referenceImages"), file("referenceImages")));
        assertThat(references.status()).as(references.body()).isNotEqualTo(500);
        assertThat(references.body()).doesNotContain("more than once");
    }

    @Test
    void aJsonMemberThatAppearsTwiceIsRefused() throws Exception {
        assertRefused(api.postJsonWithKey("/api/generate", key, "{\"prompt\":\"a cat\",\"prompt\":\"a dog\"}"),
                "prompt", "error");
        assertRefused(api.postJsonWithKey("/api/v1/jobs", key,
                "{\"video_id\":\"cabcdefghijklmnopqrstuvwx\",\"webhook_url\":\"https://a.example/x\","
                        + "\"webhook_url\":\"https://b.example/y\"}"), "webhook_url", "success");
        assertRefused(api.postJsonWithKey("/api/video-projects/generate", key,
                "{\"projectId\":\"a\",\"projectId\":\"b\"}"), "projectId", "error");
        assertRefused(api.postJsonWithHeaders("/admin/accounts", "{\"name\":\"a\",\"name\":\"b\"}",
                "Authorization", "Bearer " + ADMIN_TOKEN), "name", "error");
    }
}
