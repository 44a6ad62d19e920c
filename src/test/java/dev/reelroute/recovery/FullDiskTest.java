package dev.reelroute.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.Databases;
import dev.reelroute.support.StandaloneService;
import dev.reelroute.support.TestMedia;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;

/**
 * The data directory on a filesystem of its own that fills up: a 20 MB tmpfs the test mounts (it needs root, as
 * this machine's test runs have; elsewhere the test is skipped and says why). The database is MariaDB and the
 * broker's journal lies elsewhere, as in production, so only the files (stored inputs and outputs, FFmpeg's scratch
 * space) are on it. An upload that fills the disk gets a 503 and leaves nothing behind, a render that fills it fails
 * the job with a message that says so and its files go, a charged job's tokens come back, readiness shows
 * {@code storage} down while nothing can be written, and once space is freed the same service takes work again.
 */
class FullDiskTest {
    private static final Logger log = LoggerFactory.getLogger(FullDiskTest.class);
    private static final String ADMIN_TOKEN = "full-disk-test-admin-token-0123456789abcdef";
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);

    private static Path dir;
    private static Path dataDir;
    private static boolean mounted;
    private static String database;
    private static ConfigurableApplicationContext service;

    @BeforeAll
    static void mountSmallDataDir() throws Exception {
        dir = Files.createTempDirectory("reelroute-full-disk-");
        dataDir = Files.createDirectories(dir.resolve("data"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", dataDir.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "A full disk needs a small filesystem of the test's own, and mounting a "
                + "tmpfs is not permitted here (it takes root): " + output.strip());
    }

    @AfterAll
    static void unmount() throws Exception {
        StandaloneService.stopAll(service, dir);
        if (mounted) {
            new ProcessBuilder("umount", "--lazy", dataDir.toString()).inheritIO().start().waitFor(30,
                    TimeUnit.SECONDS);
        }
        if (database != null) {
            Databases.dropMariaDb(database);
        }
        if (dir != null) {
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    @Test
    void aFullDiskFailsTheWorkItStopsCleanlyAndTheServiceGoesOnOnceThereIsRoom() throws Exception {
        service = start();
        ApiClient api = StandaloneService.api(service);
        JdbcTemplate jdbc = service.getBean(JdbcTemplate.class);
        Path media = Files.createDirectories(dir.resolve("media"));
        Path image = TestMedia.png(media, 1280, 720);
        Path storage = dataDir.resolve("storage");
        Path work = dataDir.resolve("work");
        String apiKey = StandaloneService.fundedAccount(api, ADMIN_TOKEN, "full disk", 500).apiKey();
        assertThat(StandaloneService.readiness(service, "storage")).isEqualTo("UP");

        // an upload larger than the room left: the disk fills while its audio is stored
        Path filler = dataDir.resolve("filler");
        fill(filler, 1024 * 1024);
        Path audio = TestMedia.wav(media, 40);
        assertThat(Files.size(audio)).isGreaterThan(3L * 1024 * 1024);
        ApiClient.Response upload = api.submit(apiKey, image, "image/png", audio, "audio/wav", null);
        assertThat(upload.status()).as(upload.body()).isEqualTo(503);
        assertThat(upload.json().get("error").asText()).startsWith("The server's disk is full");
        assertThat(upload.body()).doesNotContain("Exception").doesNotContain("No space left");
        assertThat(regularFiles(storage)).as("stored files after the refused upload").isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM jobs", Integer.class)).isZero();
        Files.delete(filler);

        // a long render; the disk fills while FFmpeg writes the video
        String renderingJob = StandaloneService.imageAudioJob(api, apiKey, image, TestMedia.wav(media, 30), null);
        await().atMost(JOB_TIMEOUT).until(() -> regularFiles(work.resolve(renderingJob)).stream()
                .mapToLong(FullDiskTest::size).sum() > 100 * 1024);
        fill(filler, 0);
        log.info("Disk filled while job {} renders", renderingJob);
        JsonNode failed = awaitEnd(jdbc, renderingJob);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("FAILED");
        assertThat(failed.get("error").asText()).as(failed.toString()).startsWith("The server's disk is full")
                .doesNotContain("Exception").doesNotContain("exited with");
        assertThat(regularFiles(work.resolve(renderingJob))).as("the job's scratch files").isEmpty();
        assertThat(regularFiles(storage.resolve("jobs").resolve(renderingJob)))
                .as("the job's stored files: its inputs only")
                .allMatch(file -> file.getFileName().toString().startsWith("input-"));

        // nothing can be written now: readiness says so, and a charged job fails and gets its tokens back
        fill(dataDir.resolve("filler-rest"), 0);
        await().atMost(Duration.ofMinutes(1))
                .until(() -> "DOWN".equals(StandaloneService.readiness(service, "storage")));
        String promptJob = StandaloneService.promptJob(api, apiKey, "slow pan right over a harbour");
        JsonNode promptEnd = awaitEnd(jdbc, promptJob);
        assertThat(promptEnd.get("status").asText()).as(promptEnd.toString()).isEqualTo("FAILED");
        assertThat(promptEnd.get("error").asText()).as(promptEnd.toString()).startsWith("The server's disk is full");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM token_ledger WHERE job_id = ? AND kind = 'refund'",
                Integer.class, promptJob)).isEqualTo(1);
        assertThat(api.get("/api/account", apiKey).json().get("tokenBalance").asLong()).isEqualTo(500);
        assertThat(regularFiles(work.resolve(promptJob))).isEmpty();
        ApiClient.Response whileFull = api.submit(apiKey, image, "image/png", TestMedia.wav(media, 1), "audio/wav",
                null);
        assertThat(whileFull.status()).as(whileFull.body()).isEqualTo(503);
        assertThat(whileFull.json().get("error").asText()).startsWith("The server's disk is full");

        // room again: the same service, not restarted, takes and finishes new work
        Files.delete(filler);
        Files.delete(dataDir.resolve("filler-rest"));
        await().atMost(Duration.ofMinutes(1))
                .until(() -> "UP".equals(StandaloneService.readiness(service, "storage")));
        String again = StandaloneService.imageAudioJob(api, apiKey, image, TestMedia.wav(media, 2), null);
        String promptAgain = StandaloneService.promptJob(api, apiKey, "slow pan right over a harbour");
        for (String id : List.of(again, promptAgain)) {
            JsonNode end = awaitEnd(jdbc, id);
            assertThat(end.get("status").asText()).as(end.toString()).isEqualTo("COMPLETED");
        }
    }

    /** Writes {@code file} until the filesystem has at most {@code leaveFree} bytes left (0: until it refuses). */
    private static void fill(Path file, long leaveFree) throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (Files.getFileStore(dataDir).getUsableSpace() > leaveFree) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).as("why the filler stopped").contains("No space left on device");
        }
    }

    private static List<Path> regularFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException gone) {
            return 0;
        }
    }

    private static JsonNode awaitEnd(JdbcTemplate jdbc, String jobId) {
        String[] end = new String[2];
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, Object> row = jdbc.queryForMap("SELECT status, error_message FROM jobs WHERE id = ?", jobId);
            end[0] = (String) row.get("status");
            end[1] = (String) row.get("error_message");
            return List.of("COMPLETED", "FAILED", "CANCELLED").contains(end[0]);
        });
        return new ObjectMapper().createObjectNode().put("id", jobId).put("status", end[0]).put("error", end[1]);
    }

    private static ConfigurableApplicationContext start() throws Exception {
        database = "reelroute_full_disk_" + ProcessHandle.current().pid();
        try (Connection connection = DriverManager.getConnection(Databases.MARIADB_URL, Databases.MARIADB_USER,
                Databases.MARIADB_PASSWORD)) {
            connection.createStatement().execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
        }
        Map<String, String> settings = StandaloneService.settings(dataDir, "full-disk", ADMIN_TOKEN);
        // the broker's journal on a disk of its own, as an external broker's would be
        settings.put("spring.artemis.embedded.data-directory",
                Files.createDirectories(dir.resolve("artemis")).toString());
        settings.put("reelroute.jobs.consumers", "1");
        settings.put("reelroute.health.storage-cache", "1s");
        settings.put("REELROUTE_DB_URL", Databases.MARIADB_URL + database
                + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true");
        settings.put("REELROUTE_DB_USER", Databases.MARIADB_USER);
        settings.put("REELROUTE_DB_PASSWORD", Databases.MARIADB_PASSWORD);
        return StandaloneService.run("mysql", settings);
    }
}
