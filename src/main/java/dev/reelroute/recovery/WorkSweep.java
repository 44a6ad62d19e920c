package dev.reelroute.recovery;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.JobStore;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Finds the jobs to hand back to the queue (the work-recovery-sweep route sends them): jobs whose worker's lease
 * lapsed, and jobs whose queue message is older than resend-after (never sent, lost, or parked on a dead-letter
 * queue). Every instance sweeps; a duplicate message is harmless, since only one claim succeeds. A video project's
 * run is a job too: while its clips are on the clip queue its lease is its time limit, so it comes back only once
 * that has passed.
 */
@Component("workSweep")
public class WorkSweep {
    /** At most this many per sweep, so one sweep stays short; the next one takes the rest. */
    static final int BATCH = 100;

    private final JobStore jobs;
    private final ReelrouteProperties.Recovery recovery;

    public WorkSweep(JobStore jobs, ReelrouteProperties properties) {
        this.jobs = jobs;
        this.recovery = properties.recovery();
    }

    public List<String> abandonedJobs() {
        return jobs.abandonedJobs(recovery.resendAfter(), BATCH);
    }
}
