package dev.reelroute.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reelroute.support.Databases.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The same contract on the MariaDB server of the machine (127.0.0.1:3306; .ci/run starts it if it is down). */
class MariaDbProjectStoreTest extends ProjectStoreContract {
    @Override
    protected TestDatabase openDatabase() throws Exception {
        return TestDatabase.mariaDb();
    }

    /**
     * Two instances hand the same run to its compile at once, and InnoDB picks this instance's statement to break
     * their deadlock: the statement is sent again, finds the run handed over, and the clip's last step succeeds
     * without being the one. The other instance is played by a transaction that locks the job row through
     * ix_jobs_status_lease, as the hand-over's UPDATE finds it while few jobs run, and hands the run over once this
     * instance waits behind it.
     */
    @Test
    void anInstanceThatLosesADeadlockOverTheHandOverFindsTheRunHandedOver() throws Exception {
        VideoProject project = newProject();
        clip(project, 2);
        ProjectStore.NewRun run = run(project);
        store.startRun(run);
        claim(run.id(), "worker-a", Duration.ofMinutes(1));
        stages.clipsQueued(run.id(), "worker-a", Instant.now().plusSeconds(1800));
        stages.takeClip(run.id(), 0, "worker-a");
        stages.startClip(run.id(), 0);
        stages.completeClip(run.id(), 0, 1, "s0", BigDecimal.ONE, BigDecimal.ZERO);

        JdbcTemplate observer = new JdbcTemplate(database.dataSource());
        try (Connection otherInstance = database.dataSource().getConnection();
             Statement other = otherInstance.createStatement()) {
            otherInstance.setAutoCommit(false);
            // the other instance's work so far outweighs this one's: InnoDB rolls back the lighter of the two
            for (int i = 0; i < 20; i++) {
                other.executeUpdate("INSERT INTO job_logs (job_id, logged_at, level, message) VALUES ('"
                        + run.id() + "', CURRENT_TIMESTAMP(3), 'INFO', 'other instance')");
            }
            other.executeQuery("SELECT id FROM jobs FORCE INDEX (ix_jobs_status_lease) WHERE status = 'PROCESSING'"
                    + " AND lease_expires_at IS NOT NULL FOR UPDATE").close();

            CompletableFuture<Boolean> thisInstance = CompletableFuture.supplyAsync(() -> stages.lastClipIn(run.id()));
            await().atMost(30, TimeUnit.SECONDS).until(() -> handOversWaiting(observer) == 1);
            long deadlocksBefore = deadlocks(observer);

            // its hand-over moves the row in the index, into the gap this instance waits to lock: a deadlock
            other.executeUpdate("UPDATE jobs SET stage = 'compiling', lease_expires_at = NULL,"
                    + " enqueued_at = CURRENT_TIMESTAMP(3) WHERE id = '" + run.id() + "'");
            assertThat(deadlocks(observer)).as("InnoDB broke a deadlock").isGreaterThan(deadlocksBefore);
            otherInstance.commit();

            assertThat(thisInstance.get(30, TimeUnit.SECONDS)).as("the other instance handed the run over").isFalse();
        }
        assertThat(store.findRun(run.id()).orElseThrow().status()).isEqualTo(VideoProject.COMPILING);
    }

    /** Hand-overs waiting for a lock in this test's schema (other test JVMs use schemas of their own). */
    private static int handOversWaiting(JdbcTemplate observer) {
        return observer.queryForObject("SELECT COUNT(*) FROM information_schema.innodb_trx"
                + " WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE 'UPDATE jobs SET stage = ''compiling''%'"
                + " AND trx_mysql_thread_id IN (SELECT id FROM information_schema.processlist WHERE db = DATABASE())",
                Integer.class);
    }

    /** Deadlocks the server has broken since it started. */
    private static long deadlocks(JdbcTemplate observer) {
        return observer.queryForObject("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'",
                (row, rowNumber) -> row.getLong(2));
    }
}
