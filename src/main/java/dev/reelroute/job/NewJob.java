package dev.reelroute.job;

/** What a surface knows about a job before it is stored. */
public record NewJob(
        String id,
        String accountId,
        String apiKeyId,
        String kind,
        String webhookUrl,
        String inputImageKey,
        String inputAudioKey,
        long durationMs,
        String shareToken) {}
