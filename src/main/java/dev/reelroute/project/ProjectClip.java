package dev.reelroute.project;

import java.time.Instant;

/** One clip of a project: an uploaded image, a motion prompt and a duration. */
public record ProjectClip(String id, String projectId, int position, String imageKey, int imageWidth,
                          int imageHeight, String motionPrompt, double durationSeconds, Instant createdAt) {}
