package dev.reelroute.styletransfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The style surface's current_stage for each stage a worker reports on a style-transfer job. */
class StyleViewsTest {
    /** What a style job's worker reports, in order (job-orchestrate, style-transfer, video-compile). */
    private static final List<String> WORKER_STAGES = List.of("preparing", "video_analysis", "audio_analysis",
            "motion_analysis", "style_extraction", "style_application", "rendering", "uploading");

    @Test
    void theDocumentsStagesOnlyMoveForwardAndStoringTheOutputIsStillRendering() {
        List<String> seen = WORKER_STAGES.stream().map(StyleViews::surfaceStage).toList();

        assertThat(StyleViews.STAGES).containsAll(seen);
        assertThat(seen.stream().map(StyleViews.STAGES::indexOf).toList()).as(seen.toString()).isSorted();
        assertThat(StyleViews.surfaceStage("preparing")).isEqualTo("video_analysis");
        assertThat(StyleViews.surfaceStage("uploading")).isEqualTo("rendering");
    }
}
