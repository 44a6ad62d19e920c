package dev.reelroute.job;

import java.time.Instant;

/** One row of the jobs table. */
public record Job(
        String id,
        String accountId,
        String apiKeyId,
        String kind,
        JobStatus status,
        int progress,
        String stage,
        String statusMessage,
        String errorMessage,
        int retries,
        String webhookUrl,
        String inputImageKey,
        String inputAudioKey,
        Long durationMs,
        String outputVideoKey,
        String thumbnailKey,
        String shareToken,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant completedAt) {

    public static final String KIND_IMAGE_AUDIO = "image-audio";
}
