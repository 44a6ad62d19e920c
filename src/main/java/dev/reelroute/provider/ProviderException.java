package dev.reelroute.provider;

/**
 * A failed provider call. {@link #retryable()} tells a retry policy or circuit breaker whether trying again can
 * help; {@link #status()} is the HTTP status the provider answered with, or 0 when there was none. Messages never
 * contain the provider token (the factories are given already-redacted text by {@link ProviderHttp}).
 */
public class ProviderException extends RuntimeException {
    public enum Kind {
        /** The provider refused the request (4xx other than 408/429); not retryable. */
        INPUT,
        /** 5xx, 429, 408, connection failures, timeouts; retryable. */
        UNAVAILABLE,
        /** The provider answered something we cannot understand (or refuse to follow); not retryable. */
        MALFORMED,
        /** Downloading an output failed midway or could not be stored; retryable. */
        DOWNLOAD
    }

    private final Kind kind;
    private final int status;
    private final boolean retryable;

    protected ProviderException(Kind kind, int status, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryable = retryable;
    }

    public static ProviderException input(int status, String message) {
        return new ProviderException(Kind.INPUT, status, false, message, null);
    }

    public static ProviderException unavailable(int status, String message, Throwable cause) {
        return new ProviderException(Kind.UNAVAILABLE, status, true, message, cause);
    }

    public static ProviderException malformed(String message, Throwable cause) {
        String text = message.toLowerCase(java.util.Locale.ROOT).contains("malformed")
                ? message : "malformed provider response: " + message;
        return new ProviderException(Kind.MALFORMED, 0, false, text, cause);
    }

    public static ProviderException download(int status, String message, Throwable cause) {
        return new ProviderException(Kind.DOWNLOAD, status, true, message, cause);
    }

    /** A download we refuse for good (too large, not allowed, gone): retrying would not help. */
    public static ProviderException downloadRefused(int status, String message) {
        return new ProviderException(Kind.DOWNLOAD, status, false, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return retryable;
    }

    /** HTTP status, or 0 when the provider gave none (connection error, timeout, malformed body). */
    public int status() {
        return status;
    }
}
