package dev.reelroute.job;

/**
 * Published when a running job reports a stage (the same stage again included); ops times the stages from these.
 */
public record StageEntered(String jobId, String kind, String stage) {
}
