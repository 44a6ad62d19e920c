package dev.reelroute.project;

import dev.reelroute.web.ApiException;
import dev.reelroute.security.Secrets;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Reading a run with its public access token alone: read-only, scoped to that one run, and only until it
 * expires. A wrong token, another run's token, an expired one and an unknown run all get the same 401.
 */
@Component("runAccess")
public class RunAccess {
    static final String DENIED = "Invalid or expired access token for this run";

    private final ProjectStore store;
    private final ProjectViews views;
    private final Clock clock;

    public RunAccess(ProjectStore store, ProjectViews views, Clock clock) {
        this.store = store;
        this.views = views;
        this.clock = clock;
    }

    public ProjectRun verify(String runId, String token) {
        if (runId == null || token == null || !runId.matches("run_[a-z0-9]{1,32}") || token.length() > 200) {
            throw new ApiException(401, DENIED);
        }
        ProjectRun run = store.findRun(runId).orElseThrow(() -> new ApiException(401, DENIED));
        if (!Secrets.constantTimeEquals(run.publicTokenHash(), Secrets.sha256Hex(token))
                || clock.instant().isAfter(run.tokenExpiresAt())) {
            throw new ApiException(401, DENIED);
        }
        return run;
    }

    /** GET /api/runs/{runId} with {@code Authorization: Bearer <publicAccessToken>}. */
    public Map<String, Object> read(@Header("runId") String runId, @Header("Authorization") String authorization) {
        return view(verify(runId, bearer(authorization)));
    }

    public Map<String, Object> view(ProjectRun run) {
        return views.run(run, store.runClips(run.id()), store.runLogs(run.id()),
                store.findProject(run.projectId()).orElseThrow());
    }

    /** The token of an {@code Authorization: Bearer} header; null without one. */
    public static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip()
                : null;
    }
}
