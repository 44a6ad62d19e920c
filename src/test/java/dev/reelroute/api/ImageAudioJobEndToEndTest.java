package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.LocalReceiversServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.WebhookReceiver;
import dev.reelroute.webhook.WebhookDeliveryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** A user's whole journey: submit an image and a voiceover, follow the job, get the MP4 and the webhook. */
class ImageAudioJobEndToEndTest extends LocalReceiversServiceTest {
    private static WebhookReceiver receiver;

    @TempDir
    static Path media;

    @Autowired
    WebhookDeliveryStore deliveries;
    @Autowired
    jakarta.jms.ConnectionFactory connectionFactory;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void imageAndVoiceoverBecomeASignedDownloadableVideo() throws Exception {
        var account = accounts.createAccount("e2e", null, 1);
        String apiKey = accounts.createKey(account.account().id(), "e2e", null).apiKey();
        String webhookSecret = account.webhookSecret();
        Path image = TestMedia.png(media, 1280, 720);
        Path audio = TestMedia.wav(media, 6.0);

        // an enterprise subscriber: only this account's events, selected by JMS property
        List<jakarta.jms.Message> events = java.util.Collections.synchronizedList(new ArrayList<>());
        jakarta.jms.Connection connection = connectionFactory.createConnection();
        jakarta.jms.Session session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(session.createTopic("reelroute.job-events"),
                "accountId = '" + account.account().id() + "'").setMessageListener(events::add);
        connection.start();

        ApiClient.Response created = api.submit(apiKey, image, "image/png", audio, "audio/wav",
                receiver.url("/hooks/vidgen"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("message").asText()).isEqualTo("Job created");
        String jobId = created.json().get("jobId").asText();
        assertThat(created.header("X-API-Key")).as("the key is never echoed back").isNull();

        // poll: progress only moves forward, and is 100 only when COMPLETED
        List<Integer> seen = new ArrayList<>();
        JsonNode status = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(150)).until(() -> {
            JsonNode read = api.get("/api/status/" + jobId, apiKey).json();
            int progress = read.get("progress").asInt();
            seen.add(progress);
            if (!read.get("status").asText().equals("COMPLETED")) {
                assertThat(progress).isLessThan(100);
            }
            return read;
        }, read -> List.of("COMPLETED", "FAILED").contains(read.get("status").asText()));
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("COMPLETED");
        assertThat(seen).isSorted();
        // during the render, progress follows FFmpeg's own -progress output (the render spans 10..90)
        assertThat(seen).as("progress seen while polling").anyMatch(p -> p > 10 && p < 90);
        assertThat(status.get("progress").asInt()).isEqualTo(100);
        assertThat(status.get("jobId").asText()).isEqualTo(jobId);
        assertThat(status.get("errorMessage").isNull()).isTrue();
        assertThat(status.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        // the video: H.264 + AAC, as long as the audio, 1280x720, yuv420p, moov before mdat
        ApiClient.Response download = api.getAbsolute(status.get("outputVideo").asText(), null);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("Content-Type")).isEqualTo("video/mp4");
        Path video = media.resolve("downloaded.mp4");
        Files.write(video, download.bytes());
        String probe = TestMedia.ffprobe(video,
                "stream=codec_name,width,height,pix_fmt,color_range,color_space:format=duration");
        assertThat(probe).contains("codec_name=h264", "codec_name=aac", "width=1280", "height=720", "pix_fmt=yuv420p",
                "color_range=tv", "color_space=bt709");
        double duration = Double.parseDouble(probe.lines().filter(l -> l.startsWith("duration=")).findFirst()
                .orElseThrow().substring("duration=".length()));
        assertThat(duration).isCloseTo(6.0, org.assertj.core.data.Offset.offset(0.2));
        List<String> boxes = TestMedia.topLevelBoxes(video);
        assertThat(boxes.indexOf("moov")).as(boxes.toString()).isBetween(0, boxes.indexOf("mdat"));

        // a browser can seek: Range requests are answered with 206
        ApiClient.Response range = api.getAbsolute(status.get("outputVideo").asText(), "bytes=0-99");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.bytes()).hasSize(100);
        assertThat(range.header("Content-Range")).startsWith("bytes 0-99/" + download.bytes().length);

        // a tampered link is refused
        String link = status.get("outputVideo").asText();
        int digit = link.indexOf("signature=") + "signature=".length();
        String tampered = link.substring(0, digit) + (link.charAt(digit) == '0' ? '1' : '0') + link.substring(digit + 1);
        assertThat(api.getAbsolute(tampered, null).status()).isEqualTo(403);

        // the share page plays the video
        ApiClient.Response share = api.getAbsolute(status.get("outputShareLink").asText(), null);
        assertThat(share.status()).isEqualTo(200);
        assertThat(share.body()).contains("<video", "/files/jobs/" + jobId + "/output.mp4");

        // the webhook: the status body, both signatures valid with the account's secret
        WebhookReceiver.Received hook = receiver.next(30, TimeUnit.SECONDS);
        assertThat(hook).as("webhook delivered").isNotNull();
        String body = new String(hook.body(), StandardCharsets.UTF_8);
        JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        assertThat(event.get("jobId").asText()).isEqualTo(jobId);
        assertThat(event.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(event.get("outputVideo").asText()).contains("/files/jobs/" + jobId);
        // exactly as the document's receiver checks it: hex HMAC-SHA256 of the raw body, keyed with the secret
        assertThat(hook.header("X-Webhook-Signature"))
                .isEqualTo(HexFormat.of().formatHex(hmac(webhookSecret.getBytes(StandardCharsets.UTF_8), hook.body())));
        // Standard Webhooks: v1,base64(HMAC(base64-decoded whsec key, id.timestamp.body))
        String id = hook.header("webhook-id");
        String timestamp = hook.header("webhook-timestamp");
        byte[] key = Base64.getDecoder().decode(webhookSecret.substring("whsec_".length()));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                hmac(key, (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        assertThat(hook.header("webhook-signature")).isEqualTo(expected);
        assertThat(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp))).isLessThan(120);
        assertThat(hook.header("X-API-Key")).isNull();

        // the attempt is recorded
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deliveries.forJob(jobId)).singleElement()
                .satisfies(d -> assertThat(d.statusCode()).isEqualTo(200))
                .satisfies(d -> assertThat(d.outcome()).isEqualTo("delivered")));

        // the user sees the attempts, and can have the event sent again (a new event id, the same payload)
        JsonNode attempts = api.get("/api/jobs/" + jobId + "/webhook-deliveries", apiKey).json();
        assertThat(attempts.get("deliveries")).hasSize(1);
        assertThat(attempts.get("deliveries").get(0).get("statusCode").asInt()).isEqualTo(200);
        assertThat(attempts.get("deliveries").get(0).get("eventId").asText()).isEqualTo(id);
        ApiClient.Response redeliver = api.post("/api/jobs/" + jobId + "/webhook-deliveries/redeliver", apiKey);
        assertThat(redeliver.status()).as(redeliver.body()).isEqualTo(202);
        WebhookReceiver.Received again = receiver.next(30, TimeUnit.SECONDS);
        assertThat(again).as("redelivered").isNotNull();
        assertThat(again.header("webhook-id")).isEqualTo(redeliver.json().get("eventId").asText()).isNotEqualTo(id);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(again.body()).get("jobId").asText())
                .isEqualTo(jobId);
        assertThat(api.post("/api/jobs/nosuchjob/webhook-deliveries/redeliver", apiKey).status()).isEqualTo(404);
        assertThat(api.get("/api/jobs/" + jobId + "/webhook-deliveries", newAccountKey("other")).status())
                .isEqualTo(404);

        // the topic carried the job's story in order, created to completed, with selectable properties
        List<String> types = new ArrayList<>();
        for (jakarta.jms.Message message : List.copyOf(events)) {
            assertThat(message.getStringProperty("jobId")).isEqualTo(jobId);
            types.add(message.getStringProperty("eventType"));
        }
        connection.close();
        assertThat(types).first().isEqualTo("created");
        assertThat(types).contains("stage", "progress").last().isEqualTo("completed");

        // and the listing shows it, with the document's pagination object
        JsonNode list = api.get("/api/jobs?limit=5", apiKey).json();
        assertThat(list.get("jobs").get(0).get("id").asText()).isEqualTo(jobId);
        assertThat(list.get("jobs").get(0).get("webhookUrl").asText()).isEqualTo(receiver.url("/hooks/vidgen"));
        assertThat(list.get("pagination").get("limit").asInt()).isEqualTo(5);
        assertThat(list.get("pagination").get("hasNextPage").asBoolean()).isFalse();
    }

    @Test
    void healthNeedsNoKey() throws Exception {
        ApiClient.Response health = api.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
    }

    private static byte[] hmac(byte[] key, byte[] content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(content);
    }
}
