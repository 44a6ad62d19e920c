package dev.reelroute.media;

/**
 * No usable FFmpeg on this instance: the configured one is missing or does not run, none is on the PATH and the
 * bundled build cannot be extracted or run here. Surfaces answer 503; the message says why and what to do.
 */
public class FfmpegUnavailableException extends RuntimeException {
    public FfmpegUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
