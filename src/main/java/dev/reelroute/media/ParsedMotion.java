package dev.reelroute.media;

/**
 * What {@link MotionPromptParser} made of a prompt.
 *
 * @param motion      the camera motion to render, never null
 * @param recognized  false when the prompt named no motion and the default was used
 * @param description a short human sentence such as "slow zoom in", for logs and the UI
 */
public record ParsedMotion(CameraMotion motion, boolean recognized, String description) {
}
