package dev.reelroute.provider;

import java.time.Duration;
import java.util.Set;

/**
 * A remote clip that could not be made. The message is written for the job's error (it says what the provider said,
 * redacted, and never holds a token or an internal URL); {@link #userFault()} tells whether the user's input was the
 * problem (no token refund) or anything else was: the provider, its account, the network, reelroute (refund).
 */
public class RemoteClipException extends RuntimeException {
    /** Statuses with which a provider says the input itself is wrong (bad request, too large, invalid). */
    private static final Set<Integer> INPUT_REJECTED = Set.of(400, 413, 415, 422);

    private final boolean userFault;

    private RemoteClipException(String message, boolean userFault, Throwable cause) {
        super(message, cause);
        this.userFault = userFault;
    }

    public boolean userFault() {
        return userFault;
    }

    /** Whether {@code failure} (or what it wraps) was the user's input; anything unknown is not. */
    public static boolean isUserFault(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RemoteClipException e) {
                return e.userFault;
            }
            if (t instanceof ProviderException e) {
                return rejectsInput(e);
            }
        }
        return false;
    }

    private static boolean rejectsInput(ProviderException e) {
        return e.kind() == ProviderException.Kind.INPUT && INPUT_REJECTED.contains(e.status());
    }

    /** A provider call (submit, poll, cancel, download) that failed for good. */
    static RemoteClipException callFailed(ProviderName provider, ProviderException e) {
        String p = provider.id();
        int status = e.status();
        String message = switch (e.kind()) {
            case INPUT -> {
                if (status == 401 || status == 403) {
                    yield "The " + p + " provider refused reelroute's credentials (" + status + "); the operator "
                            + "must check " + provider.tokenVariable();
                }
                if (status == 402) {
                    yield "The " + p + " account has run out of credit (402); try again later";
                }
                yield status > 0 ? e.getMessage() : "The " + p + " request could not be made: " + e.getMessage();
            }
            case UNAVAILABLE -> "The " + p + " provider is unavailable right now ("
                    + (status > 0 ? "it answered " + status : "no answer in time") + ", after retries); try again later";
            case MALFORMED -> "The " + p + " provider gave an answer reelroute cannot use; the clip was not made";
            case DOWNLOAD -> "The video " + p + " made could not be downloaded ("
                    + (status > 0 ? "it answered " + status : e.retryable() ? "the transfer failed" : "it is too large")
                    + ")";
        };
        return new RemoteClipException(message, rejectsInput(e), e);
    }

    /** The provider ran the prediction and reported it failed; it does not say whose fault, so it is refunded. */
    static RemoteClipException predictionFailed(ProviderName provider, String model, String providerError) {
        return new RemoteClipException("The " + model + " model failed on " + provider.id() + ": " + providerError,
                false, null);
    }

    static RemoteClipException canceledByProvider(ProviderName provider) {
        return new RemoteClipException("The " + provider.id() + " prediction was cancelled on the provider's side",
                false, null);
    }

    static RemoteClipException circuitOpen(ProviderName provider, Throwable cause) {
        return new RemoteClipException("The " + provider.id() + " provider is unavailable right now (circuit open "
                + "after repeated failures); try again later", false, cause);
    }

    static RemoteClipException timedOut(ProviderName provider, Duration maxWait) {
        return new RemoteClipException("The " + provider.id() + " prediction did not finish within "
                + readable(maxWait) + "; it was cancelled", false, null);
    }

    /** Something about the job's own input that the provider cannot be given (e.g. an image over the size limit). */
    static RemoteClipException unusableInput(String message) {
        return new RemoteClipException(message, true, null);
    }

    /** reelroute's side failed (storage, the work dir): not the user's doing, not the provider's. */
    static RemoteClipException internal(String message, Throwable cause) {
        return new RemoteClipException(message, false, cause);
    }

    static String readable(Duration d) {
        long seconds = d.toSeconds();
        if (seconds >= 60 && seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return seconds >= 1 ? seconds + " s" : d.toMillis() + " ms";
    }
}
