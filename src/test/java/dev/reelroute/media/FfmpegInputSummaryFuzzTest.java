package dev.reelroute.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * What ffmpeg prints about an uploaded file is partly the file's own text (tags, titles): any such summary gives a
 * probe result inside the plausible bounds, or none, and never throws.
 */
class FfmpegInputSummaryFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void parseGivesAPlausibleProbeOrNone(String ffmpegOutput) {
        if (ffmpegOutput == null) {
            return; // the caller always has ffmpeg's output, if only an empty one
        }
        Optional<ProbeResult> parsed = FfmpegInputSummary.parse(ffmpegOutput);
        assertThat(parsed).isNotNull();
        parsed.ifPresent(probe -> {
            assertThat(probe.durationSeconds()).isBetween(0.0, MediaProbe.MAX_PLAUSIBLE_DURATION_SECONDS);
            assertThat(probe.width()).isBetween(0, MediaProbe.MAX_PLAUSIBLE_DIMENSION);
            assertThat(probe.height()).isBetween(0, MediaProbe.MAX_PLAUSIBLE_DIMENSION);
            assertThat(probe.fps()).isBetween(0.0, MediaProbe.MAX_PLAUSIBLE_FPS);
            assertThat(probe.streamCount()).isNotNegative();
        });
    }
}
