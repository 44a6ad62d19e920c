package dev.reelroute.media;

/** How a still image is placed in the output frame; see {@link FfmpegCommands} for the exact rule. */
public enum FitMode {
    /** Scale to fill the frame, crop the overflow centred. */
    COVER,
    /** Scale to fit inside the frame, black bars centred. */
    CONTAIN,
    /** COVER when the aspect ratios are close, CONTAIN otherwise. */
    AUTO
}
