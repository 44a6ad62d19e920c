package dev.reelroute.job;

import java.time.Instant;

/**
 * What job-progress records and publishes on the reelroute.job-events topic. {@code type} is one of created,
 * stage, progress, completed, failed, cancelled.
 */
public record ProgressEvent(String type, String jobId, String accountId, String kind, String status, int progress,
                           String stage, String message, Instant timestamp) {
    public boolean isTerminal() {
        return type.equals("completed") || type.equals("failed") || type.equals("cancelled");
    }
}
