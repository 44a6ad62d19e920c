package dev.reelroute.project;

import java.math.BigDecimal;
import java.time.Instant;

/** One generation run of a project. Its progress is readable with the run's public access token alone. */
public record ProjectRun(String id, String projectId, String accountId, String status, int progress, String stage,
                         String publicTokenHash, Instant tokenExpiresAt, String provider, String errorMessage,
                         BigDecimal cost, Instant createdAt, Instant updatedAt, Instant startedAt,
                         Instant completedAt) {
    public static final String QUEUED = "queued";

    public boolean isActive() {
        return !status.equals(VideoProject.COMPLETED) && !status.equals(VideoProject.FAILED);
    }
}
