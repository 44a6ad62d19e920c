package dev.reelroute.project;

import dev.reelroute.config.ReelrouteProperties;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The project runs the work-recovery sweep hands back to the queue: runs whose worker's lease lapsed, and runs whose
 * queue message is older than resend-after. The jobs' part is {@code recovery.WorkSweep}.
 */
@Component("projectRunSweep")
public class ProjectRunSweep {
    /** At most this many per sweep, so one sweep stays short; the next one takes the rest. */
    static final int BATCH = 100;

    private final ProjectStore projects;
    private final ReelrouteProperties.Recovery recovery;

    public ProjectRunSweep(ProjectStore projects, ReelrouteProperties properties) {
        this.projects = projects;
        this.recovery = properties.recovery();
    }

    public List<String> abandonedRuns() {
        return projects.abandonedRuns(recovery.resendAfter(), BATCH);
    }
}
