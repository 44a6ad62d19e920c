package dev.reelroute.styletransfer;

import java.time.Instant;

/** A video an account uploaded to /api/v1/videos, with what ffprobe found in it. */
public record UploadedVideo(String id, String accountId, String storageKey, String container, long sizeBytes,
                            long durationMs, int width, int height, double fps, String videoCodec, String audioCodec,
                            boolean hasAudio, Instant createdAt) {}
