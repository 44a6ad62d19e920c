package dev.reelroute.support;

import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A running job made COMPLETED as store-job-outputs' step complete-job leaves it, for a test that needs a completed
 * job without running the render and the storing before it. The step's own statement is tested where it runs
 * (JobStageSqlContract, on H2 and MariaDB); this is only the state it leaves.
 */
public final class CompletedJobs {
    private CompletedJobs() {
    }

    /** Completes the job if it is PROCESSING, at {@code at}, with the outputs under the keys the service uses. */
    public static void complete(DataSource database, String jobId, Instant at) {
        Timestamp now = Timestamp.from(at);
        new JdbcTemplate(database).update("""
                UPDATE jobs SET status = 'COMPLETED', progress = 100, stage = 'completed', status_message = 'Completed',
                                output_video_key = ?, thumbnail_key = ?, completed_at = ?, updated_at = ?
                WHERE id = ? AND status = 'PROCESSING'""",
                "jobs/" + jobId + "/output.mp4", "jobs/" + jobId + "/thumbnail.jpg", now, now, jobId);
    }
}
