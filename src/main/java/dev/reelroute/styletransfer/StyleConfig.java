package dev.reelroute.styletransfer;

import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.RenderSize;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a style transfer job asks of the grade, from the job's JSON {@code config} object ({@link #parse}). Every field
 * is optional; null means "not set". README.md "StyleJSON" lists the fields with their ranges.
 *
 * <p>The colour targets and {@code targetLufs} are values on the StyleJSON scale ({@code color.mean_luma},
 * {@code color.contrast}, …, {@code audio.integrated_lufs}); where one is set it wins over the template's, and without
 * a template only what is set changes. {@code strength} says how far the colour grade moves from the source toward
 * the targets (1 all the way); loudness is always matched fully. {@code matchFps} and {@code matchAspect} take the
 * template's frame rate and aspect ratio and need a template; {@code aspectFit} says how the frame reaches that
 * aspect ({@link FitMode#CONTAIN} pads, {@link FitMode#COVER} crops, {@link FitMode#AUTO} follows the rule of
 * {@link FfmpegCommands}). {@code maxWidth} and {@code maxHeight} bound the output frame.
 */
public record StyleConfig(Double strength, Double meanLuma, Double contrast, Double saturation, Double temperature,
                          Double tint, Double targetLufs, boolean matchFps, boolean matchAspect, FitMode aspectFit,
                          Integer maxWidth, Integer maxHeight) {

    public static final StyleConfig NONE =
            new StyleConfig(null, null, null, null, null, null, null, false, false, null, null, null);

    public static final double MIN_TARGET_LUFS = -50;
    public static final double MAX_TARGET_LUFS = -5;
    /** Below this a picture is flat grey: a spread to aim for must be at least this. */
    public static final double MIN_CONTRAST = 0.01;

    /** The JSON names; {@link #parse} refuses any other. */
    static final List<String> FIELDS = List.of("strength", "mean_luma", "contrast", "saturation", "temperature",
            "tint", "target_lufs", "match_fps", "match_aspect", "aspect_fit", "max_width", "max_height");

    private static final Map<String, FitMode> FITS = Map.of("pad", FitMode.CONTAIN, "contain", FitMode.CONTAIN,
            "crop", FitMode.COVER, "cover", FitMode.COVER, "auto", FitMode.AUTO);

    public StyleConfig {
        requireWithin("strength", strength, 0, 1);
        requireWithin("mean_luma", meanLuma, 0, 1);
        requireWithin("contrast", contrast, MIN_CONTRAST, 1);
        requireWithin("saturation", saturation, 0, 1);
        requireWithin("temperature", temperature, -1, 1);
        requireWithin("tint", tint, -1, 1);
        requireWithin("target_lufs", targetLufs, MIN_TARGET_LUFS, MAX_TARGET_LUFS);
        requireWithin("max_width", maxWidth == null ? null : maxWidth.doubleValue(), RenderSize.MIN_SIDE,
                RenderSize.MAX_SIDE);
        requireWithin("max_height", maxHeight == null ? null : maxHeight.doubleValue(), RenderSize.MIN_SIDE,
                RenderSize.MAX_SIDE);
    }

    /**
     * The config of a job's JSON {@code config}: null, missing or JSON null is {@link #NONE}. Throws a
     * {@link StyleConfigException} naming the first field that is unknown, of the wrong type or out of range.
     */
    public static StyleConfig parse(JsonNode config) {
        if (config == null || config.isMissingNode() || config.isNull()) {
            return NONE;
        }
        if (!config.isObject()) {
            throw new StyleConfigException("config", "must be a JSON object");
        }
        for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new StyleConfigException(field(name), "is not a known setting (known: "
                        + String.join(", ", FIELDS) + ")");
            }
        }
        return new StyleConfig(number(config, "strength"), number(config, "mean_luma"), number(config, "contrast"),
                number(config, "saturation"), number(config, "temperature"), number(config, "tint"),
                number(config, "target_lufs"), flag(config, "match_fps"), flag(config, "match_aspect"),
                fit(config), whole(config, "max_width"), whole(config, "max_height"));
    }

    /** Refuses what only a template can give: its frame rate and aspect ratio. */
    public void requireUsableWith(boolean hasTemplate) {
        if (!hasTemplate && matchFps) {
            throw new StyleConfigException(field("match_fps"), "needs a template video");
        }
        if (!hasTemplate && matchAspect) {
            throw new StyleConfigException(field("match_aspect"), "needs a template video");
        }
    }

    private static String field(String name) {
        return "config." + name;
    }

    private static Double number(JsonNode config, String name) {
        JsonNode value = config.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new StyleConfigException(field(name), "must be a number");
        }
        return value.doubleValue();
    }

    private static Integer whole(JsonNode config, String name) {
        Double value = number(config, name);
        if (value == null) {
            return null;
        }
        if (value != Math.rint(value) || Math.abs(value) > RenderSize.MAX_SIDE * 2) {
            throw new StyleConfigException(field(name), "must be a whole number within " + RenderSize.MIN_SIDE + ".."
                    + RenderSize.MAX_SIDE);
        }
        return value.intValue();
    }

    private static boolean flag(JsonNode config, String name) {
        JsonNode value = config.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new StyleConfigException(field(name), "must be true or false");
        }
        return value.booleanValue();
    }

    private static FitMode fit(JsonNode config) {
        JsonNode value = config.get("aspect_fit");
        if (value == null || value.isNull()) {
            return null;
        }
        FitMode fit = value.isTextual() ? FITS.get(value.textValue()) : null;
        if (fit == null) {
            throw new StyleConfigException(field("aspect_fit"), "must be \"pad\", \"crop\" or \"auto\"");
        }
        return fit;
    }

    private static void requireWithin(String name, Double value, double min, double max) {
        if (value != null && !(value >= min && value <= max)) { // also NaN
            throw new StyleConfigException(field(name), "must be within " + plain(min) + ".." + plain(max) + ": "
                    + plain(value));
        }
    }

    /** 1.0 as "1", 0.25 as "0.25": the way the user wrote it. */
    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value) : Double.toString(value);
    }
}
