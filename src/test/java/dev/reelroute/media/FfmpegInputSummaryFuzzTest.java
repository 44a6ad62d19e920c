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
    void parseGivesAPlausibleProbeOrNone(byte[] input) {
        // raw bytes, not a String parameter: the committed inputs are then the exact text, readable as such
        String ffmpegOutput = new String(input, java.nio.charset.StandardCharsets.UTF_8);
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
