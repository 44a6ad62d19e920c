package dev.reelroute.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.reelroute.job.JobStore;
import dev.reelroute.support.Databases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * V11 on a database with runs in every state (as V10 left them): each becomes a job of kind video-project with its
 * state, lease and log, and /api/runs reads it as before.
 */
class ProjectRunsAreJobsMigrationTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void onH2() {
        try (HikariDataSource h2 = new HikariDataSource()) {
            h2.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID()
                    + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            h2.setUsername("sa");
            liveRunsAreCopied(h2);
        }
    }

    @Test
    void onMariaDb() throws Exception {
        String database = "reelroute_v11_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection server = DriverManager.getConnection(Databases.MARIADB_URL, Databases.MARIADB_USER,
                Databases.MARIADB_PASSWORD)) {
            server.createStatement().execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
        }
        try (HikariDataSource mariaDb = new HikariDataSource()) {
            mariaDb.setJdbcUrl(Databases.MARIADB_URL + database
                    + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true");
            mariaDb.setUsername(Databases.MARIADB_USER);
            mariaDb.setPassword(Databases.MARIADB_PASSWORD);
            liveRunsAreCopied(mariaDb);
        } finally {
            Databases.dropMariaDb(database);
        }
    }

    private static void liveRunsAreCopied(HikariDataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("10").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Timestamp now = Timestamp.from(NOW);
        Timestamp started = Timestamp.from(NOW.minus(Duration.ofMinutes(5)));
        jdbc.update("INSERT INTO accounts (id, name, webhook_secret, created_at) VALUES ('acc1', 'a', 's', ?)", now);
        jdbc.update("""
                INSERT INTO video_projects (id, account_id, name, status, transitions_enabled, resolution, aspect_ratio,
                                            music_volume, ambient_enabled, created_at, updated_at)
                VALUES ('vp_1', 'acc1', 'p', 'generating', FALSE, '720p', '16:9', 0.5, FALSE, ?, ?)""", now, now);
        run(jdbc, "run_queued", "queued", 0, null, null, null, null);
        run(jdbc, "run_clips", "generating", 40, started, null, null, now);
        run(jdbc, "run_compiling", "compiling", 80, started, "instance-a", Timestamp.from(NOW.plusSeconds(60)), now);
        run(jdbc, "run_done", "completed", 100, started, null, null, now);
        run(jdbc, "run_failed", "failed", 12, started, null, null, null);
        jdbc.update("UPDATE project_runs SET error_message = 'Clip 1 failed', takeovers = 1 WHERE id = 'run_failed'");
        jdbc.update("""
                INSERT INTO run_clips (run_id, position, clip_id, image_key, image_width, image_height,
                                       duration_seconds, status, attempts, segment_key)
                VALUES ('run_clips', 0, 'c0', 'k0', 8, 8, 1, 'completed', 1, 's0'),
                       ('run_clips', 1, 'c1', 'k1', 8, 8, 1, 'pending', 0, NULL),
                       ('run_compiling', 0, 'c0', 'k0', 8, 8, 1, 'completed', 1, 's0')""");
        jdbc.update("INSERT INTO run_logs (run_id, logged_at, level, message) VALUES ('run_failed', ?, 'INFO', 'first')",
                now);
        jdbc.update("INSERT INTO run_logs (run_id, logged_at, level, message) VALUES ('run_failed', ?, 'ERROR', "
                + "'Clip 1 failed')", now);

        // as the database keeps it (the driver may send a timestamp without its milliseconds)
        Instant startedAsStored = jdbc.queryForObject("SELECT started_at FROM project_runs WHERE id = 'run_clips'",
                Timestamp.class).toInstant();

        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

        Map<String, String> statuses = Map.of("run_queued", "PENDING", "run_clips", "PROCESSING",
                "run_compiling", "PROCESSING", "run_done", "COMPLETED", "run_failed", "FAILED");
        statuses.forEach((id, status) -> assertThat(jdbc.queryForMap(
                "SELECT kind, status, account_id, api_key_id FROM jobs WHERE id = ?", id))
                .as(id).containsEntry("kind", "video-project").containsEntry("status", status)
                .containsEntry("account_id", "acc1").containsEntry("api_key_id", null));
        Map<String, Object> queuedClips = jdbc.queryForMap(
                "SELECT claimed_by, lease_expires_at FROM jobs WHERE id = 'run_clips'");
        assertThat(queuedClips.get("claimed_by")).isNull();
        assertThat(((Timestamp) queuedClips.get("lease_expires_at")).toInstant())
                .as("its lease is its time limit").isEqualTo(startedAsStored.plus(Duration.ofMinutes(30)));
        assertThat(jdbc.queryForObject("SELECT claimed_by FROM jobs WHERE id = 'run_compiling'", String.class))
                .isEqualTo("instance-a");
        assertThat(jdbc.queryForObject("SELECT retries FROM jobs WHERE id = 'run_failed'", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT message FROM job_logs WHERE job_id = 'run_failed' ORDER BY id",
                String.class)).containsExactly("first", "Clip 1 failed");

        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(dataSource);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        ProjectStore store = new ProjectStore(named, new JobStore(named, transactions, Clock.systemUTC()),
                transactions, Clock.systemUTC());
        assertThat(List.of("run_queued", "run_clips", "run_compiling", "run_done", "run_failed").stream()
                .map(id -> store.findRun(id).orElseThrow()).map(ProjectRun::status))
                .containsExactly("queued", "generating", "compiling", "completed", "failed");
        ProjectRun failed = store.findRun("run_failed").orElseThrow();
        assertThat(failed.errorMessage()).isEqualTo("Clip 1 failed");
        assertThat(failed.progress()).isEqualTo(12);
        assertThat(store.findRun("run_done").orElseThrow().startedAt()).isEqualTo(startedAsStored);
    }

    private static void run(JdbcTemplate jdbc, String id, String status, int progress, Timestamp started,
                            String claimedBy, Timestamp lease, Timestamp clipsQueued) {
        jdbc.update("""
                INSERT INTO project_runs (id, project_id, account_id, status, progress, stage, public_token_hash,
                                          token_expires_at, provider, cost, created_at, updated_at, started_at,
                                          claimed_by, lease_expires_at, clips_queued_at)
                VALUES (?, 'vp_1', 'acc1', ?, ?, ?, ?, ?, 'local', 0, ?, ?, ?, ?, ?, ?)""",
                id, status, progress, status, "0".repeat(64), Timestamp.from(NOW.plusSeconds(3600)),
                Timestamp.from(NOW.minus(Duration.ofMinutes(6))), Timestamp.from(NOW), started, claimedBy, lease,
                clipsQueued);
    }
}
