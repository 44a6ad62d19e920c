package dev.reelroute.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * Builds ffmpeg command lines as argument lists. Nothing here runs a process or touches a file.
 *
 * <p>Only numbers we computed and fixed keywords go into the filter graph; file paths are separate
 * arguments, so no user-supplied text can change what ffmpeg does.
 *
 * <h2>Fit rule</h2>
 * {@link FitMode#COVER} scales the image to fill the whole frame and crops the overflow, centred.
 * {@link FitMode#CONTAIN} scales it to fit inside the frame and fills the rest with black bars
 * (letterbox or pillarbox), centred. {@link FitMode#AUTO} uses COVER when the image's aspect ratio is
 * within a factor of {@value #AUTO_COVER_MAX_ASPECT_FACTOR} of the output's (for example a 4:3 or 16:10
 * photo in a 16:9 video), and CONTAIN otherwise (for example a portrait photo in a 16:9 video), so
 * that no more than a fifth of the picture is ever cropped away. Both keep the pixel aspect ratio 1:1:
 * the image is never stretched.
 *
 * <h2>Camera motion</h2>
 * The image is fitted to the output size once; {@code loop} repeats that frame for every output frame
 * and {@code perspective} (bilinear, per frame) cuts the camera window out of it. perspective
 * positions its source samples in 1/256 px, so the window moves continuously instead of snapping to
 * whole pixels the way zoompan's crop does. The window and the pixel-centre alignment are worked out
 * in {@link #perspective}. Project segments move the camera with {@link CameraWarp} instead: the same frames, at
 * a third of the cost, outside FFmpeg.
 *
 * <p>Measured (lines of Gaussian profile tracked to sub-pixel precision in every frame of the encoded
 * MP4 against the ideal path, 3 s at 720p 30 fps, 8%; see {@code MotionTracker} in the tests): ZOOM_IN
 * within 0.13 px and PAN_RIGHT within 0.16 px, never a step backwards; DRIFT (2 s at 320x180 25 fps, 10%,
 * rendered as a project segment) within 0.11 px, never a step backwards. The zoompan-on-a-3x-yuv444p-canvas
 * approach this replaces measured 0.53 px with steps backwards on the same harness. Speed, 30 s of
 * audio at 720p 25 fps on 2 cores, interleaved runs: ~6 s, against ~4 s for a plain still-image
 * encode and ~15-19 s for the 3x zoompan. What is left is mostly x264: a moving picture costs more to
 * encode than a still one. Tried and not better: cubic interpolation (slower, no smoother), yuv444p
 * (slower, luma identical), zoompan at 2x (0.76 px, backwards steps), scale+crop with eval=frame
 * (integer crop; crop breaks when scale changes the frame size mid-stream in ffmpeg 5.1),
 * {@code -tune stillimage}, {@code -threads 2} and {@code -filter_complex_threads} (within noise).
 *
 * <p>The window is magnified from the frame fitted at output size, so a large zoom (up to
 * {@link CameraMotion#MAX_AMOUNT}) shows the output-size detail enlarged rather than the original's
 * finer detail.
 */
@Component
public class FfmpegCommands {

    public static final double AUTO_COVER_MAX_ASPECT_FACTOR = 1.25;
    /** Refuse to decode anything larger; the upload check should have rejected it already. */
    public static final int MAX_IMAGE_SIDE = 16_384;
    public static final long MAX_IMAGE_PIXELS = 80_000_000L;
    public static final double MAX_DURATION_SECONDS = 3600;
    public static final int MIN_FPS = 1;
    public static final int MAX_FPS = 60;

    /**
     * The thumbnail: the first frame of {@code video}, as a JPEG at {@code thumbnail}. A run of its own rather than a
     * second output of the render, because ffmpeg 7+ reports -progress at the pace of the slowest output, and a
     * one-frame output would pin the render's progress at zero. It decodes one frame: tens of milliseconds.
     */
    public static List<String> thumbnail(String ffmpeg, Path video, Path thumbnail) {
        List<String> command = new ArrayList<>(quietHead(ffmpeg));
        command.addAll(List.of("-protocol_whitelist", "file", "-i", video.toAbsolutePath().toString(),
                "-map", "0:v:0", "-frames:v", "1", "-map_metadata", "-1",
                // -update 1 writes exactly this file name (no '%d' pattern expansion).
                "-c:v", "mjpeg", "-q:v", "2", "-update", "1",
                "-f", "image2", thumbnail.toAbsolutePath().toString()));
        return List.copyOf(command);
    }

    /** AUTO becomes COVER or CONTAIN following the rule in the class documentation. */
    public static FitMode resolveFit(FitMode requested, ImageDimensions image, RenderSize size) {
        if (requested != FitMode.AUTO) {
            return requested;
        }
        double ratio = image.aspectRatio() / size.aspectRatio();
        double factor = Math.max(ratio, 1 / ratio);
        return factor <= AUTO_COVER_MAX_ASPECT_FACTOR ? FitMode.COVER : FitMode.CONTAIN;
    }

    /** One frame more than the duration needs, so -t (not the loop running dry) ends the video. */
    public static int frameCount(double durationSeconds, int fps) {
        return (int) Math.ceil(durationSeconds * fps) + 1;
    }

    /** The one colour conversion of the render: into BT.709, limited range, where the image is fitted. */
    public static final String TO_BT709_LIMITED = ":out_color_matrix=bt709:out_range=tv";

    /**
     * Output options tagging HD video as every player expects it: BT.709, limited range (ffmpeg 7+ would
     * otherwise carry a PNG's full range through and tag the stream yuvj420p).
     */
    public static final List<String> BT709_LIMITED_OUTPUT = List.of(
            "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv");

    /** The video encoder of every render. */
    public static final List<String> H264_OUTPUT = List.of(
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p");

    /** The audio encoder of every render with sound. */
    public static final List<String> AAC_OUTPUT = List.of("-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2");

    /** Uploaded files' tags (titles, GPS, encoder names) must not leak into our output. */
    public static final List<String> NO_INPUT_METADATA = List.of("-map_metadata", "-1", "-map_chapters", "-1");

    /**
     * How every render starts: no keyboard, errors only, overwrite, and {@code -progress} blocks in
     * {@code progressFile} (see {@link FfmpegProgress}) instead of the stats line.
     */
    public static List<String> renderHead(String ffmpeg, Path progressFile) {
        List<String> command = new ArrayList<>(quietHead(ffmpeg));
        command.addAll(List.of("-progress", progressFile.toAbsolutePath().toString(), "-nostats"));
        return List.copyOf(command);
    }

    /** How every FFmpeg run that writes a file starts: no keyboard, errors only, overwrite. */
    public static List<String> quietHead(String ffmpeg) {
        return List.of(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y");
    }

    /**
     * Input {@code input}'s still, fitted to {@code size} (AUTO resolved here), repeated for {@code count} frames
     * at {@code fps}, with the camera motion of frame n at progress {@code (firstFrame + n) / pathFrames}.
     * The fitted frame is computed once; loop repeats it (by reference, no copy) for every output frame, and
     * setpts gives the copies the output frame rate's timestamps. Ends without an output label.
     */
    public static String stillChain(int input, ImageDimensions image, FitMode fit, RenderSize size, int fps,
                             CameraMotion motion, int firstFrame, int count, int pathFrames) {
        String repeat = "loop=loop=" + (count - 1) + ":size=1:start=0,setpts=N/" + fps + "/TB";
        // perspective's 'on' counts this chain's frames from 1.
        String progress = (firstFrame == 0 ? "(on-1)/" : "(on-1+" + firstFrame + ")/") + Math.max(1, pathFrames);
        String camera = motion.isStatic() ? "" : "," + perspective(motion, progress);
        return "[" + input + ":v]" + placeOnCanvas(resolveFit(fit, image, size), image, size) + ",format=yuv420p,"
                + repeat + camera + ",setsar=1";
    }

    /** A still to fit to the frame once, and the raw yuv420p file its one frame goes to. */
    public record Canvas(Path image, ImageDimensions imageSize, FitMode fit, Path output) {
    }

    /**
     * One ffmpeg process that fits each still to {@code size} (the fit rule, AUTO resolved here, converted to BT.709
     * limited range) and writes it as one raw yuv420p frame to its file: the canvases {@link CameraWarp} moves the
     * camera over. {@code options} go before the inputs (filter threads).
     */
    public static List<String> canvases(String ffmpeg, List<String> options, RenderSize size, int fps,
                                        List<Canvas> canvases) {
        List<String> command = new ArrayList<>(quietHead(ffmpeg));
        command.addAll(options);
        List<String> chains = new ArrayList<>();
        for (int i = 0; i < canvases.size(); i++) {
            Canvas canvas = canvases.get(i);
            command.addAll(TimelineCommands.stillInput(canvas.image(), fps));
            chains.add("[" + i + ":v]" + placeOnCanvas(resolveFit(canvas.fit(), canvas.imageSize(), size),
                    canvas.imageSize(), size) + ",format=yuv420p[canvas" + i + "]");
        }
        command.addAll(List.of("-filter_complex", String.join(";", chains)));
        for (int i = 0; i < canvases.size(); i++) {
            command.addAll(List.of("-map", "[canvas" + i + "]", "-frames:v", "1", "-f", "rawvideo",
                    canvases.get(i).output().toAbsolutePath().toString()));
        }
        return List.copyOf(command);
    }

    /**
     * Filters that scale the decoded image to the output size following the (resolved, not AUTO) fit rule,
     * converting to BT.709 limited range on the way; the result is exactly {@code size}.
     */
    public static String placeOnCanvas(FitMode fit, ImageDimensions image, RenderSize size) {
        return placeOnCanvas(fit, image, size, "");
    }

    /**
     * As {@link #placeOnCanvas(FitMode, ImageDimensions, RenderSize)}, with {@code afterScale} (empty, or filters each
     * preceded by a comma) run on the scaled picture before the crop or the bars, so that bars are never touched.
     */
    public static String placeOnCanvas(FitMode fit, ImageDimensions image, RenderSize size, String afterScale) {
        int canvasWidth = size.width();
        int canvasHeight = size.height();
        double imageWidth = image.width();
        double imageHeight = image.height();

        String placeOnCanvas;
        if (fit == FitMode.COVER) {
            double scale = Math.max(canvasWidth / imageWidth, canvasHeight / imageHeight);
            int scaledWidth = Math.max(canvasWidth, (int) Math.ceil(imageWidth * scale));
            int scaledHeight = Math.max(canvasHeight, (int) Math.ceil(imageHeight * scale));
            placeOnCanvas = "scale=" + scaledWidth + ":" + scaledHeight + ":flags=lanczos" + TO_BT709_LIMITED
                    + ",setsar=1" + afterScale + ",crop=" + canvasWidth + ":" + canvasHeight + ":" + (scaledWidth - canvasWidth) / 2 + ":"
                    + (scaledHeight - canvasHeight) / 2;
        } else {
            double scale = Math.min(canvasWidth / imageWidth, canvasHeight / imageHeight);
            // Even sizes keep the bars equal on both sides.
            int scaledWidth = Math.max(2, Math.min(canvasWidth, (int) Math.round(imageWidth * scale)) & ~1);
            int scaledHeight = Math.max(2, Math.min(canvasHeight, (int) Math.round(imageHeight * scale)) & ~1);
            placeOnCanvas = "scale=" + scaledWidth + ":" + scaledHeight + ":flags=lanczos" + TO_BT709_LIMITED
                    + ",setsar=1" + afterScale + ",pad=" + canvasWidth + ":" + canvasHeight + ":" + (canvasWidth - scaledWidth) / 2 + ":"
                    + (canvasHeight - scaledHeight) / 2 + ":color=black";
        }
        return placeOnCanvas;
    }

    /**
     * {@code perspective} options for one camera motion, evaluated per frame. The filter maps output
     * pixel index {@code x} (0..W-1) linearly onto the source so that index 0 lands on x0 and index
     * W on x1; we send the ideal window {@code [left, left + W/zoom)} there, with pixel centres
     * aligned: source index {@code left + 0.5/zoom - 0.5 + x/zoom}. {@code on} counts frames from 1.
     * Pans and tilts zoom in by (1 + amount) and travel across the whole margin that creates, which is
     * exactly {@code amount} of the visible frame. DRIFT zooms in from (1 + amount/2) to (1 + amount) while
     * the window travels diagonally from the top-left to the bottom-right corner of the margin, so every
     * point moves up and to the left, monotonically, by about {@code amount} of the frame.
     */
    static String perspective(CameraMotion motion, int totalFrames) {
        return perspective(motion, "(on-1)/" + Math.max(1, totalFrames - 1));
    }

    /**
     * As {@link #perspective(CameraMotion, int)}, with the motion's progress (0 at the start of the clip,
     * 1 at its end) given as an expression of the perspective filter's variables, such as {@code on}. The
     * expression is used as a factor ({@code a*p}, {@code 1-p}), so it must be a product or quotient such as
     * {@code (on-1)/10}, or parenthesized.
     */
    static String perspective(CameraMotion motion, String progress) {
        String a = decimal(motion.amount());
        String zoom = switch (motion.kind()) {
            case ZOOM_IN -> "(1+" + a + "*" + progress + ")";
            case ZOOM_OUT -> "(1+" + a + "-" + a + "*" + progress + ")";
            case DRIFT -> "(1+" + a + "*(0.5+0.5*" + progress + "))";
            default -> "(1+" + a + ")";
        };
        String marginX = "(W-W/" + zoom + ")";
        String marginY = "(H-H/" + zoom + ")";
        String windowX = switch (motion.kind()) {
            case PAN_LEFT -> marginX + "*(1-" + progress + ")"; // camera moves left: starts at the right edge
            case PAN_RIGHT, DRIFT -> marginX + "*" + progress;
            default -> marginX + "/2";
        };
        String windowY = switch (motion.kind()) {
            case TILT_UP -> marginY + "*(1-" + progress + ")"; // camera tilts up: starts at the bottom
            case TILT_DOWN, DRIFT -> marginY + "*" + progress;
            default -> marginY + "/2";
        };
        String left = "(" + windowX + "+0.5/" + zoom + "-0.5)";
        String top = "(" + windowY + "+0.5/" + zoom + "-0.5)";
        String right = "(" + left + "+W/" + zoom + ")";
        String bottom = "(" + top + "+H/" + zoom + ")";
        return "perspective=x0=" + left + ":y0=" + top + ":x1=" + right + ":y1=" + top
                + ":x2=" + left + ":y2=" + bottom + ":x3=" + right + ":y3=" + bottom
                + ":interpolation=linear:eval=frame";
    }

    public static void requireFps(int fps) {
        if (fps < MIN_FPS || fps > MAX_FPS) {
            throw new IllegalArgumentException("fps must be within " + MIN_FPS + ".." + MAX_FPS + ": " + fps);
        }
    }

    /** Refuses images above {@link #MAX_IMAGE_SIDE} or {@link #MAX_IMAGE_PIXELS}. */
    public static void requireDecodable(ImageDimensions image) {
        if (image.width() > MAX_IMAGE_SIDE || image.height() > MAX_IMAGE_SIDE
                || (long) image.width() * image.height() > MAX_IMAGE_PIXELS) {
            throw new IllegalArgumentException("image too large to render: " + image.width() + "x" + image.height());
        }
    }

    public static void requireNonNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    /** Locale.ROOT: a German locale would otherwise write "0,08" and break the expression. */
    public static String decimal(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    /**
     * A path as the value of a filter option inside a filter graph, escaped at both levels ffmpeg unescapes:
     * first the option value ({@code \ ' :}), then the graph ({@code \ ' [ ] , ;}). Line breaks can't be escaped
     * there, so paths with control characters are refused.
     */
    public static String filterGraphPath(Path path) {
        String text = path.toAbsolutePath().toString();
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("control character in a filter graph path");
        }
        return backslashEscaped(backslashEscaped(text, "\\':"), "\\'[],;");
    }

    private static String backslashEscaped(String text, String special) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (special.indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
