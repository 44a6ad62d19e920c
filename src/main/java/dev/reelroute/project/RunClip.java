package dev.reelroute.project;

import java.math.BigDecimal;

/**
 * A clip as frozen in a run, with its state (pending, generating, completed or failed) and the instance that took it
 * last.
 */
public record RunClip(String runId, int position, String clipId, String imageKey, int imageWidth, int imageHeight,
                      String motionPrompt, double durationSeconds, String status, int attempts, String segmentKey,
                      BigDecimal clipCost, BigDecimal transitionCost, String errorMessage,
                      String renderedBy) {
    public static final String PENDING = "pending";
    public static final String GENERATING = "generating";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
}
