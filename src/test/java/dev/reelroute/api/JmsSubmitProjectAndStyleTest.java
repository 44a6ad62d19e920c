package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.project.ProjectStore;
import dev.reelroute.project.VideoProject;
import dev.reelroute.security.AccountStore;
import dev.reelroute.storage.Storage;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.FileServer;
import dev.reelroute.support.JmsSubmitter;
import dev.reelroute.support.LocalReceiversServiceTest;
import dev.reelroute.support.TestMedia;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The two kinds that join the JMS surface: a video project (made, filled with clips and run by one request) and a
 * style-transfer job, from URLs and from the stored keys an earlier answer listed, run to the end on the real
 * broker, database, storage and ffmpeg; and their refusals, with the codes of the other kinds and nothing made.
 */
class JmsSubmitProjectAndStyleTest extends LocalReceiversServiceTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path media;
    static FileServer files;

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    JobStore jobs;
    @Autowired
    ProjectStore projects;
    @Autowired
    Storage storage;

    @BeforeAll
    static void serveInputs() throws Exception {
        Path source = media.resolve("source.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x180:rate=25:duration=2", "-f", "lavfi", "-i",
                "sine=frequency=330:duration=2", "-ac", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                source.toString());
        Path template = media.resolve("template.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x180:rate=25:duration=2", "-vf",
                "eq=brightness=0.2:saturation=1.6", "-c:v", "libx264", "-pix_fmt", "yuv420p", template.toString());
        files = new FileServer()
                .file("/first.png", TestMedia.png(media, 640, 360), "image/png")
                .file("/second.png", TestMedia.png(media, 360, 640), "image/png")
                .file("/music.wav", TestMedia.wav(media, 4.0), "audio/wav")
                .file("/source.mp4", source, "video/mp4")
                .file("/template.mp4", template, "video/mp4")
                .bytes("/page.png", "<!doctype html><p>not an image</p>".getBytes(StandardCharsets.UTF_8), "image/png");
    }

    @AfterAll
    static void stopServer() {
        files.close();
    }

    @Test
    void aVideoProjectSubmittedOverJmsIsMadeWithItsClipsAndItsRunCompletes() throws Exception {
        AccountStore.CreatedKey account = newAccount("jms-project-" + System.nanoTime());
        try (JmsSubmitter producer = new JmsSubmitter(connectionFactory)) {
            producer.send("{\"kind\":\"video-project\",\"name\":\"Harbour\",\"resolution\":\"720p\","
                    + "\"aspectRatio\":\"16:9\",\"transitionsEnabled\":true,\"musicVolume\":0.4,"
                    + "\"music\":\"" + files.url("/music.wav") + "\",\"clips\":["
                    + "{\"image\":\"" + files.url("/first.png") + "\",\"motionPrompt\":\"slow zoom in\","
                    + "\"durationSeconds\":2},"
                    + "{\"image\":\"" + files.url("/second.png") + "\",\"motionPrompt\":\"pan left\","
                    + "\"durationSeconds\":2}]}", account.apiKey(), "project-1");
            TextMessage reply = producer.reply(60_000);
            assertThat(reply).isNotNull();
            assertThat(reply.getJMSCorrelationID()).isEqualTo("project-1");
            JsonNode accepted = JmsSubmitter.json(reply);
            assertThat(accepted.path("status").asText()).as(accepted.toString()).isEqualTo("PENDING");
            String projectId = accepted.path("videoProjectId").asText();
            String runId = accepted.path("runId").asText();
            assertThat(projectId).startsWith("vp_");
            assertThat(runId).startsWith("run_");
            assertThat(accepted.path("inputs").path("music").asText()).startsWith("projects/" + projectId + "/music.");
            assertThat(accepted.path("inputs").path("clips")).hasSize(2);

            // the same project as the REST surface makes: the account's, its clips in order, run to the end
            JsonNode project = api.get("/api/video-projects/" + projectId, account.apiKey()).json();
            assertThat(project.path("name").asText()).isEqualTo("Harbour");
            assertThat(project.path("clips")).extracting(clip -> clip.path("motionPrompt").asText())
                    .containsExactly("slow zoom in", "pan left");
            JsonNode run = awaitRun(runId, accepted.path("publicAccessToken").asText());
            assertThat(run.path("status").asText()).as(run.toString()).isEqualTo(VideoProject.COMPLETED);
            assertThat(run.path("finalVideoUrl").asText()).isNotBlank();

            // a second project names the first one's stored clip image instead of a URL: a copy of its own
            String storedImage = accepted.path("inputs").path("clips").get(0).asText();
            producer.send("{\"kind\":\"video-project\",\"clips\":[{\"image\":\"" + storedImage + "\","
                    + "\"durationSeconds\":1}]}", account.apiKey(), "project-2");
            JsonNode second = JmsSubmitter.json(producer.reply(60_000));
            assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("PENDING");
            String copied = second.path("inputs").path("clips").get(0).asText();
            assertThat(copied).startsWith("projects/" + second.path("videoProjectId").asText() + "/clips/");
            assertThat(storage.open(copied)).isPresent();
            JsonNode secondRun = awaitRun(second.path("runId").asText(), second.path("publicAccessToken").asText());
            assertThat(secondRun.path("status").asText()).as(secondRun.toString()).isEqualTo(VideoProject.COMPLETED);
        }
    }

    @Test
    void aStyleTransferSubmittedOverJmsRunsToCompletionAndItsStoredSourceCanBeNamedAgain() throws Exception {
        AccountStore.CreatedKey account = newAccount("jms-style-" + System.nanoTime());
        try (JmsSubmitter producer = new JmsSubmitter(connectionFactory)) {
            producer.send("{\"kind\":\"style-transfer\",\"source\":\"" + files.url("/source.mp4") + "\","
                    + "\"template\":\"" + files.url("/template.mp4") + "\",\"config\":{\"strength\":0.8}}",
                    account.apiKey(), "style-1");
            TextMessage reply = producer.reply(60_000);
            assertThat(reply).isNotNull();
            assertThat(reply.getJMSCorrelationID()).isEqualTo("style-1");
            JsonNode accepted = JmsSubmitter.json(reply);
            assertThat(accepted.path("status").asText()).as(accepted.toString()).isEqualTo("PENDING");
            String jobId = accepted.path("jobId").asText();
            String sourceKey = accepted.path("inputs").path("source").asText();
            assertThat(sourceKey).matches("videos/[a-z0-9]+/video\\.mp4");
            assertThat(accepted.path("inputs").path("template").asText()).matches("videos/[a-z0-9]+/video\\.mp4");

            Job job = awaitJob(jobId);
            assertThat(job.status()).as(String.valueOf(job.errorMessage())).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.kind()).isEqualTo(Job.KIND_STYLE_TRANSFER);
            assertThat(job.apiKeyId()).isEqualTo(account.keyId());
            // readable on the style surface with the same key
            ApiClient.Response read = api.get("/api/v1/jobs/" + jobId, account.apiKey());
            assertThat(read.json().path("data").path("status").asText()).isEqualTo("completed");

            // the stored source named again: the same uploaded video, nothing fetched
            int fetched = files.hits("/source.mp4");
            producer.send("{\"kind\":\"style-transfer\",\"source\":\"" + sourceKey + "\"}", account.apiKey(), null);
            JsonNode again = JmsSubmitter.json(producer.reply(60_000));
            assertThat(again.path("inputs").path("source").asText()).as(again.toString()).isEqualTo(sourceKey);
            Job second = awaitJob(again.path("jobId").asText());
            assertThat(second.status()).as(String.valueOf(second.errorMessage())).isEqualTo(JobStatus.COMPLETED);
            assertThat(second.style().sourceVideoId()).isEqualTo(job.style().sourceVideoId());
            assertThat(files.hits("/source.mp4")).isEqualTo(fetched);
        }
    }

    @Test
    void projectAndStyleRequestsAreRefusedWithTheCodesOfTheOtherKindsAndMakeNothing() throws Exception {
        AccountStore.CreatedKey account = newAccount("jms-refused-" + System.nanoTime());
        AccountStore.CreatedKey other = newAccount("jms-other-" + System.nanoTime());
        String image = files.url("/first.png");
        try (JmsSubmitter producer = new JmsSubmitter(connectionFactory)) {
            assertRefused(producer, account, "{\"kind\":\"video-project\",\"name\":\"x\"}", "VALIDATION_ERROR",
                    "clips must be an array of at least one clip");
            assertRefused(producer, account, project("\"resolution\":\"4k\"", image), "VALIDATION_ERROR",
                    "resolution must be one of 1080p, 720p");
            assertRefused(producer, account, project("\"musicVolume\":3", image), "VALIDATION_ERROR",
                    "musicVolume must be a number from 0.0 to 1.0");
            assertRefused(producer, account, "{\"kind\":\"video-project\",\"clips\":[{\"image\":\"" + image
                    + "\",\"durationSeconds\":99}]}", "VALIDATION_ERROR", "durationSeconds must be a number from");
            assertRefused(producer, account, "{\"kind\":\"video-project\",\"clips\":[{\"motionPrompt\":\"zoom\"}]}",
                    "VALIDATION_ERROR", "clips[0].image is required");
            assertRefused(producer, account, project("\"name\":\"x\"", files.url("/page.png")),
                    "UNSUPPORTED_MEDIA_TYPE", "clips[0].image");
            assertRefused(producer, account, project("\"name\":\"x\"", files.url("/gone.png")),
                    "INPUT_DOWNLOAD_FAILED", "clips[0].image");
            assertRefused(producer, account, project("\"music\":\"" + files.url("/first.png") + "\"", image),
                    "UNSUPPORTED_MEDIA_TYPE", "music");
            // another account's stored input is the same refusal as a key that does not exist
            producer.send(project("\"name\":\"theirs\"", image), other.apiKey(), null);
            String theirs = JmsSubmitter.json(producer.reply(60_000)).path("inputs").path("clips").get(0).asText();
            assertRefused(producer, account, project("\"name\":\"x\"", theirs), "VALIDATION_ERROR",
                    "clips[0].image is neither an https URL nor the key of one of your stored inputs");

            int sourceHits = files.hits("/source.mp4");
            assertRefused(producer, account, "{\"kind\":\"style-transfer\"}", "VALIDATION_ERROR",
                    "source is required");
            // config and webhook fields are checked before anything is fetched
            assertRefused(producer, account, "{\"kind\":\"style-transfer\",\"source\":\"" + files.url("/source.mp4")
                    + "\",\"config\":{\"match_fps\":true}}", "VALIDATION_ERROR", "config.match_fps");
            assertRefused(producer, account, "{\"kind\":\"style-transfer\",\"source\":\"" + files.url("/source.mp4")
                    + "\",\"webhook_events_filter\":\"completed\"}", "VALIDATION_ERROR", "webhook_events_filter");
            assertThat(files.hits("/source.mp4")).isEqualTo(sourceHits);
            assertRefused(producer, account, "{\"kind\":\"style-transfer\",\"source\":\"" + image + "\"}",
                    "UNSUPPORTED_MEDIA_TYPE", "source");
            // a good source is not stored when the template is refused
            assertRefused(producer, account, "{\"kind\":\"style-transfer\",\"source\":\"" + files.url("/source.mp4")
                    + "\",\"template\":\"" + image + "\"}", "UNSUPPORTED_MEDIA_TYPE", "template");
            assertRefused(producer, account, "{\"kind\":\"style-transfer\",\"source\":\"videos/abc123/video.mp4\"}",
                    "VALIDATION_ERROR", "source is neither an https URL nor the key of one of your stored inputs");
        }
        assertThat(projects.listProjects(account.accountId(), 100)).as("no project was made").isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE account_id = ?", Integer.class,
                account.accountId())).as("no job was made").isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM videos WHERE account_id = ?", Integer.class,
                account.accountId())).as("no video was stored").isZero();
    }

    private static String project(String field, String image) {
        return "{\"kind\":\"video-project\"," + field + ",\"clips\":[{\"image\":\"" + image + "\"}]}";
    }

    private static void assertRefused(JmsSubmitter producer, AccountStore.CreatedKey account, String body,
                                      String code, String message) throws Exception {
        producer.send(body, account.apiKey(), null);
        TextMessage reply = producer.reply(60_000);
        assertThat(reply).as("a reply to " + body).isNotNull();
        JsonNode error = JmsSubmitter.json(reply).path("error");
        assertThat(error.path("code").asText()).as(body + " -> " + error).isEqualTo(code);
        assertThat(error.path("message").asText()).as(body).contains(message);
    }

    private JsonNode awaitRun(String runId, String publicAccessToken) {
        return await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(
                () -> api.getWithBearer("/api/runs/" + runId, publicAccessToken).json(),
                run -> List.of(VideoProject.COMPLETED, VideoProject.FAILED).contains(run.path("status").asText()));
    }

    private Job awaitJob(String jobId) {
        return await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> jobs.find(jobId).orElseThrow(), job -> job.status().isTerminal());
    }
}
