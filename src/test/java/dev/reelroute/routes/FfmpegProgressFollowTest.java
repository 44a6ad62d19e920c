package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.job.FfmpegProgressTracker;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * FFmpeg's own progress during a render, as a subscriber of reelroute.job-events sees it: several rendering
 * events, increasing, mapped onto the render's span of the job (10..90), each saying how far FFmpeg is; and the
 * run is followed only while it runs, whether it ends well or is killed (FFmpeg's time limit, 12 s here).
 */
class FfmpegProgressFollowTest extends ServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RENDERING = Pattern.compile("Rendering video \\((\\d+)%\\)");

    @TempDir
    static Path media;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.ffmpeg.timeout", () -> "12s");
    }

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    FfmpegProgressTracker tracker;

    private Connection connection;
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void subscribe() throws Exception {
        connection = connectionFactory.createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(session.createTopic("reelroute.job-events"))
                .setMessageListener(message -> {
                    try {
                        events.add(message instanceof TextMessage text ? JSON.readTree(text.getText())
                                : JSON.readTree(message.getBody(byte[].class)));
                    } catch (Exception unreadable) {
                        throw new IllegalStateException(unreadable);
                    }
                });
        connection.start();
    }

    @AfterEach
    void unsubscribe() throws Exception {
        connection.close();
    }

    @Test
    void aRenderReportsItsProgressWithinItsSpanAndIsNoLongerFollowedOnceDone() throws Exception {
        String key = newAccountKey("progress-done");
        String jobId = submit(key, 8);

        JsonNode status = awaitEnd(jobId, key);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("COMPLETED");
        assertThat(tracker.followedJobs()).as("followed after the render").doesNotContain(jobId);
        // events are published in order: all of the render's are in once its completion is
        awaitEvent(jobId, "completed");

        List<JsonNode> rendering = renderingEvents(jobId);
        assertThat(rendering).as("FFmpeg's progress events").hasSizeGreaterThan(1);
        List<Integer> overall = rendering.stream().map(event -> event.get("progress").asInt()).toList();
        assertThat(overall).isSorted().doesNotHaveDuplicates().allMatch(p -> p > 10 && p <= 90);
        for (JsonNode event : rendering) {
            Matcher message = RENDERING.matcher(event.get("message").asText());
            assertThat(message.matches()).as(event.toString()).isTrue();
            int within = Integer.parseInt(message.group(1));
            assertThat(event.get("progress").asInt()).as(event.toString()).isEqualTo(10 + 80 * within / 100);
            assertThat(event.get("status").asText()).isEqualTo("PROCESSING");
        }
    }

    @Test
    void aRenderKilledAtItsTimeLimitIsNoLongerFollowed() throws Exception {
        String key = newAccountKey("progress-killed");
        String jobId = submit(key, 240);

        Awaitility.await("the render is followed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> tracker.followedJobs().contains(jobId));
        Awaitility.await("its progress is reported").atMost(Duration.ofSeconds(60))
                .until(() -> !renderingEvents(jobId).isEmpty());

        JsonNode status = awaitEnd(jobId, key);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("FAILED");
        assertThat(status.get("errorMessage").asText()).contains("time limit");
        assertThat(tracker.followedJobs()).as("followed after the render was killed").doesNotContain(jobId);
    }

    private String submit(String key, double audioSeconds) throws Exception {
        ApiClient.Response created = api.submit(key, TestMedia.png(media, 1280, 720), "image/png",
                TestMedia.wav(media, audioSeconds), "audio/wav", null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("jobId").asText();
    }

    private JsonNode awaitEnd(String jobId, String key) {
        JsonNode[] status = new JsonNode[1];
        Awaitility.await("the job ends").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    status[0] = api.get("/api/status/" + jobId, key).json();
                    return !List.of("PENDING", "PROCESSING").contains(status[0].get("status").asText());
                });
        return status[0];
    }

    private void awaitEvent(String jobId, String type) {
        Awaitility.await("the " + type + " event").atMost(Duration.ofSeconds(60))
                .until(() -> !eventsOf(jobId, type).isEmpty());
    }

    private List<JsonNode> renderingEvents(String jobId) {
        return eventsOf(jobId, "progress").stream()
                .filter(event -> event.get("stage").asText().equals("rendering")).toList();
    }

    private List<JsonNode> eventsOf(String jobId, String type) {
        synchronized (events) {
            return events.stream().filter(event -> event.get("jobId").asText().equals(jobId))
                    .filter(event -> event.get("type").asText().equals(type)).toList();
        }
    }
}
