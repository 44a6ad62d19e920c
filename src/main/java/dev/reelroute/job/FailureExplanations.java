package dev.reelroute.job;

import java.util.Optional;

/**
 * What a part of the service that knows a failure's meaning says about it, for {@link JobFailures}: whether the
 * request itself caused it (its tokens are then not given back) and the message written for the user. The clip
 * sources implement it next to their own exceptions, so the core reads failures without knowing their kinds.
 */
public interface FailureExplanations {
    /** Whether {@code failure} (or what it wraps) was the request's own fault; unknown failures are not. */
    boolean causedByRequest(Throwable failure);

    /** The user's message for a failure of this source's, or empty when it is not one of them. */
    Optional<String> userMessage(Throwable failure);
}
