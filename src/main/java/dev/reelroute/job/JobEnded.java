package dev.reelroute.job;

/** Published when a job's terminal event is built (completed, failed or cancelled): its last stage ends. */
public record JobEnded(String jobId) {
}
