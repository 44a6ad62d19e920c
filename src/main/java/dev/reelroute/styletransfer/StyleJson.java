package dev.reelroute.styletransfer;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The style of a video as {@link StyleAnalysisCommands} measures it: colour, sound, motion and format. Serialized with
 * snake_case names; README.md "StyleJSON" documents every field with its unit and range.
 *
 * @param audio null when the video has no audio stream
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StyleJson(String version, Color color, Audio audio, Motion motion, Format format) {

    public static final String VERSION = "1.0";

    /**
     * Luma values are BT.709 limited range made 0-1 ({@code (Y - 16) / 219}); chroma-based values follow BT.709.
     *
     * @param meanLuma    mean luma, 0 black - 1 white
     * @param contrast    mean per-frame spread between the 10th and 90th luma percentile, 0-1
     * @param saturation  mean chroma magnitude {@code sqrt(Cb² + Cr²)} over that of a full-strength primary, 0-1
     * @param hue         circular mean hue (HSV degrees, 0 red, 120 green, 240 blue) of the saturated pixels, 0-360;
     *                    null when too few pixels are saturated or their hues cancel out
     * @param temperature mean {@code R - B} (0-1 RGB), -1 cool .. 1 warm
     * @param tint        mean {@code G - (R + B) / 2}, -1 magenta .. 1 green
     * @param blackPoint  mean 10th luma percentile, 0-1
     * @param whitePoint  mean 90th luma percentile, 0-1
     * @param palette     up to 5 dominant colours, "#rrggbb", most common first
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Color(double meanLuma, double contrast, double saturation, Double hue, double temperature,
                        double tint, double blackPoint, double whitePoint, List<String> palette) {
        public Color {
            palette = palette == null ? List.of() : List.copyOf(palette);
        }
    }

    /**
     * EBU R128 measurements of the first audio stream.
     *
     * @param integratedLufs  integrated loudness, LUFS; -70 for silence (the absolute gate)
     * @param loudnessRangeLu loudness range, LU
     * @param truePeakDbtp    highest true peak over all channels, dBTP; -99 for digital silence
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Audio(double integratedLufs, double loudnessRangeLu, double truePeakDbtp) {
    }

    /**
     * @param meanMotion         mean absolute difference between consecutive frames, 0 still - 1 every pixel flips
     * @param cutsPerMinute      hard cuts (scene changes) per minute of analysed video
     * @param averageShotSeconds analysed seconds over (cuts + 1)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Motion(double meanMotion, double cutsPerMinute, double averageShotSeconds) {
    }

    /**
     * @param aspectRatio      width:height reduced, e.g. "16:9" (square pixels assumed)
     * @param aspectRatioValue width / height, e.g. 1.7778
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Format(double fps, int width, int height, String aspectRatio, double aspectRatioValue,
                         double durationSeconds) {
    }
}
