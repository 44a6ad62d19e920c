package dev.reelroute.project;

import dev.reelroute.media.RenderSize;

import java.nio.file.Path;

/**
 * One clip of a run to generate: its own spec, the next clip's (for its outgoing transition), the project's frame
 * size, the canvases the run fitted (the clip's, and the next clip's when a crossfade leads into it, else null), and
 * where its segment goes.
 */
public record ClipTask(String runId, int position, int clipCount, ClipSpec clip, ClipSpec next,
                       double transitionSeconds, RenderSize size, Path canvas, Path nextCanvas, Path segment,
                       Path progressFile) {
    public boolean first() {
        return position == 0;
    }

    public boolean hasTransition() {
        return next != null && transitionSeconds > 0;
    }
}
