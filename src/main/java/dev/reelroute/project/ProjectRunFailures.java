package dev.reelroute.project;

import dev.reelroute.job.FailureExplanations;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** A run that fails because one of its clips failed says which clip and why (the clip's own message). */
@Component
public class ProjectRunFailures implements FailureExplanations {
    @Override
    public boolean causedByRequest(Throwable failure) {
        return false;
    }

    @Override
    public Optional<String> userMessage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ClipGenerationException clip) {
                return Optional.of(clip.getMessage());
            }
        }
        return Optional.empty();
    }
}
