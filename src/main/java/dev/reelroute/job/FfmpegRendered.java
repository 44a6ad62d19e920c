package dev.reelroute.job;

/**
 * Published when a job's FFmpeg render finished and its output was found good: the wall time of the render and
 * how many seconds of video it made per second (above 1: faster than realtime).
 */
public record FfmpegRendered(String jobId, String kind, double wallSeconds, double realtimeFactor) {
}
