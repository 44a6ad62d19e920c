package dev.reelroute.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Video projects end to end with the local engine and the real ffmpeg. A fault can be planted in front of the
 * clip render (AdviceWith) for clips whose image has a chosen width: "a provider that fails for this input".
 */
@CamelSpringBootTest
@UseAdviceWith
@DirtiesContext
class VideoProjectRunTest extends ServiceTest {
    /** Remaining failures per image width; -1 fails forever. */
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Map<Integer, AtomicInteger> FAULTS = new ConcurrentHashMap<>();
    /** Image widths whose first attempt also moves the run's start 31 minutes into the past. */
    static final Map<Integer, Boolean> AGE_RUN = new ConcurrentHashMap<>();
    /** The images each FFmpeg run that fitted a run's images took, in order, by run. */
    static final Map<String, List<Integer>> FITS = new ConcurrentHashMap<>();
    /** Makes the soundtrack made beside the clips fail: the compile then mixes it. */
    static final java.util.concurrent.atomic.AtomicBoolean FAIL_SOUNDTRACK =
            new java.util.concurrent.atomic.AtomicBoolean();
    static JdbcTemplate database;

    @TempDir
    static Path media;
    static List<Path> images = new ArrayList<>();
    static Path music;

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.projects.clip-retry-delay-ms", () -> "50");
        registry.add("reelroute.projects.local-cost-per-second", () -> "0.70");
    }

    @BeforeAll
    static void makeMedia() throws Exception {
        String[] colours = {"red", "green", "blue", "yellow", "magenta", "cyan"};
        for (int i = 0; i < colours.length; i++) {
            Path image = media.resolve("clip-" + i + ".png");
            TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=800x450,drawbox=c=" + colours[i] + "@0.6:t=fill",
                    "-frames:v", "1", image.toString());
            images.add(image);
        }
        music = media.resolve("music.wav");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=20", "-ar", "44100", music.toString());
    }

    @BeforeEach
    void adviseOnce() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "project-clip-attempt", route -> route.weaveById("run-segment-ffmpeg")
                    .before().process(exchange -> {
                        ClipTask task = exchange.getProperty("clipTask", ClipTask.class);
                        if (AGE_RUN.remove(task.clip().imageSize().width()) != null) {
                            database.update("UPDATE jobs SET started_at = ? WHERE id = ?",
                                    java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofMinutes(31))),
                                    task.runId());
                            throw new ExecException("slow provider", null, null, 1);
                        }
                        AtomicInteger remaining = FAULTS.get(task.clip().imageSize().width());
                        if (remaining != null && (remaining.get() < 0 || remaining.getAndDecrement() > 0)) {
                            throw new ExecException("provider failed", null, null, 1);
                        }
                    }));
            AdviceWith.adviceWith(camel, "project-run", route -> route.weaveById("run-fit-ffmpeg").before()
                    .process(exchange -> FITS.computeIfAbsent(exchange.getProperty("runId", String.class),
                            run -> new java.util.concurrent.CopyOnWriteArrayList<>()).add((int) exchange.getIn()
                            .getHeader("CamelExecCommandArgs", List.class).stream().filter("-i"::equals).count())));
            AdviceWith.adviceWith(camel, "project-soundtrack", route -> route.weaveById("run-soundtrack-ffmpeg")
                    .before().process(exchange -> {
                        if (FAIL_SOUNDTRACK.get()) {
                            throw new ExecException("no soundtrack", null, null, 1);
                        }
                    }));
            camel.start();
        }
        FAULTS.clear();
        AGE_RUN.clear();
        FAIL_SOUNDTRACK.set(false);
        database = jdbc;
    }

    private String project(String key, String... fields) throws Exception {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            parts.add(Part.field(fields[i], fields[i + 1]));
        }
        parts.add(Part.file("music", music, "audio/wav"));
        ApiClient.Response created = api.postMultipart("/api/video-projects", key, parts);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("status").asText()).isEqualTo("draft");
        return created.json().get("id").asText();
    }

    private void addClip(String key, String projectId, Path image, String prompt, String seconds) throws Exception {
        ApiClient.Response clip = api.postMultipart("/api/video-projects/" + projectId + "/clips", key, List.of(
                Part.file("image", image, "image/png"), Part.field("motionPrompt", prompt),
                Part.field("durationSeconds", seconds)));
        assertThat(clip.status()).as(clip.body()).isEqualTo(201);
    }

    private ApiClient.Response trigger(String key, String projectId) throws Exception {
        return api.postJsonWithKey("/api/video-projects/generate", key, "{\"videoProjectId\":\"" + projectId + "\"}");
    }

    private JsonNode awaitRun(String runId, String token) {
        return await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/api/runs/" + runId, null, "Authorization", "Bearer " + token).json(),
                        run -> List.of("completed", "failed").contains(run.get("status").asText()));
    }

    /**
     * Samples the process table: the most FFmpeg processes seen at once whose arguments contain the marker and this
     * service's data dir (so renders of other services on the machine are not counted).
     */
    private static final class ProcessSampler implements AutoCloseable {
        private final Map<String, Integer> max = new ConcurrentHashMap<>();
        private final ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor();

        ProcessSampler(Path scope, String... markers) {
            String within = scope.toAbsolutePath().normalize().toString();
            sampling.scheduleWithFixedDelay(() -> {
                for (String marker : markers) {
                    int count = (int) ProcessHandle.allProcesses()
                            .filter(p -> p.info().command().map(c -> c.contains("ffmpeg")).orElse(false))
                            .filter(p -> p.info().arguments().map(a -> String.join(" ", a))
                                    .filter(arguments -> arguments.contains(marker) && arguments.contains(within))
                                    .isPresent())
                            .count();
                    max.merge(marker, count, Math::max);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
        }

        int max(String marker) {
            return max.getOrDefault(marker, 0);
        }

        @Override
        public void close() throws InterruptedException {
            sampling.shutdown();
            assertThat(sampling.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void fourClipsWithTransitionsMusicAndAmbientBecomeOneVideo() throws Exception {
        String key = newAccountKey("studio");
        String projectId = project(key, "name", "Coast trip", "transitionsEnabled", "true", "musicVolume", "0.5",
                "ambientAudioEnabled", "true");
        String[] prompts = {"slow zoom in over the ocean", "pan left along the beach", "orbit the lighthouse",
                "static shot of the waves"};
        for (int i = 0; i < 4; i++) {
            addClip(key, projectId, images.get(i), prompts[i], "2");
        }
        ApiClient.Response triggered = trigger(key, projectId);
        assertThat(triggered.status()).as(triggered.body()).isEqualTo(200);
        JsonNode answer = triggered.json();
        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.get("runId").asText()).startsWith("run_");
        String token = answer.get("publicAccessToken").asText();
        assertThat(answer.get("message").asText()).isNotBlank();

        // one run of a project at a time
        assertThat(trigger(key, projectId).status()).isEqualTo(409);

        JsonNode run = awaitRun(answer.get("runId").asText(), token);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("progress").asInt()).isEqualTo(100);
        assertThat(run.get("clips")).hasSize(4).allSatisfy(c -> assertThat(c.get("status").asText()).isEqualTo("completed"));
        assertThat(run.get("logs").toString()).contains("Compiling", "ocean");
        // costs: 0.70 per clip-second: 4 clips of 2 s and 3 transitions of 1 s
        assertThat(run.get("cost").decimalValue()).isEqualByComparingTo("7.70");

        JsonNode project = api.get("/api/video-projects/" + projectId, key).json();
        assertThat(project.get("status").asText()).isEqualTo("completed");
        assertThat(project.get("totalCost").decimalValue()).isEqualByComparingTo("7.70");
        Path video = media.resolve("project.mp4");
        Files.write(video, api.getAbsolute(project.get("finalVideoUrl").asText(), null).bytes());
        String probe = TestMedia.ffprobe(video, "stream=codec_name,width,height:format=duration");
        assertThat(probe).contains("codec_name=h264", "codec_name=aac", "width=1280", "height=720");
        double duration = Double.parseDouble(probe.lines().filter(l -> l.startsWith("duration=")).findFirst()
                .orElseThrow().substring("duration=".length()));
        // transitions overlap: 4 x 2 s − 3 x 1 s
        assertThat(duration).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.15));
        String volume = TestMedia.run(List.of(TestMedia.ffmpegPath(), "-nostdin", "-i", video.toString(),
                "-af", "volumedetect", "-vn", "-f", "null", "-"));
        double meanDb = Double.parseDouble(volume.replaceAll("(?s).*mean_volume: (-?[0-9.]+) dB.*", "$1"));
        assertThat(meanDb).as("the music is audible").isBetween(-30.0, -3.0);
        // the thumbnail, made by the first clip, is the video's first frame
        Path thumbnail = media.resolve("project-thumbnail.jpg");
        Files.write(thumbnail, api.getAbsolute(project.get("thumbnailUrl").asText(), null).bytes());
        java.awt.image.BufferedImage shown = javax.imageio.ImageIO.read(thumbnail.toFile());
        assertThat(shown.getWidth()).isEqualTo(1280);
        Path firstFrame = media.resolve("project-first-frame.rgb");
        TestMedia.run(List.of(TestMedia.ffmpegPath(), "-nostdin", "-y", "-i", video.toString(), "-frames:v", "1",
                "-vf", "format=rgb24", "-f", "rawvideo", firstFrame.toString()));
        byte[] first = Files.readAllBytes(firstFrame);
        double squared = 0;
        for (int y = 0; y < 720; y += 4) {
            for (int x = 0; x < 1280; x += 4) {
                int pixel = shown.getRGB(x, y);
                int at = (y * 1280 + x) * 3;
                for (int c = 0; c < 3; c++) {
                    int difference = (pixel >> (16 - 8 * c) & 0xFF) - (first[at + c] & 0xFF);
                    squared += difference * difference;
                }
            }
        }
        assertThat(10 * Math.log10(255.0 * 255 / (squared / (320 * 180 * 3)))).as("PSNR of the thumbnail, dB")
                .isGreaterThan(28);
        // the soundtrack is made beside the clips, for the compile to copy
        await("the soundtrack stored").until(() -> Files.isRegularFile(storedSoundtrack(answer.get("runId").asText())));
        // the four images were each fitted to the frame once, two to an FFmpeg run, and their canvases went with the
        // compile
        assertThat(FITS.get(answer.get("runId").asText())).containsExactly(2, 2);
        for (int i = 0; i < 4; i++) {
            assertThat(dataDir.resolve("storage").resolve(ProjectRender.canvasKey(answer.get("runId").asText(), i)))
                    .doesNotExist();
        }

        JsonNode usage = api.get("/api/usage", key).json();
        assertThat(usage.get("totalCost").decimalValue()).isEqualByComparingTo("7.70");
        assertThat(usage.get("completedRuns").asInt()).isEqualTo(1);
        // the run's scratch files (fetched images, segments, the compile's output) go once it is done
        Path scratch = dataDir.resolve("work").resolve(answer.get("runId").asText());
        await("the run's scratch directory removed").until(() -> !Files.exists(scratch));
    }

    private Path storedSoundtrack(String runId) {
        return dataDir.resolve("storage").resolve(ProjectRender.soundtrackKey(runId));
    }

    @Test
    void whenTheSoundtrackCannotBeMadeBesideTheClipsTheCompileMixesIt() throws Exception {
        FAIL_SOUNDTRACK.set(true);
        String key = newAccountKey("quiet-studio");
        String projectId = project(key, "transitionsEnabled", "true", "musicVolume", "0.5");
        addClip(key, projectId, images.get(0), "slow zoom in", "2");
        addClip(key, projectId, images.get(1), "pan left", "2");
        JsonNode answer = trigger(key, projectId).json();

        JsonNode run = awaitRun(answer.get("runId").asText(), answer.get("publicAccessToken").asText());
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(storedSoundtrack(answer.get("runId").asText())).doesNotExist();
        Path video = media.resolve("mixed-in-compile.mp4");
        Files.write(video, api.getAbsolute(api.get("/api/video-projects/" + projectId, key).json()
                .get("finalVideoUrl").asText(), null).bytes());
        assertThat(TestMedia.ffprobe(video, "stream=codec_name")).contains("codec_name=h264", "codec_name=aac");
        String volume = TestMedia.run(List.of(TestMedia.ffmpegPath(), "-nostdin", "-i", video.toString(),
                "-af", "volumedetect", "-vn", "-f", "null", "-"));
        double meanDb = Double.parseDouble(volume.replaceAll("(?s).*mean_volume: (-?[0-9.]+) dB.*", "$1"));
        // a 3 s project is mostly fade-out: quieter than the longer ones; silence would be below -80
        assertThat(meanDb).as("the music is audible").isBetween(-40.0, -3.0);
    }

    @Test
    void aClipThatFailsTwiceIsRetriedAndTheRunCompletes() throws Exception {
        String key = newAccountKey("flaky");
        String projectId = project(key, "transitionsEnabled", "false");
        Path odd = TestMedia.png(media, 802, 450);
        FAULTS.put(802, new AtomicInteger(2));
        addClip(key, projectId, images.get(0), "zoom in", "1");
        addClip(key, projectId, odd, "pan right", "1");
        JsonNode answer = trigger(key, projectId).json();
        JsonNode run = awaitRun(answer.get("runId").asText(), answer.get("publicAccessToken").asText());
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("clips").get(1).get("attempts").asInt()).isEqualTo(3);
        assertThat(run.get("logs").toString()).contains("Clip 2 failed", "retrying");
    }

    @Test
    void aClipThatAlwaysFailsFailsTheProjectAndLeavesNothingRunning() throws Exception {
        String key = newAccountKey("broken");
        String projectId = project(key, "transitionsEnabled", "true");
        Path broken = TestMedia.png(media, 804, 450);
        FAULTS.put(804, new AtomicInteger(-1));
        addClip(key, projectId, images.get(0), "zoom in", "2");
        addClip(key, projectId, broken, "zoom out", "2");
        addClip(key, projectId, images.get(1), "tilt up", "2");
        JsonNode answer = trigger(key, projectId).json();
        String runId = answer.get("runId").asText();
        JsonNode run = awaitRun(runId, answer.get("publicAccessToken").asText());
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("errorMessage").asText()).isEqualTo("Clip 2 failed after 4 attempts: FFmpeg exited with code 1");
        JsonNode project = api.get("/api/video-projects/" + projectId, key).json();
        assertThat(project.get("status").asText()).isEqualTo("failed");
        assertThat(project.get("errorMessage").asText()).contains("Clip 2 failed");
        // the run's canvases go with it (dropped once the failure is recorded)
        await("the canvases dropped").untilAsserted(() -> {
            for (int i = 0; i < 3; i++) {
                assertThat(dataDir.resolve("storage").resolve(ProjectRender.canvasKey(runId, i))).doesNotExist();
            }
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(runId)).orElse(false)))
                .as("no FFmpeg left for the run").isEmpty());
    }

    @Test
    void aRunPastItsMaximumDurationFailsAndSaysSo() throws Exception {
        String key = newAccountKey("slow");
        String projectId = project(key, "transitionsEnabled", "false");
        Path slow = TestMedia.png(media, 806, 450);
        AGE_RUN.put(806, true);
        addClip(key, projectId, slow, "zoom in", "1");
        JsonNode answer = trigger(key, projectId).json();
        JsonNode run = awaitRun(answer.get("runId").asText(), answer.get("publicAccessToken").asText());
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("errorMessage").asText()).isEqualTo("The run ran past its time limit of 30 min and was stopped");
        assertThat(api.get("/api/video-projects/" + projectId, key).json().get("errorMessage").asText())
                .contains("time limit of 30 min");
    }

    @Test
    void noMoreThanThreeClipsAndOneCompileAtOnce() throws Exception {
        String key = newAccountKey("busy");
        String teammate = accounts.createKey(accounts.findKey(key).orElseThrow().accountId(), "mate", null).apiKey();
        String first = project(key, "transitionsEnabled", "true");
        String second = project(teammate, "transitionsEnabled", "false");
        for (int i = 0; i < 6; i++) {
            addClip(key, first, images.get(i), "zoom in", "3");
        }
        addClip(teammate, second, images.get(0), "zoom out", "1");
        try (ProcessSampler sampler = new ProcessSampler(dataDir, "segment-", "concat")) {
            JsonNode a = trigger(key, first).json();
            JsonNode b = trigger(teammate, second).json();
            assertThat(awaitRun(a.get("runId").asText(), a.get("publicAccessToken").asText()).get("status").asText())
                    .isEqualTo("completed");
            assertThat(awaitRun(b.get("runId").asText(), b.get("publicAccessToken").asText()).get("status").asText())
                    .isEqualTo("completed");
            assertThat(sampler.max("segment-")).as("clip renders at once").isBetween(2, 3);
            assertThat(sampler.max("concat")).as("compiles at once").isEqualTo(1);
        }
    }

    @Test
    void thePublicTokenReadsItsOwnRunOnlyAndExpires() throws Exception {
        String key = newAccountKey("owner");
        String stranger = newAccountKey("stranger");
        String projectId = project(key, "transitionsEnabled", "false");
        addClip(key, projectId, images.get(2), "static", "1");

        assertThat(trigger(stranger, projectId).status()).isEqualTo(404);
        assertThat(trigger(stranger, projectId).json().get("error").asText()).isEqualTo("Video project not found");
        assertThat(api.get("/api/video-projects/" + projectId, stranger).status()).isEqualTo(404);

        String empty = project(key, "transitionsEnabled", "false");
        ApiClient.Response noClips = trigger(key, empty);
        assertThat(noClips.status()).isEqualTo(400);
        assertThat(noClips.json().get("error").asText()).isEqualTo("No clips to generate");

        JsonNode answer = trigger(key, projectId).json();
        String runId = answer.get("runId").asText();
        String token = answer.get("publicAccessToken").asText();
        awaitRun(runId, token);
        // the stream ends as a job's does: the end event is the run's full final state, the status read's JSON
        ApiClient.Response stream = api.get("/api/runs/" + runId + "/events?token=" + token, null);
        assertThat(stream.status()).isEqualTo(200);
        JsonNode end = JSON.readTree(lastEvent(stream.body(), "end"));
        JsonNode read = api.get("/api/runs/" + runId, null, "Authorization", "Bearer " + token).json();
        assertThat(end.get("status").asText()).isEqualTo("completed");
        assertThat(end.get("finalVideoUrl").isTextual()).as(end.toString()).isTrue();
        assertThat(withoutSignedLink(end)).isEqualTo(withoutSignedLink(read));
        // the token is not an API key, and another run's token does not open this run
        assertThat(api.get("/api/video-projects/" + projectId, token).status()).isEqualTo(401);
        JsonNode other = trigger(key, projectId).json();
        assertThat(api.get("/api/runs/" + runId, null, "Authorization", "Bearer "
                + other.get("publicAccessToken").asText()).status()).isEqualTo(401);
        assertThat(api.get("/api/runs/" + runId, null).status()).isEqualTo(401);
        // server-sent events with the token in the query (EventSource cannot send headers)
        ApiClient.Response events = api.get("/api/runs/" + runId + "/events?token=" + token, null);
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.body()).contains("event:progress", "event:end", "\"status\":\"completed\"");
        // once expired, it stops working
        jdbc.update("UPDATE project_runs SET token_expires_at = ? WHERE id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)), runId);
        assertThat(api.get("/api/runs/" + runId, null, "Authorization", "Bearer " + token).status()).isEqualTo(401);
        assertThat(api.get("/api/runs/" + runId + "/events?token=" + token, null).status()).isEqualTo(401);
    }

    /** The data of the stream's last event of that name. */
    private static String lastEvent(String stream, String name) {
        String data = null;
        for (String block : stream.split("\n\n")) {
            if (block.lines().anyMatch(line -> line.equals("event:" + name))) {
                data = block.lines().filter(line -> line.startsWith("data:")).map(line -> line.substring(5))
                        .collect(java.util.stream.Collectors.joining("\n"));
            }
        }
        assertThat(data).as("an event " + name + " in " + stream).isNotNull();
        return data;
    }

    /** The JSON without finalVideoUrl, a link signed afresh on every read. */
    private static JsonNode withoutSignedLink(JsonNode run) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = run.deepCopy();
        copy.remove("finalVideoUrl");
        return copy;
    }
}
