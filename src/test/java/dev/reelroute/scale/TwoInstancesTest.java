package dev.reelroute.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.ExternalArtemis;
import dev.reelroute.support.FfmpegProcesses;
import dev.reelroute.support.S3ProxyExtension;
import dev.reelroute.support.ScaledOut;
import dev.reelroute.support.ServiceProcess;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.TokenLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.assertj.core.data.Offset;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the service: A in this JVM, B a process of its own, sharing only a standalone Artemis broker, one
 * MariaDB database and one S3 server (the production profiles mysql, s3 and artemis), each with its own port and data
 * dir, so a clip's images reach B through S3 only. In order, on the same two instances:
 * <ol>
 *   <li>20 jobs submitted to both are each completed exactly once, by one instance, and both did work;</li>
 *   <li>a 12-clip project run is rendered by both (issue 19: the instance is recorded on each clip) and compiled once
 *   into a correct video; then B is killed with SIGKILL while it renders clips of a second run, and A takes those
 *   clips over and completes the run, without making B's stored clips again.</li>
 * </ol>
 * One class, so the broker, the S3 server and the two instances start once for both scenarios.
 */
@ExtendWith(S3ProxyExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesTest {
    private static final int JOBS = 20;
    private static final int CLIPS = 12;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(400);

    @RegisterExtension
    static final ExternalArtemis artemis = new ExternalArtemis();

    private static final ScaledOut shared = new ScaledOut(artemis, "two-instances");

    @TempDir
    static Path dir;

    private static ConfigurableApplicationContext instanceA;
    private static ServiceProcess instanceB;
    private static ApiClient apiA;
    private static ApiClient apiB;

    @AfterAll
    static void stopInstances() throws Exception {
        if (instanceB != null) {
            instanceB.stop();
        }
        if (instanceA != null) {
            instanceA.close();
        }
        FfmpegProcesses.under(dir).forEach(ProcessHandle::destroyForcibly);
        shared.dropDatabase();
    }

    @BeforeAll
    static void startInstances() throws Exception {
        shared.createDatabaseAndBucket();
        instanceA = ScaledOut.startInJvm(settings("instance-a"));
        // B second: A's Flyway has migrated the shared database by now
        instanceB = ServiceProcess.start(String.join(",", ScaledOut.PROFILES), settings("instance-b"),
                Path.of("target", "two-instances-test", "instance-b.log"));
        apiA = ScaledOut.api(instanceA);
        apiB = instanceB.api();
    }

    private static Map<String, String> settings(String name) throws Exception {
        Map<String, String> settings = shared.settings(name, Files.createDirectories(dir.resolve(name)));
        settings.put("reelroute.video-jobs.max-concurrent-per-account", "" + JOBS);
        // the jobs' assertions are on who rendered each job and how often, not the video: 10 frames a second, not 25
        settings.put("reelroute.render.fps", "10");
        return settings;
    }

    @Test
    @Order(1)
    void twentyJobsAreEachCompletedOnceByOneInstanceAndBothInstancesWork() throws Exception {
        List<ApiClient> apis = List.of(apiA, apiB);
        AccountStore accounts = instanceA.getBean(AccountStore.class);
        AccountStore.CreatedKey account = accounts.createKey(accounts.createAccount("scale", null, 1).account().id(),
                "t", null);
        Tokens.topUp(instanceA.getBean(CamelContext.class), account.accountId(), 50L * JOBS);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            ApiClient.Response created = apis.get(i % 2).postMultipart("/api/v1/video-jobs", account.apiKey(), List.of(
                    Part.field("prompt", "job " + i + ": a slow zoom in"), Part.field("model", "kling-v2.1"),
                    Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"),
                    Part.field("durationSeconds", "4"), Part.field("mockMode", "true")));
            assertThat(created.status()).as(created.body()).isEqualTo(202);
            ids.add(created.json().get("id").asText());
        }

        ConditionFactory allJobs = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250));
        for (String id : ids) {
            // either instance answers for any job: nothing lives in one instance's memory
            String status = allJobs.until(() -> apis.get(id.hashCode() & 1)
                    .get("/api/v1/video-jobs/" + id, account.apiKey()).json().get("status").asText(),
                    read -> read.equals("SUCCEEDED") || read.equals("FAILED"));
            assertThat(status).as("job %s", id).isEqualTo("SUCCEEDED");
        }

        try (Connection connection = shared.openDatabase()) {
            Map<String, Integer> perInstance = new HashMap<>();
            PreparedStatement rows = connection.prepareStatement("""
                    SELECT j.id, j.status, j.retries, j.claimed_by,
                           (SELECT COUNT(*) FROM job_logs l WHERE l.job_id = j.id AND l.message = 'Preparing inputs')
                               AS claims,
                           (SELECT COUNT(*) FROM job_logs l WHERE l.job_id = j.id AND l.message LIKE 'Rendered %')
                               AS renders
                    FROM jobs j WHERE j.account_id = ?""");
            rows.setString(1, account.accountId());
            ResultSet row = rows.executeQuery();
            int count = 0;
            while (row.next()) {
                count++;
                String id = row.getString("id");
                assertThat(row.getString("status")).as(id).isEqualTo("COMPLETED");
                assertThat(row.getInt("retries")).as("%s was never taken over", id).isZero();
                assertThat(row.getInt("claims")).as("%s was claimed once", id).isEqualTo(1);
                assertThat(row.getInt("renders")).as("%s was rendered once", id).isEqualTo(1);
                perInstance.merge(row.getString("claimed_by"), 1, Integer::sum);
            }
            assertThat(count).isEqualTo(JOBS);
            assertThat(perInstance).as("jobs per instance").containsOnlyKeys("instance-a", "instance-b");
        }
        assertThat(instanceA.getBean(TokenLedger.class).balance(account.accountId())).isZero();
    }

    /** A clip of the run as the database holds it. */
    private record ClipRow(int position, String status, int attempts, String renderedBy) {}

    @Test
    @Order(2)
    void twoInstancesRenderOneRunsClipsAndOneCompletesARunTheOtherDiedIn() throws Exception {
        ApiClient api = apiA;
        AccountStore accounts = instanceA.getBean(AccountStore.class);
        String key = accounts.createKey(accounts.createAccount("clips", null, 1).account().id(), "t", null).apiKey();
        String projectId = twelveClipProject(api, key);

        // 1. both instances alive: the clips are shared out, the compile runs once
        Run first = trigger(api, key, projectId);
        JsonNode done = awaitEnd(api, first);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        List<ClipRow> clips = clipRows(first.id());
        assertThat(clips).hasSize(CLIPS).allSatisfy(clip -> {
            assertThat(clip.status()).isEqualTo("completed");
            assertThat(clip.attempts()).as("clip %s made once", clip.position()).isEqualTo(1);
        });
        assertThat(clips).extracting(ClipRow::renderedBy).as("the instance that made each clip")
                .containsOnly("instance-a", "instance-b").contains("instance-a", "instance-b");
        assertThat(logLines(first.id(), "Compiling the final video")).as("compiles").isEqualTo(1);
        assertCorrectVideo(api, key, projectId, "first.mp4");

        // 2. B dies (SIGKILL) while it renders clips of the next run, after it made at least one
        Run second = trigger(api, key, projectId);
        await("instance-b made a clip and renders another").atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<ClipRow> rows = clipRows(second.id());
                    return rows.stream().anyMatch(c -> c.renderedBy() != null && c.renderedBy().equals("instance-b")
                            && c.status().equals("completed"))
                            && rows.stream().anyMatch(c -> "instance-b".equals(c.renderedBy())
                            && c.status().equals("generating"));
                });
        instanceB.kill();
        // as a killed container's would: the FFmpeg B started goes with it
        FfmpegProcesses.under(dir.resolve("instance-b")).forEach(ProcessHandle::destroyForcibly);
        List<ClipRow> atKill = clipRows(second.id());
        List<Integer> madeByB = atKill.stream()
                .filter(c -> "instance-b".equals(c.renderedBy()) && c.status().equals("completed"))
                .map(ClipRow::position).toList();
        List<Integer> inFlightOnB = atKill.stream()
                .filter(c -> "instance-b".equals(c.renderedBy()) && c.status().equals("generating"))
                .map(ClipRow::position).toList();

        assertThat(inFlightOnB).as("B was killed while it rendered a clip").isNotEmpty();

        JsonNode survived = awaitEnd(api, second);
        assertThat(survived.get("status").asText()).as(survived.toString()).isEqualTo("completed");
        List<ClipRow> after = clipRows(second.id());
        assertThat(after).allSatisfy(clip -> assertThat(clip.status()).isEqualTo("completed"));
        for (ClipRow clip : after) {
            if (madeByB.contains(clip.position())) {
                assertThat(clip.renderedBy()).as("clip %s, stored before the kill, is not made again", clip.position())
                        .isEqualTo("instance-b");
                assertThat(clip.attempts()).isEqualTo(1);
            }
            if (inFlightOnB.contains(clip.position())) {
                assertThat(clip.renderedBy()).as("clip %s, in flight on B, taken over by A", clip.position())
                        .isEqualTo("instance-a");
            }
        }
        assertThat(survived.get("logs").toString()).contains("Resuming clip " + (inFlightOnB.get(0) + 1));
        assertThat(logLines(second.id(), "Compiling the final video")).as("compiles").isEqualTo(1);
        assertCorrectVideo(api, key, projectId, "second.mp4");
    }

    private record Run(String id, String token) {}

    /** Twelve 2 s clips with 1 s transitions and music: the video lasts 12 × 2 − 11 = 13 s. */
    private static String twelveClipProject(ApiClient api, String key) throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        ApiClient.Response project = api.postMultipart("/api/video-projects", key, List.of(
                Part.field("name", "Across instances"), Part.field("transitionsEnabled", "true"),
                Part.field("musicVolume", "0.5"), Part.file("music", TestMedia.wav(media, 20), "audio/wav")));
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        String projectId = project.json().get("id").asText();
        for (int i = 0; i < CLIPS; i++) {
            Path image = TestMedia.png(media, 1280 + 2 * i, 720);
            ApiClient.Response clip = api.postMultipart("/api/video-projects/" + projectId + "/clips", key,
                    List.of(Part.file("image", image, "image/png"), Part.field("motionPrompt", "slow zoom in"),
                            Part.field("durationSeconds", "2")));
            assertThat(clip.status()).as(clip.body()).isEqualTo(201);
        }
        return projectId;
    }

    private static Run trigger(ApiClient api, String key, String projectId) throws Exception {
        ApiClient.Response triggered = api.postJsonWithKey("/api/video-projects/generate", key,
                "{\"videoProjectId\":\"" + projectId + "\"}");
        assertThat(triggered.status()).as(triggered.body()).isEqualTo(200);
        return new Run(triggered.json().get("runId").asText(), triggered.json().get("publicAccessToken").asText());
    }

    private static JsonNode awaitEnd(ApiClient api, Run run) {
        return await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get("/api/runs/" + run.id(), null, "Authorization", "Bearer " + run.token()).json(),
                        read -> List.of("completed", "failed").contains(read.get("status").asText()));
    }

    private static void assertCorrectVideo(ApiClient api, String key, String projectId, String name) throws Exception {
        JsonNode project = api.get("/api/video-projects/" + projectId, key).json();
        Path video = dir.resolve(name);
        Files.write(video, api.getAbsolute(project.get("finalVideoUrl").asText(), null).bytes());
        String probe = TestMedia.ffprobe(video, "stream=codec_type,codec_name,width,height:format=duration");
        assertThat(probe).contains("codec_type=video", "codec_name=h264", "width=1280", "height=720",
                "codec_type=audio", "codec_name=aac");
        double duration = Double.parseDouble(probe.lines().filter(l -> l.startsWith("duration=")).findFirst()
                .orElseThrow().substring("duration=".length()));
        assertThat(duration).isCloseTo(13.0, Offset.offset(0.2));
    }

    private static List<ClipRow> clipRows(String runId) throws Exception {
        try (Connection db = shared.openDatabase();
             PreparedStatement query = db.prepareStatement(
                     "SELECT position, status, attempts, rendered_by FROM run_clips WHERE run_id = ? ORDER BY position")) {
            query.setString(1, runId);
            ResultSet row = query.executeQuery();
            List<ClipRow> rows = new ArrayList<>();
            while (row.next()) {
                rows.add(new ClipRow(row.getInt(1), row.getString(2), row.getInt(3), row.getString(4)));
            }
            return rows;
        }
    }

    private static int logLines(String runId, String message) throws Exception {
        try (Connection db = shared.openDatabase();
             PreparedStatement query = db.prepareStatement(
                     "SELECT COUNT(*) FROM job_logs WHERE job_id = ? AND message = ?")) {
            query.setString(1, runId);
            query.setString(2, message);
            ResultSet row = query.executeQuery();
            row.next();
            return row.getInt(1);
        }
    }
}
