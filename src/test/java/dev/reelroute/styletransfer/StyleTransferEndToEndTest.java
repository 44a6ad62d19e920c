package dev.reelroute.styletransfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.LocalReceiversServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Style transfer through the whole service: a warm, saturated, bright and loud template and a cool, dull, dark and
 * quiet source made with FFmpeg; the job's output is measured with the same analysis and must sit measurably
 * closer to the template. Also the cases without audio on either side, and the signed webhook.
 */
class StyleTransferEndToEndTest extends LocalReceiversServiceTest {
    /** Share of the source-to-template distance the output must have closed. */
    private static final double CLOSED = 0.5;
    private static final String CLIP = "testsrc2=s=320x180:rate=25:duration=3";
    private static final String WARM_BRIGHT = "eq=brightness=0.12:saturation=1.5,colorchannelmixer=rr=1.1:gg=0.95:bb=0.7";
    private static final String COOL_DARK =
            "eq=brightness=-0.08:saturation=0.45:contrast=0.8,colorchannelmixer=rr=0.85:bb=1.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebhookReceiver receiver;

    @TempDir
    static Path media;
    static Path template;
    static Path source;
    static Path silentTemplate;
    static Path silentSource;

    @Autowired
    StyleAnalysisCommands analysis;
    @Autowired
    MediaProbe probe;
    @Autowired
    FfmpegBinaries binaries;

    private String key;

    @BeforeAll
    static void makeClips() throws Exception {
        receiver = new WebhookReceiver();
        template = clip("template.mp4", WARM_BRIGHT, "sine=frequency=440:duration=3", "volume=8dB");
        source = clip("source.mp4", COOL_DARK, "sine=frequency=330:duration=3", "volume=-6dB");
        silentTemplate = clip("silent-template.mp4", WARM_BRIGHT, null, null);
        silentSource = clip("silent-source.mp4", COOL_DARK, null, null);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void account() {
        key = newAccountKey("style-e2e-" + System.nanoTime());
    }

    private static Path clip(String name, String look, String tone, String level) throws Exception {
        Path file = media.resolve(name);
        if (tone == null) {
            TestMedia.ffmpeg("-f", "lavfi", "-i", CLIP, "-vf", look, "-c:v", "libx264", "-pix_fmt", "yuv420p",
                    file.toString());
        } else {
            TestMedia.ffmpeg("-f", "lavfi", "-i", CLIP, "-f", "lavfi", "-i", tone, "-vf", look, "-af", level, "-ac",
                    "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", file.toString());
        }
        return file;
    }

    private String upload(Path file) throws Exception {
        ApiClient.Response uploaded = api.postMultipart("/api/v1/videos", key,
                List.of(Part.file("file", file, "video/mp4")));
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        return uploaded.json().get("data").get("video_id").asText();
    }

    private String createJob(String sourceId, String templateId, String extra) throws Exception {
        String body = "{\"video_id\":\"" + sourceId + "\""
                + (templateId == null ? "" : ",\"template_video_id\":\"" + templateId + "\"") + extra + "}";
        ApiClient.Response created = api.postJsonWithKey("/api/v1/jobs", key, body);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        return created.json().get("data").get("job_id").asText();
    }

    /** Polls until the job ends; returns the result, and the stages seen on the way in {@code stages}. */
    private JsonNode awaitResult(String jobId, Set<String> stages) throws Exception {
        List<Integer> progress = new ArrayList<>();
        await().atMost(Duration.ofSeconds(120)).alias("job " + jobId + " ends").until(() -> {
            JsonNode job = api.get("/api/v1/jobs/" + jobId, key).json().get("data");
            progress.add(job.get("progress_percent").asInt());
            if (!job.get("current_stage").isNull()) {
                stages.add(job.get("current_stage").asText());
            }
            return job;
        }, job -> List.of("completed", "failed", "cancelled").contains(job.get("status").asText()));
        assertThat(progress).as("progress only moves forward").isSorted();
        ApiClient.Response result = api.get("/api/v1/jobs/" + jobId + "/result", key);
        assertThat(result.status()).as(result.body()).isEqualTo(200);
        return result.json().get("data");
    }

    private Path download(JsonNode result, String name) throws Exception {
        Path file = media.resolve(name);
        Files.write(file, api.getAbsolute(result.get("output_video_url").asText(), null).bytes());
        return file;
    }

    private StyleJson analyse(Path video) throws Exception {
        Path work = Files.createTempDirectory(media, "analysis");
        StyleAnalysisRender render = new StyleAnalysisRender(binaries.ffmpeg(), video, probe.probe(video), work,
                work.resolve("progress.txt"));
        TestMedia.run(analysis.analyze(render));
        return analysis.read(render, render.probe());
    }

    private static void assertCloser(String what, double output, double source, double template) {
        assertThat(Math.abs(output - template)).as("%s: output %.3f, source %.3f, template %.3f", what, output, source,
                template).isLessThanOrEqualTo((1 - CLOSED) * Math.abs(source - template));
    }

    @Test
    void theSourceIsGradedTowardTheTemplateAndItsLoudnessMatched() throws Exception {
        String jobId = createJob(upload(source), upload(template),
                ",\"webhook_url\":\"" + receiver.url("/style") + "\"");
        Set<String> stages = new LinkedHashSet<>();
        JsonNode result = awaitResult(jobId, stages);

        assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("completed");
        assertThat(result.get("progress_percent").asInt()).isEqualTo(100);
        assertThat(result.get("current_stage").isNull()).isTrue();
        assertThat(result.get("error").isNull()).isTrue();
        assertThat(result.get("processing_time_seconds").asDouble()).isPositive();
        assertThat(StyleViews.STAGES).containsAll(stages);
        JsonNode style = result.get("style_json");
        assertThat(style.get("version").asText()).isEqualTo("1.0");
        assertThat(style.get("color").get("mean_luma").asDouble()).isBetween(0.0, 1.0);
        assertThat(style.get("audio").get("integrated_lufs").isNumber()).isTrue();
        assertThat(style.get("format").get("width").asInt()).isEqualTo(320);

        StyleJson templateStyle = analyse(template);
        StyleJson sourceStyle = analyse(source);
        StyleJson outputStyle = analyse(download(result, "graded.mp4"));
        assertThat(style.get("color").get("mean_luma").asDouble())
                .isCloseTo(templateStyle.color().meanLuma(), within(0.01));
        assertCloser("mean luma", outputStyle.color().meanLuma(), sourceStyle.color().meanLuma(),
                templateStyle.color().meanLuma());
        assertCloser("saturation", outputStyle.color().saturation(), sourceStyle.color().saturation(),
                templateStyle.color().saturation());
        assertCloser("temperature", outputStyle.color().temperature(), sourceStyle.color().temperature(),
                templateStyle.color().temperature());
        assertThat(outputStyle.audio().integratedLufs())
                .isCloseTo(templateStyle.audio().integratedLufs(), within(1.0));

        // the webhook: the envelope with the JobDetailResponse, signed
        WebhookReceiver.Received hook = receiver.next(30, TimeUnit.SECONDS);
        assertThat(hook).isNotNull();
        JsonNode event = JSON.readTree(hook.body());
        assertThat(event.get("success").asBoolean()).isTrue();
        assertThat(event.get("data").get("job_id").asText()).isEqualTo(jobId);
        assertThat(event.get("data").get("status").asText()).isEqualTo("completed");
        assertThat(event.get("data").get("style_json").get("version").asText()).isEqualTo("1.0");
        assertThat(hook.header("X-Webhook-Signature")).matches("[0-9a-f]{64}");
    }

    /**
     * A client follows the job's stages two ways, the event stream and progress webhooks; in both the stage only
     * moves forward (in the document's order, as progress grows) and the last one before the end is rendering:
     * storing the output at 92 % is still rendering, never the first stage again.
     */
    @Test
    void theStagesAClientSeesOnlyMoveForwardAndEndAtRendering() throws Exception {
        try (WebhookReceiver hooks = new WebhookReceiver()) {
            String jobId = createJob(upload(source), upload(template), ",\"webhook_url\":\""
                    + hooks.url("/stages") + "\",\"webhook_events_filter\":[\"progress\",\"completed\"]");

            List<JsonNode> streamed = new ArrayList<>();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/jobs/"
                    + jobId + "/events")).header("X-API-Key", key).header("Accept", "text/event-stream").build();
            HttpResponse<java.util.stream.Stream<String>> stream = HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            try (var lines = stream.body()) {
                // the stream closes after its end event
                lines.filter(line -> line.startsWith("data:"))
                        .forEach(line -> streamed.add(readJson(line.substring(5)).get("data")));
            }
            assertThat(streamed.get(streamed.size() - 1).get("status").asText()).isEqualTo("completed");
            assertStagesMoveForward("event stream", streamed);

            List<JsonNode> hooked = new ArrayList<>();
            JsonNode last;
            do {
                WebhookReceiver.Received hook = hooks.next(60, TimeUnit.SECONDS);
                assertThat(hook).as("webhooks until the completed one").isNotNull();
                last = JSON.readTree(hook.body()).get("data");
                hooked.add(last);
            } while (!last.get("status").asText().equals("completed"));
            // deliveries may overlap: what the client knows is the progress each one carries
            hooked.sort(java.util.Comparator.comparingInt(job -> job.get("progress_percent").asInt()));
            assertStagesMoveForward("progress webhooks", hooked);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException unreadable) {
            throw new AssertionError(text, unreadable);
        }
    }

    /** The stages of the processing states, in the order seen, never go back; the last one is rendering. */
    private static void assertStagesMoveForward(String how, List<JsonNode> states) {
        List<String> stages = states.stream().filter(job -> job.get("status").asText().equals("processing"))
                .map(job -> job.get("current_stage").asText()).toList();
        assertThat(stages).as(how + ": " + states).isNotEmpty();
        assertThat(StyleViews.STAGES).as(how).containsAll(stages);
        assertThat(stages.stream().map(StyleViews.STAGES::indexOf).toList()).as(how + ": " + stages).isSorted();
        assertThat(stages.get(stages.size() - 1)).as(how + ": " + stages).isEqualTo("rendering");
    }

    @Test
    void withoutAudioOnEitherSideTheJobStillCompletes() throws Exception {
        // a template without audio: colour is graded, the source's loudness is left as it was
        JsonNode graded = awaitResult(createJob(upload(source), upload(silentTemplate), ""), new LinkedHashSet<>());
        assertThat(graded.get("status").asText()).as(graded.toString()).isEqualTo("completed");
        assertThat(graded.get("style_json").get("audio").isNull()).isTrue();
        StyleJson output = analyse(download(graded, "silent-template.mp4"));
        assertThat(output.audio().integratedLufs()).isCloseTo(analyse(source).audio().integratedLufs(), within(1.0));

        // a source without audio: the output has none either
        JsonNode mute = awaitResult(createJob(upload(silentSource), upload(template), ""), new LinkedHashSet<>());
        assertThat(mute.get("status").asText()).as(mute.toString()).isEqualTo("completed");
        assertThat(TestMedia.ffprobe(download(mute, "mute.mp4"), "stream=codec_type"))
                .contains("codec_type=video").doesNotContain("codec_type=audio");

        // without a template: the source's own style comes back, and the config is applied
        JsonNode own = awaitResult(createJob(upload(source), null, ",\"config\":{\"target_lufs\":-30}"),
                new LinkedHashSet<>());
        assertThat(own.get("status").asText()).as(own.toString()).isEqualTo("completed");
        assertThat(own.get("template_video_id").isNull()).isTrue();
        assertThat(own.get("style_json").get("audio").get("integrated_lufs").asDouble())
                .isCloseTo(analyse(source).audio().integratedLufs(), within(0.5));
        assertThat(analyse(download(own, "own.mp4")).audio().integratedLufs()).isCloseTo(-30, within(1.0));

        // a config a template is needed for is refused when the job is created
        ApiClient.Response refused = api.postJsonWithKey("/api/v1/jobs", key,
                "{\"video_id\":\"" + upload(source) + "\",\"config\":{\"match_fps\":true}}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").get("message").asText()).contains("config.match_fps");
    }
}
