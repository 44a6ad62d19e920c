package dev.reelroute.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.LocalReceiversServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.WebhookReceiver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** webhookEventsFilter / webhook_events_filter: which of a job's events reach its webhook. */
class WebhookEventsFilterTest extends LocalReceiversServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path media;
    static Path image;
    static Path audio;

    private String key;

    @BeforeAll
    static void makeMedia() throws Exception {
        image = TestMedia.png(media, 640, 360);
        audio = TestMedia.wav(media, 1.5);
    }

    @BeforeEach
    void account() {
        key = newAccountKey("filter-" + System.nanoTime());
    }

    /** Submits a job with the filter, waits for its terminal webhook, and returns every webhook it sent. */
    private List<JsonNode> webhooksOfJob(String filter) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            List<Part> parts = new ArrayList<>(List.of(Part.file("image", image, "image/png"),
                    Part.file("audio", audio, "audio/wav"), Part.field("webhookUrl", receiver.url("/hook"))));
            if (filter != null) {
                parts.add(Part.field("webhookEventsFilter", filter));
            }
            ApiClient.Response created = api.postMultipart("/api/jobs", key, parts);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            List<JsonNode> received = new ArrayList<>();
            WebhookReceiver.Received hook;
            while ((hook = receiver.next(60, TimeUnit.SECONDS)) != null) {
                JsonNode body = JSON.readTree(hook.body());
                received.add(body);
                if (body.get("status").asText().equals("COMPLETED") || body.get("status").asText().equals("FAILED")) {
                    break;
                }
            }
            // anything sent late (out of order) would show up now
            while ((hook = receiver.next(1500, TimeUnit.MILLISECONDS)) != null) {
                received.add(JSON.readTree(hook.body()));
            }
            return received;
        }
    }

    private static List<String> statuses(List<JsonNode> hooks) {
        return hooks.stream().map(h -> h.get("status").asText()).toList();
    }

    @Test
    void completedOnlyGetsTheTerminalEventAsBefore() throws Exception {
        assertThat(statuses(webhooksOfJob("completed"))).containsExactly("COMPLETED");
        assertThat(statuses(webhooksOfJob(null))).containsExactly("COMPLETED");
    }

    @Test
    void startAndCompletedGetBothAndNoProgress() throws Exception {
        List<JsonNode> hooks = webhooksOfJob("start, completed");
        assertThat(statuses(hooks)).containsExactly("PROCESSING", "COMPLETED");
        assertThat(hooks.get(0).get("progress").asInt()).isLessThan(5);
    }

    @Test
    void progressGetsEachStage() throws Exception {
        List<JsonNode> hooks = webhooksOfJob("progress,completed");
        List<String> statuses = statuses(hooks);
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo("COMPLETED");
        assertThat(statuses.subList(0, statuses.size() - 1)).isNotEmpty().allMatch("PROCESSING"::equals);
        // the start (preparing, 2 %) is not a progress event
        assertThat(hooks.subList(0, hooks.size() - 1)).allMatch(h -> h.get("progress").asInt() > 2);
    }

    @Test
    void invalidFiltersAreRefusedInEachSurfacesErrorBody() throws Exception {
        int rowsBefore = jobRows();
        ApiClient.Response jobs = api.postMultipart("/api/jobs", key, List.of(Part.file("image", image, "image/png"),
                Part.file("audio", audio, "audio/wav"), Part.field("webhookEventsFilter", "start,done")));
        assertThat(jobs.status()).isEqualTo(400);
        assertThat(jobs.json().get("error").asText()).contains("webhookEventsFilter").contains("done");
        ApiClient.Response empty = api.postMultipart("/api/jobs", key, List.of(Part.file("image", image, "image/png"),
                Part.file("audio", audio, "audio/wav"), Part.field("webhookEventsFilter", "start,,completed")));
        assertThat(empty.status()).isEqualTo(400);

        ApiClient.Response generate = api.postJsonWithKey("/api/generate", key,
                "{\"prompt\":\"a cat\",\"webhook_events_filter\":[\"output\"]}");
        assertThat(generate.status()).isEqualTo(400);
        assertThat(generate.json().get("error").asText()).contains("webhook_events_filter");
        assertThat(generate.json().get("details").get(0).get("path").get(0).asText())
                .isEqualTo("webhook_events_filter");
        ApiClient.Response notArray = api.postJsonWithKey("/api/generate", key,
                "{\"prompt\":\"a cat\",\"webhook_events_filter\":\"completed\"}");
        assertThat(notArray.status()).isEqualTo(400);

        ApiClient.Response style = api.postJsonWithKey("/api/v1/jobs", key,
                "{\"video_id\":\"cabcdefghijklmnopqrstuvwx\",\"webhook_events_filter\":[\"logs\"]}");
        assertThat(style.status()).isEqualTo(400);
        assertThat(style.json().get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(style.json().get("error").get("message").asText()).contains("webhook_events_filter");
        assertThat(jobRows()).isEqualTo(rowsBefore);
    }

    @Test
    void filtersAreStoredInOneForm() {
        assertThat(WebhookEvents.parseCommaSeparated(" Completed ,start ")).isEqualTo("start,completed");
        assertThat(WebhookEvents.parseCommaSeparated("")).isNull();
        assertThat(WebhookEvents.stored(List.of("progress", "progress"))).isEqualTo("progress");
        assertThat(WebhookEvents.of(null)).containsExactly(WebhookEvents.Event.COMPLETED);
        assertThatThrownBy(() -> WebhookEvents.stored(List.of())).isInstanceOf(WebhookEvents.InvalidFilterException.class);
    }
}
