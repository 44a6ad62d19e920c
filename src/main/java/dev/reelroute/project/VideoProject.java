package dev.reelroute.project;

import java.math.BigDecimal;
import java.time.Instant;

/** A video project: settings, status draft → generating → compiling → completed | failed, and its result. */
public record VideoProject(String id, String accountId, String name, String status, boolean transitionsEnabled,
                           String resolution, String aspectRatio, String musicKey, double musicVolume,
                           boolean ambientEnabled, String finalVideoKey, String thumbnailKey, String errorMessage,
                           BigDecimal totalCost, String currentRunId, Instant createdAt, Instant updatedAt) {
    public static final String DRAFT = "draft";
    public static final String GENERATING = "generating";
    public static final String COMPILING = "compiling";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
}
