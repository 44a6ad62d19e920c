package dev.reelroute.media;

/**
 * What ffprobe reported about a file. Codec names are ffprobe's (e.g. "h264", "aac") or null when the
 * stream is absent; width/height/fps are 0 without a video stream.
 */
public record ProbeResult(double durationSeconds, boolean hasVideo, boolean hasAudio, int width, int height,
                          double fps, String videoCodec, String audioCodec, int streamCount, String formatName) {
}
