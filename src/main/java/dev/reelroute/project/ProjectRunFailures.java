package dev.reelroute.project;

import dev.reelroute.job.FailureExplanations;
import java.util.Optional;
import org.apache.camel.util.ObjectHelper;
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
        return Optional.ofNullable(ObjectHelper.getException(ClipGenerationException.class, failure))
                .map(Throwable::getMessage);
    }
}
