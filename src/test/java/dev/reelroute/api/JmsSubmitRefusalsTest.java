package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.security.AccountStore;
import dev.reelroute.storage.Storage;
import dev.reelroute.support.FileServer;
import dev.reelroute.support.JmsSubmitter;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every way a JMS submission is refused: the producer gets the error on its reply queue, the request lands on
 * reelroute.jobs.submit.dlq as it came (text and properties, the key removed) with errorCode and reason, once, and
 * is never delivered again.
 */
class JmsSubmitRefusalsTest extends ServiceTest {
    private static final long UPLOAD_LIMIT = 256 * 1024;

    @TempDir
    static Path media;
    static FileServer files;

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    JobStore jobs;
    @Autowired
    Storage storage;

    private JmsSubmitter producer;
    private AccountStore.CreatedKey account;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        // the input server is plain http on 127.0.0.1; downloads share the upload limit, small here
        registry.add("reelroute.webhooks.allow-insecure-urls", () -> "true");
        registry.add("spring.servlet.multipart.max-file-size", () -> UPLOAD_LIMIT + "B");
    }

    @BeforeAll
    static void serveInputs() throws Exception {
        files = new FileServer()
                .file("/voice.wav", TestMedia.wav(media, 1.0), "audio/wav")
                .bytes("/page.png", "<!doctype html><html><body>not an image</body></html>"
                        .getBytes(StandardCharsets.UTF_8), "image/png")
                .streamed("/huge.png", 8 * UPLOAD_LIMIT);
    }

    @AfterAll
    static void stopServer() {
        files.close();
    }

    @BeforeEach
    void connect() throws Exception {
        producer = new JmsSubmitter(connectionFactory);
        account = newAccount("jms-refusals-" + System.nanoTime());
    }

    @AfterEach
    void noRedeliveryAndNothingLeft() throws Exception {
        assertThat(producer.reply(500)).as("one answer per request: nothing was delivered twice").isNull();
        assertThat(producer.waiting(JmsSubmitter.SUBMIT_QUEUE)).isZero();
        producer.close();
    }

    @Test
    void notJson() throws Exception {
        assertRefused("this is not json {", account.apiKey(), "VALIDATION_ERROR", "Malformed JSON body");
    }

    @Test
    void unknownKind() throws Exception {
        assertRefused("{\"kind\":\"slideshow\",\"prompt\":\"x\"}", account.apiKey(), "VALIDATION_ERROR",
                "kind must be one of image-audio, video-job, generate, video-project, style-transfer");
    }

    @Test
    void missingKey() throws Exception {
        assertRefused(generate(), null, "UNAUTHORIZED", "Missing apiKey property");
    }

    @Test
    void wrongKey() throws Exception {
        assertRefused(generate(), AccountStore.newApiKey(), "UNAUTHORIZED",
                "API key not recognized or has been deactivated");
    }

    @Test
    void deactivatedKey() throws Exception {
        accounts.deactivateKey(account.keyId());
        assertRefused(generate(), account.apiKey(), "UNAUTHORIZED", "API key not recognized");
    }

    @Test
    void invalidFieldWithTheRestSurfacesMessage() throws Exception {
        assertRefused(videoJob("\"resolution\":\"4k\""), account.apiKey(), "VALIDATION_ERROR",
                "Resolution must be '720p' or '1080p'");
        assertRefused("{\"kind\":\"generate\",\"prompt\":42}", account.apiKey(), "VALIDATION_ERROR",
                "prompt: Expected string");
        // the webhook events filter, as on POST /api/jobs: refused before any input is fetched
        String badFilter = imageAudio(files.url("/missing.png")).replace("}", ",\"webhookEventsFilter\":\"done\"}");
        assertRefused(badFilter, account.apiKey(), "VALIDATION_ERROR",
                "Invalid webhookEventsFilter: it has an unknown event 'done'; allowed: start, progress, completed");
    }

    @Test
    void videoJobBeyondTheBalance() throws Exception {
        assertRefused(videoJob("\"resolution\":\"720p\""), account.apiKey(), "PAYMENT_REQUIRED",
                "Insufficient tokens. Operation 'video_generation' costs 50 tokens but you have 0.");
    }

    @Test
    void downloadThatIsNotAnImage() throws Exception {
        assertRefused(imageAudio(files.url("/page.png")), account.apiKey(), "UNSUPPORTED_MEDIA_TYPE",
                "Unsupported image type");
    }

    @Test
    void downloadLargerThanTheUploadLimitIsCutOff() throws Exception {
        assertRefused(imageAudio(files.url("/huge.png")), account.apiKey(), "INPUT_TOO_LARGE",
                "larger than the " + UPLOAD_LIMIT + "-byte limit");
        assertThat(files.hits("/huge.png")).as("fetched once, not again on a redelivery").isEqualTo(1);
    }

    @Test
    void downloadThatFails() throws Exception {
        assertRefused(imageAudio(files.url("/missing.png")), account.apiKey(), "INPUT_DOWNLOAD_FAILED",
                "The image could not be downloaded: answered 404");
    }

    @Test
    void storedInputOfAnotherAccount() throws Exception {
        AccountStore.CreatedKey other = newAccount("jms-refusals-other-" + System.nanoTime());
        String jobId = Ids.newId();
        String imageKey = "jobs/" + jobId + "/input-image.png";
        Path image = TestMedia.png(Files.createTempDirectory(media, "other"), 64, 64);
        storage.put(imageKey, image, "image/png");
        jobs.insertPending(new NewJob(jobId, other.accountId(), other.keyId(), Job.KIND_IMAGE_AUDIO, null, imageKey,
                "jobs/" + jobId + "/input-audio.wav", 1000, Ids.randomToken(24)), 1);

        assertRefused(imageAudio(imageKey), account.apiKey(), "VALIDATION_ERROR",
                "image is neither an https URL nor the key of one of your stored inputs");
        assertThat(storage.open(imageKey)).as("the other account's file is untouched").isPresent();
    }

    @Test
    void objectMessageIsRefusedUnread() throws Exception {
        ObjectMessage request = producer.session().createObjectMessage(new ArrayList<>(java.util.List.of("x")));
        request.setStringProperty("apiKey", account.apiKey());
        request.setJMSCorrelationID("object-" + UUID.randomUUID());
        request.setJMSReplyTo(producer.replyQueue());
        producer.send(request);

        TextMessage reply = producer.reply(20_000);
        assertThat(reply).isNotNull();
        assertThat(JmsSubmitter.json(reply).get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        // a copy without the body: it is never deserialized, not even to park it
        Message parked = producer.deadLetter(request.getJMSCorrelationID(), 10_000);
        assertThat(parked).isNotNull();
        assertThat(parked.getStringProperty("reason")).contains("TextMessage");
        assertThat(parked).isNotInstanceOf(ObjectMessage.class);
        assertThat(parked.getObjectProperty("apiKey")).isNull();
    }

    @Test
    void bytesMessageIsReadAsUtf8Json() throws Exception {
        String body = "{\"kind\":\"slideshow\",\"prompt\":\"été à la plage\"}";
        BytesMessage request = producer.session().createBytesMessage();
        request.writeBytes(body.getBytes(StandardCharsets.UTF_8));
        request.setStringProperty("apiKey", account.apiKey());
        request.setJMSCorrelationID("bytes-" + UUID.randomUUID());
        request.setJMSReplyTo(producer.replyQueue());
        producer.send(request);

        TextMessage reply = producer.reply(20_000);
        assertThat(reply).isNotNull();
        assertThat(JmsSubmitter.json(reply).get("error").get("message").asText()).startsWith("kind must be one of");
        Message parked = producer.deadLetter(request.getJMSCorrelationID(), 10_000);
        assertThat(((TextMessage) parked).getText()).isEqualTo(body);
    }

    @Test
    void answersNeverGoToTheServicesOwnDestinations() throws Exception {
        String correlationId = "own-" + UUID.randomUUID();
        TextMessage request = producer.session().createTextMessage(generate());
        request.setJMSCorrelationID(correlationId);
        request.setJMSReplyTo(producer.session().createQueue(JmsSubmitter.DEAD_LETTER_QUEUE));
        producer.send(request);

        assertThat(producer.deadLetter(correlationId, 10_000)).as("the dead-letter copy").isNotNull()
                .satisfies(parked -> assertThat(parked.getStringProperty("errorCode")).isEqualTo("UNAUTHORIZED"));
        assertThat(producer.deadLetter(correlationId, 500)).as("and no answer beside it").isNull();
    }

    /**
     * Sends the request (with a property of the producer's own) and checks the reply and the dead-letter copy: the
     * code, the message, the body as sent, the producer's property kept, the key gone, and one copy only.
     */
    private void assertRefused(String body, String apiKey, String code, String message) throws Exception {
        String correlationId = "refused-" + UUID.randomUUID();
        TextMessage request = producer.session().createTextMessage(body);
        request.setStringProperty("orderRef", "PO-7");
        if (apiKey != null) {
            request.setStringProperty("apiKey", apiKey);
        }
        request.setJMSCorrelationID(correlationId);
        request.setJMSReplyTo(producer.replyQueue());
        producer.send(request);

        TextMessage reply = producer.reply(30_000);
        assertThat(reply).as("a reply to " + body).isNotNull();
        assertThat(reply.getJMSCorrelationID()).isEqualTo(correlationId);
        assertThat(reply.getObjectProperty("apiKey")).isNull();
        assertThat(reply.getObjectProperty("orderRef")).as("no request property goes back").isNull();
        JsonNode error = JmsSubmitter.json(reply).get("error");
        assertThat(error.get("code").asText()).as(error.toString()).isEqualTo(code);
        assertThat(error.get("message").asText()).contains(message);

        Message parked = producer.deadLetter(correlationId, 10_000);
        assertThat(parked).as("the dead-letter copy of " + body).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) parked).getText()).isEqualTo(body);
        assertThat(parked.getStringProperty("errorCode")).isEqualTo(code);
        assertThat(parked.getStringProperty("reason")).contains(message);
        assertThat(parked.getStringProperty("originalMessageId")).isEqualTo(request.getJMSMessageID());
        assertThat(parked.getStringProperty("orderRef")).isEqualTo("PO-7");
        assertThat(parked.getObjectProperty("apiKey")).as("the key never reaches the DLQ").isNull();
        assertThat(java.util.Collections.list(parked.getPropertyNames())).noneMatch(n -> n.toString()
                .equalsIgnoreCase("apiKey"));
        assertThat(producer.deadLetter(correlationId, 300)).as("parked once").isNull();
    }

    private static String generate() {
        return "{\"kind\":\"generate\",\"prompt\":\"a lighthouse\"}";
    }

    private static String videoJob(String resolution) {
        return "{\"kind\":\"video-job\",\"prompt\":\"a lighthouse\",\"model\":\"veo-3.1-fast-generate-preview\","
                + resolution + ",\"aspectRatio\":\"16:9\",\"durationSeconds\":4,\"mockMode\":true}";
    }

    private static String imageAudio(String image) {
        return "{\"kind\":\"image-audio\",\"image\":\"" + image + "\",\"audio\":\"" + files.url("/voice.wav") + "\"}";
    }
}
