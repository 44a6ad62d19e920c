package dev.reelroute.styletransfer;

import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.InvalidMediaException;
import dev.reelroute.media.RenderSize;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import static dev.reelroute.media.FfmpegCommands.decimal;
import static dev.reelroute.media.FfmpegCommands.requireNonNull;

/**
 * One ffmpeg process that renders a source graded toward a template's style ({@link StyleGrade}: colour by one
 * {@code lutyuv}, loudness by a gain and, where needed, a peak limiter), optionally at the template's frame rate and
 * aspect ratio, as every render: H.264 yuv420p BT.709 limited range, AAC 48 kHz stereo, fast start, no metadata from
 * the input ({@link FfmpegCommands}). A source without sound gives a video without sound.
 *
 * <h2>Frame</h2>
 * Without {@code match_aspect} the output keeps the source's size, scaled down to fit the max width and height
 * (config, else {@code reelroute.style.max-output-*}). With it, the frame takes the template's aspect ratio at about
 * the source's pixel count (within the same bounds), and the source is fitted into it by {@code aspect_fit}: pad
 * (bars), crop (centred), or auto, the rule of {@link FfmpegCommands} (crop when the aspect ratios are within a factor
 * of {@value FfmpegCommands#AUTO_COVER_MAX_ASPECT_FACTOR}, else pad). The grade runs on the scaled picture before the
 * crop or the bars, so bars stay black. With {@code match_fps} the {@code fps} filter drops or repeats frames to the
 * template's rate, before anything else, so the rest works on as few frames as possible.
 */
@Component
public class StyleApplicationCommands {

    private final StyleProperties settings;

    public StyleApplicationCommands(StyleProperties settings) {
        this.settings = settings;
    }

    public List<String> apply(StyleApplicationRender r) {
        validate(r);
        StyleConfig config = r.config() != null ? r.config() : StyleConfig.NONE;
        StyleJson template = r.templateStyle();
        config.requireUsableWith(template != null);
        StyleGrade grade = StyleGrade.of(r.sourceStyle(), template, config,
                config.strength() != null ? config.strength() : settings.defaultStrength());
        boolean sound = r.sourceProbe().hasAudio();

        List<String> command = new ArrayList<>(FfmpegCommands.renderHead(r.ffmpeg(), r.progressFile()));
        command.addAll(List.of("-protocol_whitelist", "file", "-i", r.source().toAbsolutePath().toString()));
        String graph = videoGraph(r, config, grade);
        if (sound && grade.gainDb() != null) {
            graph += ";[0:a:0]" + grade.loudnessFilters() + "[audio]";
        }
        command.addAll(List.of("-filter_complex", graph, "-map", "[video]"));
        if (sound) {
            command.addAll(List.of("-map", grade.gainDb() != null ? "[audio]" : "0:a:0"));
        } else {
            command.add("-an");
        }
        command.addAll(FfmpegCommands.NO_INPUT_METADATA);
        command.addAll(FfmpegCommands.H264_OUTPUT);
        command.addAll(FfmpegCommands.BT709_LIMITED_OUTPUT);
        if (config.matchFps()) {
            command.addAll(List.of("-r", frameRate(template.format().fps())));
        }
        if (sound) {
            command.addAll(FfmpegCommands.AAC_OUTPUT);
        }
        command.addAll(List.of("-t", decimal(FfmpegCommands.MAX_DURATION_SECONDS), "-movflags", "+faststart",
                "-f", "mp4", r.output().toAbsolutePath().toString()));
        return List.copyOf(command);
    }

    private String videoGraph(StyleApplicationRender r, StyleConfig config, StyleGrade grade) {
        ImageDimensions source = new ImageDimensions(r.sourceProbe().width(), r.sourceProbe().height());
        RenderSize size = outputSize(source, config.matchAspect() ? r.templateStyle().format().aspectRatioValue()
                : source.aspectRatio(), config.maxWidth() != null ? config.maxWidth() : settings.maxOutputWidth(),
                config.maxHeight() != null ? config.maxHeight() : settings.maxOutputHeight());
        FitMode fit = config.matchAspect() && config.aspectFit() != null ? config.aspectFit()
                : config.matchAspect() ? FitMode.AUTO : FitMode.COVER; // same aspect: COVER only trims rounding
        // format=yuv420p first: the LUT's numbers are 8-bit code values, whatever the source's depth.
        String grading = ",format=yuv420p" + (grade.changesColour() ? "," + grade.lutFilter() : "");
        String fps = config.matchFps() ? "fps=fps=" + frameRate(r.templateStyle().format().fps()) + "," : "";
        return "[0:v:0]" + fps + FfmpegCommands.placeOnCanvas(FfmpegCommands.resolveFit(fit, source, size), source,
                size, grading) + ",format=yuv420p[video]";
    }

    /**
     * A frame of {@code aspect} with about {@code source}'s pixel count, scaled down to fit {@code maxWidth} x
     * {@code maxHeight}, even sides, at least {@link RenderSize#MIN_SIDE}.
     */
    static RenderSize outputSize(ImageDimensions source, double aspect, int maxWidth, int maxHeight) {
        double height = Math.sqrt((double) source.width() * source.height() / aspect);
        double width = height * aspect;
        double scale = Math.min(1, Math.min(maxWidth / width, maxHeight / height));
        return new RenderSize(evenSide(width * scale), evenSide(height * scale));
    }

    private static int evenSide(double side) {
        return Math.max(RenderSize.MIN_SIDE, Math.min(RenderSize.MAX_SIDE, (int) Math.round(side) & ~1));
    }

    /** {@code fps} within the bounds of every render, as ffmpeg takes it: "25", "30000/1001" or a decimal. */
    static String frameRate(double fps) {
        double bounded = StyleMeasurements.clamp(fps, FfmpegCommands.MIN_FPS, FfmpegCommands.MAX_FPS);
        long whole = Math.round(bounded);
        if (Math.abs(bounded - whole) < 0.001) {
            return Long.toString(whole);
        }
        long ntsc = Math.round(bounded * 1.001); // 23.976, 29.97, 59.94: NTSC rates are n * 1000/1001
        if (Math.abs(bounded - ntsc / 1.001) < 0.001) {
            return ntsc * 1000 + "/1001";
        }
        return decimal(bounded);
    }

    private static void validate(StyleApplicationRender r) {
        requireNonNull(r.ffmpeg(), "ffmpeg");
        requireNonNull(r.source(), "source");
        requireNonNull(r.sourceProbe(), "sourceProbe");
        requireNonNull(r.sourceStyle(), "sourceStyle");
        requireNonNull(r.output(), "output");
        requireNonNull(r.progressFile(), "progressFile");
        if (!r.sourceProbe().hasVideo() || r.sourceProbe().width() <= 0 || r.sourceProbe().height() <= 0) {
            throw new InvalidMediaException("the source has no video stream of a readable size");
        }
        if (!StyleJson.VERSION.equals(r.sourceStyle().version())
                || (r.templateStyle() != null && !StyleJson.VERSION.equals(r.templateStyle().version()))) {
            throw new IllegalArgumentException("StyleJSON version " + StyleJson.VERSION + " expected");
        }
    }
}
