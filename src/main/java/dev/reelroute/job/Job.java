package dev.reelroute.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

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
        Instant completedAt,
        PromptSpec prompt,
        String provider,
        String providerJobId,
        long tokensConsumed,
        java.math.BigDecimal costUsd,
        Long outputDurationMs,
        StyleSpec style) {

    /** POST /api/jobs: a still and an audio track. */
    public static final String KIND_IMAGE_AUDIO = "image-audio";
    /** POST /api/v1/video-jobs: prompt, frames, reference images, a model. */
    public static final String KIND_VIDEO_JOB = "video-job";
    /** POST /api/generate: prompt and an optional voiceover script. */
    public static final String KIND_GENERATE = "generate";
    /** POST /api/v1/jobs: an uploaded video graded toward a template's style. */
    public static final String KIND_STYLE_TRANSFER = "style-transfer";
    /**
     * A video project's run (POST /api/video-projects/generate, JMS video-project): read through /api/runs only, so
     * the jobs surfaces (lists, counts, the dashboard) leave it out.
     */
    public static final String KIND_VIDEO_PROJECT = "video-project";

    public boolean isPromptJob() {
        return prompt != null;
    }

    /** The keys of the inputs stored for this job alone (a style-transfer job's uploaded video is not one). */
    public List<String> storedInputKeys() {
        List<String> keys = new ArrayList<>();
        Stream.of(inputImageKey, inputAudioKey).filter(Objects::nonNull).forEach(keys::add);
        if (prompt != null) {
            keys.addAll(prompt.inputKeys());
        }
        return keys;
    }
}
