package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.security.AccountStore;
import dev.reelroute.storage.Storage;
import dev.reelroute.support.FileServer;
import dev.reelroute.support.JmsSubmitter;
import dev.reelroute.support.LocalReceiversServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.TokenLedger;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An enterprise producer's journey over the real embedded broker, database, storage and ffmpeg: an image + audio
 * job from URLs, then a mock video job from that job's stored image, each answered on the reply queue with its
 * correlation id, run to completion, and followed on reelroute.job-events by selectors on accountId and jobId.
 */
class JmsSubmitEndToEndTest extends LocalReceiversServiceTest {
    @TempDir
    static Path media;

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    JobStore jobs;
    @Autowired
    TokenLedger ledger;
    @Autowired
    CamelContext camel;
    @Autowired
    Storage storage;

    @Test
    void jobsSubmittedOverJmsRunToCompletionWithCorrelatedRepliesAndSelectableEvents() throws Exception {
        AccountStore.CreatedKey account = newAccount("jms-e2e-" + System.nanoTime());
        Tokens.topUp(camel, account.accountId(), 60);
        try (FileServer files = new FileServer();
             JmsSubmitter producer = new JmsSubmitter(connectionFactory)) {
            files.file("/still.png", TestMedia.png(media, 640, 360), "image/png")
                    .file("/voice.wav", TestMedia.wav(media, 6.0), "audio/wav")
                    .redirect("/moved/voice.wav", 302, "/voice.wav");
            // subscribed before sending: the created event goes out before the reply comes back
            List<Message> accountEvents = producer.subscribe("accountId = '" + account.accountId() + "'");
            List<Message> otherAccountEvents = producer.subscribe("accountId = 'someone-else'");

            producer.send("{\"kind\":\"image-audio\",\"image\":\"" + files.url("/still.png") + "\",\"audio\":\""
                    + files.url("/moved/voice.wav") + "\"}", account.apiKey(), "order-42");
            TextMessage imageAudioReply = producer.reply(30_000);
            assertThat(imageAudioReply).as("reply to the image + audio request").isNotNull();
            JsonNode accepted = JmsSubmitter.json(imageAudioReply);
            assertThat(imageAudioReply.getJMSCorrelationID()).isEqualTo("order-42");
            assertThat(imageAudioReply.getObjectProperty("apiKey")).isNull();
            assertThat(accepted.get("status").asText()).as(accepted.toString()).isEqualTo("PENDING");
            String imageAudioId = accepted.get("jobId").asText();
            assertThat(accepted.get("inputs").get("image").asText()).isEqualTo("jobs/" + imageAudioId + "/input-image.png");
            assertThat(accepted.get("inputs").get("audio").asText()).isEqualTo("jobs/" + imageAudioId + "/input-audio.wav");
            assertThat(files.hits("/moved/voice.wav")).as("the redirect was followed once").isEqualTo(1);
            List<Message> imageAudioEvents = producer.subscribe("accountId = '" + account.accountId()
                    + "' AND jobId = '" + imageAudioId + "'");

            // the second job names the first one's stored image instead of a URL; no correlation id this time
            TextMessage videoRequest = producer.send("{\"kind\":\"video-job\",\"prompt\":\"slow zoom in\","
                    + "\"model\":\"veo-3.1-fast-generate-preview\",\"resolution\":\"720p\",\"aspectRatio\":\"16:9\","
                    + "\"durationSeconds\":4,\"mockMode\":true,\"initialImage\":\""
                    + accepted.get("inputs").get("image").asText() + "\"}", account.apiKey(), null);
            TextMessage videoReply = producer.reply(30_000);
            assertThat(videoReply).as("reply to the video request").isNotNull();
            assertThat(videoReply.getJMSCorrelationID()).as("correlated by the request's message id")
                    .isEqualTo(videoRequest.getJMSMessageID());
            JsonNode videoAccepted = JmsSubmitter.json(videoReply);
            String videoId = videoAccepted.get("jobId").asText();
            assertThat(videoAccepted.get("inputs").get("initialImage").asText())
                    .as("a copy of its own, not the first job's file").isEqualTo("jobs/" + videoId + "/initial-image.png");
            List<Message> videoEvents = producer.subscribe("accountId = '" + account.accountId()
                    + "' AND jobId = '" + videoId + "'");

            // the same jobs as the REST surfaces make: one table, the key's id, the tokens charged
            Job imageAudio = awaitEnd(imageAudioId);
            Job video = awaitEnd(videoId);
            assertThat(imageAudio.status()).as(String.valueOf(imageAudio.errorMessage())).isEqualTo(JobStatus.COMPLETED);
            assertThat(video.status()).as(String.valueOf(video.errorMessage())).isEqualTo(JobStatus.COMPLETED);
            assertThat(imageAudio.kind()).isEqualTo(Job.KIND_IMAGE_AUDIO);
            assertThat(video.kind()).isEqualTo(Job.KIND_VIDEO_JOB);
            assertThat(List.of(imageAudio.apiKeyId(), video.apiKeyId())).containsOnly(account.keyId());
            assertThat(imageAudio.durationMs()).isBetween(5900L, 6100L);
            assertThat(video.tokensConsumed()).isEqualTo(50);
            assertThat(ledger.balance(account.accountId())).isEqualTo(10);
            assertThat(storage.open(video.outputVideoKey())).isPresent();
            assertThat(storage.open(accepted.get("inputs").get("image").asText()))
                    .as("the first job's input is still its own").isPresent();

            awaitEvent(imageAudioEvents, "completed");
            awaitEvent(videoEvents, "completed");
            assertThat(types(accountEvents, imageAudioId)).first().isEqualTo("created");
            assertThat(types(accountEvents, imageAudioId)).contains("stage", "progress").last().isEqualTo("completed");
            assertThat(types(accountEvents, videoId)).first().isEqualTo("created");
            assertThat(types(accountEvents, videoId)).contains("stage").last().isEqualTo("completed");
            // selected by account and job: only that job's events, and its story from the stages on
            assertThat(types(imageAudioEvents, null)).contains("stage", "progress").last().isEqualTo("completed");
            assertThat(types(videoEvents, null)).contains("stage").last().isEqualTo("completed");
            assertThat(jobIds(imageAudioEvents)).containsOnly(imageAudioId);
            assertThat(jobIds(videoEvents)).containsOnly(videoId);
            assertThat(otherAccountEvents).isEmpty();
            for (Message event : List.copyOf(accountEvents)) {
                assertThat(event.getObjectProperty("apiKey")).isNull();
                // the events are JSON in BytesMessages (job-progress marshals them)
                assertThat(new String(event.getBody(byte[].class), StandardCharsets.UTF_8))
                        .contains(event.getStringProperty("jobId")).doesNotContain(account.apiKey());
            }
            assertThat(producer.waiting(JmsSubmitter.SUBMIT_QUEUE)).isZero();
        }
    }

    private Job awaitEnd(String jobId) {
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find(jobId).orElseThrow(), job -> job.status().isTerminal());
    }

    /** Events are published on their own thread after the job row changes: the last one may trail a little. */
    private static void awaitEvent(List<Message> events, String type) {
        await().atMost(Duration.ofSeconds(10)).until(() -> types(events, null).contains(type));
    }

    private static List<String> types(List<Message> events, String jobId) throws Exception {
        List<String> types = new ArrayList<>();
        for (Message event : snapshot(events)) {
            if (jobId == null || jobId.equals(event.getStringProperty("jobId"))) {
                types.add(event.getStringProperty("eventType"));
            }
        }
        return types;
    }

    private static List<String> jobIds(List<Message> events) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Message event : snapshot(events)) {
            ids.add(event.getStringProperty("jobId"));
        }
        return ids;
    }

    private static List<Message> snapshot(List<Message> events) {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
