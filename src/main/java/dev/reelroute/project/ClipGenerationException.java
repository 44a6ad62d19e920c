package dev.reelroute.project;

/** A provider could not make a clip; its message is shown to the user. */
public class ClipGenerationException extends RuntimeException {
    public ClipGenerationException(String message) {
        super(message);
    }
}
