package dev.reelroute.media;

/**
 * The bytes of an uploaded or generated file are not the media they claim to be (corrupt, truncated,
 * unreadable by ffprobe). Unchecked because callers map it to a 4xx / failed job, not retry it.
 */
public class InvalidMediaException extends RuntimeException {

    public InvalidMediaException(String message) {
        super(message);
    }

    public InvalidMediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
