package dev.reelroute.styletransfer;

import dev.reelroute.media.RenderSize;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Style transfer settings, {@code reelroute.style.*} in application.yaml.
 *
 * @param analysisWidth       width in px the analysis scales the video down to before measuring (never up)
 * @param maxAnalysisDuration only this much of a video, from its start, is analysed
 * @param sceneThreshold      scdet threshold (0-100): a frame differing from the one before by more than this, in
 *                            percent of full scale, and by this much more than the previous difference, is a cut
 * @param defaultStrength     how far the grade moves toward the targets when a job's config does not say (0-1)
 * @param maxOutputWidth      default bound of the output frame width when a job's config does not set one
 * @param maxOutputHeight     default bound of the output frame height
 */
@ConfigurationProperties(prefix = "reelroute.style")
public record StyleProperties(int analysisWidth, Duration maxAnalysisDuration, double sceneThreshold,
                              double defaultStrength, int maxOutputWidth, int maxOutputHeight) {

    public static final int MIN_ANALYSIS_WIDTH = 64;
    public static final int MAX_ANALYSIS_WIDTH = 1920;
    public static final Duration MAX_ANALYSIS_DURATION = Duration.ofHours(1);

    /** The values application.yaml ships with, for code that runs without Spring. */
    public static final StyleProperties DEFAULTS =
            new StyleProperties(320, Duration.ofMinutes(10), 10, 1, 1920, 1920);

    public StyleProperties {
        if (analysisWidth < MIN_ANALYSIS_WIDTH || analysisWidth > MAX_ANALYSIS_WIDTH) {
            throw new IllegalArgumentException("reelroute.style.analysis-width must be within " + MIN_ANALYSIS_WIDTH
                    + ".." + MAX_ANALYSIS_WIDTH + ": " + analysisWidth);
        }
        if (maxAnalysisDuration == null || maxAnalysisDuration.toMillis() < 1000
                || maxAnalysisDuration.compareTo(MAX_ANALYSIS_DURATION) > 0) {
            throw new IllegalArgumentException("reelroute.style.max-analysis-duration must be within 1s..1h: "
                    + maxAnalysisDuration);
        }
        if (!(sceneThreshold > 0 && sceneThreshold <= 100)) {
            throw new IllegalArgumentException("reelroute.style.scene-threshold must be within (0, 100]: "
                    + sceneThreshold);
        }
        if (!(defaultStrength >= 0 && defaultStrength <= 1)) {
            throw new IllegalArgumentException("reelroute.style.default-strength must be within 0..1: "
                    + defaultStrength);
        }
        for (int side : new int[] {maxOutputWidth, maxOutputHeight}) {
            if (side < RenderSize.MIN_SIDE || side > RenderSize.MAX_SIDE) {
                throw new IllegalArgumentException("reelroute.style.max-output-width and max-output-height must be"
                        + " within " + RenderSize.MIN_SIDE + ".." + RenderSize.MAX_SIDE + ": " + side);
            }
        }
    }

    public double maxAnalysisSeconds() {
        return maxAnalysisDuration.toMillis() / 1000.0;
    }
}
