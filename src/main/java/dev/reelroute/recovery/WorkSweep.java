package dev.reelroute.recovery;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.JobStore;
import dev.reelroute.project.ProjectStore;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Finds the work to hand back to the queue (the work-recovery-sweep route sends it): jobs and project runs whose
 * worker's lease lapsed, and work whose queue message is older than resend-after (never sent, lost, or parked on a
 * dead-letter queue). Every instance sweeps; a duplicate message is harmless, since only one claim succeeds.
 */
@Component("workSweep")
public class WorkSweep {
    /** At most this many of each kind per sweep, so one sweep stays short; the next one takes the rest. */
    static final int BATCH = 100;

    private final JobStore jobs;
    private final ProjectStore projects;
    private final ReelrouteProperties.Recovery recovery;

    public WorkSweep(JobStore jobs, ProjectStore projects, ReelrouteProperties properties) {
        this.jobs = jobs;
        this.projects = projects;
        this.recovery = properties.recovery();
    }

    public List<String> abandonedJobs() {
        return jobs.abandonedJobs(recovery.resendAfter(), BATCH);
    }

    public List<String> abandonedRuns() {
        return projects.abandonedRuns(recovery.resendAfter(), BATCH);
    }
}
