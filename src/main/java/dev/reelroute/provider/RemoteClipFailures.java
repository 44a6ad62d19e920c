package dev.reelroute.provider;

import dev.reelroute.job.FailureExplanations;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Remote clip failures for the job's end: the provider's refusal of the input is the user's fault, the rest is not. */
@Component
public class RemoteClipFailures implements FailureExplanations {
    @Override
    public boolean causedByRequest(Throwable failure) {
        return RemoteClipException.isUserFault(failure);
    }

    @Override
    public Optional<String> userMessage(Throwable failure) {
        // written for the user by the provider layer: what the provider said, redacted
        return failure instanceof RemoteClipException remote ? Optional.of(remote.getMessage()) : Optional.empty();
    }
}
