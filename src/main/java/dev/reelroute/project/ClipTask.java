package dev.reelroute.project;

import java.nio.file.Path;

/**
 * One clip of a run to generate: its own spec, the next clip's (for its outgoing transition), and where its
 * segment goes.
 */
public record ClipTask(String runId, int position, int clipCount, ClipSpec clip, ClipSpec next,
                       double transitionSeconds, Path segment, Path progressFile) {
    public boolean first() {
        return position == 0;
    }

    public boolean hasTransition() {
        return next != null && transitionSeconds > 0;
    }
}
