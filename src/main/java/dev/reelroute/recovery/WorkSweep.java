package dev.reelroute.recovery;

import dev.reelroute.config.ReelrouteProperties;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What the work-recovery-sweep route binds to its SQL steps: it finds the jobs to hand back to the queue (jobs whose
 * worker's lease lapsed, and jobs whose queue message is older than resend-after: never sent, lost, or parked on a
 * dead-letter queue), marks them sent and sends them. Every instance sweeps; a duplicate message is harmless, since
 * only one claim succeeds. A video project's run is a job too: while its clips are on the clip queue its lease is its
 * time limit, so it comes back only once that has passed.
 */
@Component("workSweep")
public class WorkSweep {
    private final ReelrouteProperties.Recovery recovery;

    public WorkSweep(ReelrouteProperties properties) {
        this.recovery = properties.recovery();
    }

    /** A job waiting on a message sent before this is sent again. */
    public Timestamp resendBefore(Timestamp now) {
        return Timestamp.from(now.toInstant().minus(recovery.resendAfter()));
    }

    /** The ids in the rows find-abandoned-jobs selected (one column each). */
    public List<String> ids(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> String.valueOf(row.values().iterator().next())).toList();
    }
}
