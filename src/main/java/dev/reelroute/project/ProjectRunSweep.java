package dev.reelroute.project;

import dev.reelroute.config.ReelrouteProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The project runs the work-recovery sweep hands back to the queue: runs whose worker's lease lapsed, runs whose
 * queue message is older than resend-after, and runs whose clips are on the clip queue (no instance holds them) past
 * their time limit, so the limit ends them even when no clip of theirs is left to take. The jobs' part is
 * {@code recovery.WorkSweep}.
 */
@Component("projectRunSweep")
public class ProjectRunSweep {
    /** At most this many per sweep, so one sweep stays short; the next one takes the rest. */
    static final int BATCH = 100;

    private final ProjectStore projects;
    private final ReelrouteProperties.Recovery recovery;
    private final Duration runLimit;

    public ProjectRunSweep(ProjectStore projects, ReelrouteProperties properties) {
        this.projects = projects;
        this.recovery = properties.recovery();
        this.runLimit = properties.projects().maxRunDuration();
    }

    public List<String> abandonedRuns() {
        List<String> runs = new ArrayList<>(projects.abandonedRuns(recovery.resendAfter(), BATCH));
        runs.addAll(projects.clipRunsPastTimeLimit(runLimit, BATCH));
        return runs;
    }
}
