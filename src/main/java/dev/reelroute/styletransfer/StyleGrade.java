package dev.reelroute.styletransfer;

import java.util.function.ToDoubleFunction;

import static dev.reelroute.media.FfmpegCommands.decimal;
import static dev.reelroute.styletransfer.StyleMeasurements.BLACK;
import static dev.reelroute.styletransfer.StyleMeasurements.FULL_CHROMA;
import static dev.reelroute.styletransfer.StyleMeasurements.LUMA_RANGE;
import static dev.reelroute.styletransfer.StyleMeasurements.NEUTRAL_CHROMA;
import static dev.reelroute.styletransfer.StyleMeasurements.SILENCE_LUFS;
import static dev.reelroute.styletransfer.StyleMeasurements.clamp;

/**
 * The colour and loudness changes that move a source toward its targets, worked out from the two StyleJSONs in the
 * units ffmpeg takes. The colour grade is one {@code lutyuv}, straight on the limited-range planes the analysis
 * measures (no RGB round trip, no guess at a matrix, the same in every ffmpeg):
 * <ul>
 *   <li>luma {@code Y' = k (Y - Ys) + Yt}: the mean moves from the source's {@code Ys} to the target {@code Yt} and
 *   the 10-90 % spread scales by {@code k}, target contrast over source contrast;</li>
 *   <li>chroma {@code C' = f (C - 128) + d} per plane: {@code f} scales saturation, {@code d} shifts the mean chroma
 *   (the cast, which is temperature and tint, see {@link ChromaCast}).</li>
 * </ul>
 * Saturation is the mean chroma magnitude, and a cast adds to it, so {@code f} is chosen for the part of the chroma
 * that is not cast: modelling the magnitude as {@code sqrt(|cast|² + r²)}, the source's residual {@code r} is scaled
 * to the target's, and {@code d} is whatever cast is then still missing ({@code target cast - f * source cast}).
 *
 * <p>Each target is the config's value if set, else the template's, else the source's own (no change); strength
 * {@code s} moves each one {@code s} of the way from the source's value. Every factor and offset is clamped
 * ({@link #MAX_CONTRAST_FACTOR}, {@link #MAX_SATURATION_FACTOR}, {@link #MAX_CHROMA_OFFSET}), so a flat or grey
 * source is not stretched into noise.
 *
 * <p>Loudness: a gain of target minus source integrated loudness ({@code config.target_lufs}, else the template's),
 * bounded by {@link #MAX_GAIN_DB}; none when either side is silent or the template has no audio. Where the gain
 * would lift the source's true peak above {@link #PEAK_LIMIT_DBTP}, a limiter holds the peaks there.
 *
 * @param contrastFactor   {@code k}
 * @param sourceLuma       {@code Ys}, code value
 * @param targetLuma       {@code Yt}, code value
 * @param saturationFactor {@code f}
 * @param cbOffset         {@code d} of the Cb plane, code values
 * @param crOffset         {@code d} of the Cr plane, code values
 * @param gainDb           loudness gain; null leaves the sound as it is
 * @param limitPeaks       whether the limiter is needed after the gain
 */
record StyleGrade(double contrastFactor, double sourceLuma, double targetLuma, double saturationFactor,
                  double cbOffset, double crOffset, Double gainDb, boolean limitPeaks) {

    static final double MAX_CONTRAST_FACTOR = 3;
    static final double MAX_SATURATION_FACTOR = 3;
    static final double MAX_CHROMA_OFFSET = 48;
    static final double MAX_GAIN_DB = 30;
    static final double PEAK_LIMIT_DBTP = -1;
    /** Below this residual chroma (code values) a source is grey: there is no colour to scale. */
    private static final double MIN_RESIDUAL_CHROMA = 1;
    private static final double EPSILON = 1e-4;

    static StyleGrade of(StyleJson source, StyleJson template, StyleConfig config, double strength) {
        StyleJson.Color from = source.color();
        StyleJson.Color toward = template == null ? null : template.color();
        double meanLuma = target(from, toward, config.meanLuma(), StyleJson.Color::meanLuma, strength);
        double contrast = target(from, toward, config.contrast(), StyleJson.Color::contrast, strength);
        double saturation = target(from, toward, config.saturation(), StyleJson.Color::saturation, strength);
        double temperature = target(from, toward, config.temperature(), StyleJson.Color::temperature, strength);
        double tint = target(from, toward, config.tint(), StyleJson.Color::tint, strength);

        double contrastFactor = from.contrast() >= StyleConfig.MIN_CONTRAST
                ? clamp(contrast / from.contrast(), 1 / MAX_CONTRAST_FACTOR, MAX_CONTRAST_FACTOR) : 1;

        ChromaCast sourceCast = ChromaCast.of(from.temperature(), from.tint());
        ChromaCast targetCast = ChromaCast.of(temperature, tint);
        double sourceResidual = residualChroma(from.saturation(), sourceCast);
        double targetResidual = residualChroma(saturation, targetCast);
        double saturationFactor = sourceResidual >= MIN_RESIDUAL_CHROMA
                ? clamp(targetResidual / sourceResidual, 0, MAX_SATURATION_FACTOR) : 1;
        double cbOffset = targetCast.cbCodeOffset() - saturationFactor * sourceCast.cbCodeOffset();
        double crOffset = targetCast.crCodeOffset() - saturationFactor * sourceCast.crCodeOffset();

        Double gain = gainDb(source.audio(), template == null ? null : template.audio(), config.targetLufs());
        boolean limit = gain != null && source.audio().truePeakDbtp() + gain > PEAK_LIMIT_DBTP;
        return new StyleGrade(contrastFactor, lumaCode(from.meanLuma()), lumaCode(meanLuma), saturationFactor,
                clamp(cbOffset, -MAX_CHROMA_OFFSET, MAX_CHROMA_OFFSET),
                clamp(crOffset, -MAX_CHROMA_OFFSET, MAX_CHROMA_OFFSET), gain, limit);
    }

    /** The value to aim for: the config's, else the template's, else the source's; {@code strength} of the way. */
    private static double target(StyleJson.Color from, StyleJson.Color toward, Double configured,
                                 ToDoubleFunction<StyleJson.Color> value, double strength) {
        double start = value.applyAsDouble(from);
        double goal;
        if (configured != null) {
            goal = configured;
        } else if (toward != null) {
            goal = value.applyAsDouble(toward);
        } else {
            return start;
        }
        return start + strength * (goal - start);
    }

    /** The chroma magnitude (code values) that is not the cast, under the model in the class documentation. */
    private static double residualChroma(double saturation, ChromaCast cast) {
        double magnitude = saturation * FULL_CHROMA;
        double castMagnitude = Math.hypot(cast.cbCodeOffset(), cast.crCodeOffset());
        return Math.sqrt(Math.max(0, magnitude * magnitude - castMagnitude * castMagnitude));
    }

    private static Double gainDb(StyleJson.Audio source, StyleJson.Audio template, Double targetLufs) {
        Double target = targetLufs != null ? targetLufs
                : template != null && template.integratedLufs() > SILENCE_LUFS ? template.integratedLufs() : null;
        if (source == null || target == null || source.integratedLufs() <= SILENCE_LUFS) {
            return null;
        }
        return clamp(target - source.integratedLufs(), -MAX_GAIN_DB, MAX_GAIN_DB);
    }

    private static double lumaCode(double unitLuma) {
        return BLACK + LUMA_RANGE * unitLuma;
    }

    boolean changesColour() {
        return Math.abs(contrastFactor - 1) > EPSILON || Math.abs(targetLuma - sourceLuma) > EPSILON
                || Math.abs(saturationFactor - 1) > EPSILON || Math.abs(cbOffset) > EPSILON
                || Math.abs(crOffset) > EPSILON;
    }

    /** The {@code lutyuv} of the grade; ffmpeg clips each result to the plane's 0-255. */
    String lutFilter() {
        return "lutyuv=y=" + decimal(contrastFactor) + "*(val-" + decimal(sourceLuma) + ")+(" + decimal(targetLuma)
                + "):u=" + chroma(cbOffset) + ":v=" + chroma(crOffset);
    }

    private String chroma(double offset) {
        return decimal(NEUTRAL_CHROMA) + "+" + decimal(saturationFactor) + "*(val-" + decimal(NEUTRAL_CHROMA) + ")+("
                + decimal(offset) + ")";
    }

    /** The {@code volume} of the gain, then the limiter where needed; empty without a gain. */
    String loudnessFilters() {
        if (gainDb == null) {
            return "";
        }
        String volume = "volume=volume=" + decimal(Math.pow(10, gainDb / 20));
        // level=0: no automatic make-up gain; latency=1: the lookahead does not delay the sound.
        return limitPeaks ? volume + ",alimiter=limit=" + decimal(Math.pow(10, PEAK_LIMIT_DBTP / 20))
                + ":level=0:latency=1" : volume;
    }
}
