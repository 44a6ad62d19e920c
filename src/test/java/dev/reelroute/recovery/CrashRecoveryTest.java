package dev.reelroute.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.FfmpegProcesses;
import dev.reelroute.support.ServiceProcess;
import dev.reelroute.support.TestMedia;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as its own process, killed with SIGKILL while one job's FFmpeg compiles, two jobs wait in the queue
 * and a project run is half-way through its clips; then started again on the same data dir (H2 and the embedded
 * broker's journal live there). Without a new submission every job and the run finish, the clips made before the
 * kill are not made again, and no FFmpeg is left behind. Leases are short here (5 s) so the take-over is quick.
 */
class CrashRecoveryTest {
    private static final String ADMIN_TOKEN = "crash-recovery-test-admin-token-0123456789abcdef";
    private static final Duration TIMEOUT = Duration.ofSeconds(300);

    @TempDir
    Path dir;
    private ServiceProcess service;
    private static String apiKey;

    /** Whatever happened (a failed assertion, a restart that timed out), no service nor FFmpeg outlives the test. */
    @AfterEach
    void stopService() throws Exception {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            FfmpegProcesses.under(dir).forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void workInterruptedBySigkillFinishesAfterARestartWithoutRedoingStoredClips() throws Exception {
        Path dataDir = dir.resolve("data");
        Path media = Files.createDirectories(dir.resolve("media"));
        int port = freePort();
        service = start(dataDir, port, 1);
        ApiClient api = new ApiClient(port);
        ApiClient.Response account = api.postJson("/admin/accounts", ADMIN_TOKEN,
                "{\"name\":\"crash\",\"maxActiveJobsPerKey\":3}");
        assertThat(account.status()).as(account.body()).isEqualTo(201);
        apiKey = account.json().get("apiKey").asText();

        Path image = TestMedia.png(media, 1280, 720);
        // a project whose five clips are made one at a time
        ApiClient.Response project = api.postMultipart("/api/video-projects", apiKey, List.of(
                Part.field("name", "Interrupted"), Part.field("transitionsEnabled", "true"),
                Part.file("music", TestMedia.wav(media, 20), "audio/wav")));
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        String projectId = project.json().get("id").asText();
        for (int i = 0; i < 5; i++) {
            ApiClient.Response clip = api.postMultipart("/api/video-projects/" + projectId + "/clips", apiKey,
                    List.of(Part.file("image", image, "image/png"), Part.field("motionPrompt", "slow zoom in"),
                            Part.field("durationSeconds", "3")));
            assertThat(clip.status()).as(clip.body()).isEqualTo(201);
        }
        JsonNode triggered = api.postJsonWithKey("/api/video-projects/generate", apiKey,
                "{\"videoProjectId\":\"" + projectId + "\"}").json();
        String runId = triggered.get("runId").asText();
        String runToken = triggered.get("publicAccessToken").asText();

        // one long compile holds the single job consumer; the two jobs behind it stay PENDING (the run, a job too,
        // was taken from the queue before them: its clips are on the clip queue, which the clip consumers take)
        List<String> jobs = new ArrayList<>();
        for (double seconds : new double[] {40, 3, 3}) {
            ApiClient.Response created = api.submit(apiKey, image, "image/png", TestMedia.wav(media, seconds),
                    "audio/wav", null);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            jobs.add(created.json().get("jobId").asText());
        }
        String compiling = jobs.get(0);

        Set<Integer> clipsMadeBeforeKill = new HashSet<>();
        await("FFmpeg compiling " + compiling + ", two jobs pending and the run in the middle of its clips", () -> {
            JsonNode run = run(api, runId, runToken);
            clipsMadeBeforeKill.clear();
            run.get("clips").forEach(clip -> {
                if (clip.get("status").asText().equals("completed")) {
                    clipsMadeBeforeKill.add(clip.get("position").asInt());
                }
            });
            // a clip of the run rendering too, so the kill interrupts it (its take-over says "Resuming clip")
            return !FfmpegProcesses.under(dataDir.resolve("work").resolve(compiling)).isEmpty()
                    && !FfmpegProcesses.naming(runId).isEmpty()
                    && status(api, jobs.get(1)).equals("PENDING") && status(api, jobs.get(2)).equals("PENDING")
                    && !clipsMadeBeforeKill.isEmpty() && clipsMadeBeforeKill.size() < 5;
        });
        service.kill(); // SIGKILL: no shutdown hook runs, the broker's messages stay unacknowledged

        service = start(dataDir, port, 2);
        await("every job and the run ended", () -> jobs.stream().allMatch(id -> terminal(status(api, id)))
                && List.of("completed", "failed").contains(run(api, runId, runToken).get("status").asText()));

        for (String id : jobs) {
            assertThat(status(api, id)).as("job %s", id).isEqualTo("COMPLETED");
        }
        JsonNode run = run(api, runId, runToken);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("logs").toString()).contains("Resuming");
        for (JsonNode clip : run.get("clips")) {
            if (clipsMadeBeforeKill.contains(clip.get("position").asInt())) {
                assertThat(clip.get("attempts").asInt())
                        .as("clip %s was made before the kill: reused; the run's log: %s", clip, run.get("logs"))
                        .isEqualTo(1);
            }
        }
        assertThat(FfmpegProcesses.under(dataDir)).as("FFmpeg processes left on the data dir").isEmpty();

        assertThat(service.stop()).as("a clean stop, so the database can be read").isTrue();
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db/reelroute")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE", "sa", "")) {
            assertThat(retries(db, compiling)).as("the compiling job was taken over once").isEqualTo(1);
            for (String pending : jobs.subList(1, 3)) {
                assertThat(retries(db, pending)).as("a job that never started is not a take-over").isZero();
            }
        }
    }

    private static int retries(Connection db, String jobId) throws Exception {
        try (PreparedStatement query = db.prepareStatement("SELECT retries FROM jobs WHERE id = ?")) {
            query.setString(1, jobId);
            ResultSet row = query.executeQuery();
            assertThat(row.next()).isTrue();
            return row.getInt(1);
        }
    }

    /** Starts the service and waits until it is ready (its readiness probe, as an orchestrator would). */
    private ServiceProcess start(Path dataDir, int port, int generation) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "" + port);
        settings.put("reelroute.data-dir", dataDir.toString());
        settings.put("reelroute.instance-id", "crash-" + generation);
        settings.put("reelroute.admin-token", ADMIN_TOKEN);
        settings.put("reelroute.rate-limit.submit-per-minute", "1000");
        settings.put("reelroute.jobs.consumers", "1");
        settings.put("reelroute.projects.clip-concurrency", "1");
        // what is asserted of the image + audio jobs is that each ends COMPLETED and who took it over, not the
        // video: 10 frames a second, not 25 (the 40 s job renders before and again after the kill)
        settings.put("reelroute.render.fps", "10");
        settings.put("reelroute.recovery.lease", "5s");
        settings.put("reelroute.recovery.heartbeat-interval", "1s");
        settings.put("reelroute.recovery.sweep-interval", "1s");
        settings.put("reelroute.recovery.watch-interval", "1s");
        // in target/, so a failed run's logs can be read afterwards
        return ServiceProcess.start("", settings, Path.of("target", "crash-recovery-test", "service-" + generation
                + ".log"));
    }

    private void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(condition::getAsBoolean);
    }

    private static String status(ApiClient api, String jobId) {
        try {
            return api.get("/api/status/" + jobId, apiKey).json().get("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode run(ApiClient api, String runId, String token) {
        try {
            return api.get("/api/runs/" + runId, null, "Authorization", "Bearer " + token).json();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean terminal(String status) {
        return status.equals("COMPLETED") || status.equals("FAILED");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
