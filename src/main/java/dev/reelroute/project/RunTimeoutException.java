package dev.reelroute.project;

/** A run went past its maximum duration. */
public class RunTimeoutException extends RuntimeException {
    public RunTimeoutException(String message) {
        super(message);
    }
}
