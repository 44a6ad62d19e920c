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
 * The fitted frame is scaled up {@value #MOTION_SUPERSAMPLING}x once, then {@code zoompan} cuts each
 * output frame from it. zoompan positions its crop on whole input pixels; on the supersampled
 * canvas one input pixel is a third of an output pixel. The canvas is kept in yuv444p for the same
 * reason: in yuv420p zoompan rounds the crop to even pixels. Measured on a 3 s 8% zoom at 720p
 * (position of a thin line, per frame): this stays within 0.3 px of the ideal path, while zoompan
 * straight on the 720p yuv420p frame strays 1.2 px and jumps up to 2 px, sometimes backwards.
 * The price is render time: roughly 4-5x a plain still-image encode.
 */
@Component
public class FfmpegCommands {

    public static final double AUTO_COVER_MAX_ASPECT_FACTOR = 1.25;
    public static final int MOTION_SUPERSAMPLING = 3;
    /** Upper bound for a side of the supersampled canvas (yuv444p 8192x4608 is ~110 MB). */
    static final int MAX_CANVAS_SIDE = 8192;
    /** Refuse to decode anything larger; the upload check should have rejected it already. */
    public static final int MAX_IMAGE_SIDE = 16_384;
    public static final long MAX_IMAGE_PIXELS = 80_000_000L;
    public static final double MAX_DURATION_SECONDS = 3600;
    public static final int MIN_FPS = 1;
    public static final int MAX_FPS = 60;

    /**
     * One ffmpeg process that writes the MP4 and the JPEG thumbnail. A null size, fit or motion means
     * {@link RenderSize#DEFAULT}, {@link FitMode#AUTO} and {@link CameraMotion#gentleDefault()}.
     */
    public List<String> imageWithAudio(ImageAudioRender render) {
        ImageAudioRender r = withDefaults(render);
        validate(r);
        FitMode fit = resolveFit(r.fit(), r.imageSize(), r.size());
        int totalFrames = frameCount(r.durationSeconds(), r.fps());

        List<String> command = new ArrayList<>(List.of(
                r.ffmpeg(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-progress", r.progressFile().toAbsolutePath().toString(), "-nostats",
                // image2pipe: probes the codec from the bytes and never expands '%d' in the file name
                // the way the default image2 demuxer would.
                "-protocol_whitelist", "file", "-f", "image2pipe", "-i", r.image().toAbsolutePath().toString(),
                "-protocol_whitelist", "file", "-i", r.audio().toAbsolutePath().toString(),
                "-filter_complex", videoFilterGraph(r, fit, totalFrames),
                // Output 1: the video.
                "-map", "[video]", "-map", "1:a:0",
                // Uploaded files' tags (titles, GPS, encoder names) must not leak into our output.
                "-map_metadata", "-1", "-map_chapters", "-1",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
                "-r", Integer.toString(r.fps()),
                "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2",
                "-t", decimal(r.durationSeconds()),
                "-movflags", "+faststart",
                "-f", "mp4", r.outputVideo().toAbsolutePath().toString(),
                // Output 2: the first frame as thumbnail; -update 1 writes exactly this file name.
                "-map", "[thumb]", "-frames:v", "1", "-map_metadata", "-1",
                "-c:v", "mjpeg", "-q:v", "2", "-update", "1",
                "-f", "image2", r.outputThumbnail().toAbsolutePath().toString()));
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

    /** One frame more than the duration needs, so -t (not zoompan running dry) ends the video. */
    static int frameCount(double durationSeconds, int fps) {
        return (int) Math.ceil(durationSeconds * fps) + 1;
    }

    static int supersampling(RenderSize size, CameraMotion motion) {
        if (motion.isStatic()) {
            return 1; // nothing moves, so there is nothing to smooth
        }
        int byCanvasLimit = MAX_CANVAS_SIDE / Math.max(size.width(), size.height());
        return Math.max(1, Math.min(MOTION_SUPERSAMPLING, byCanvasLimit));
    }

    private static String videoFilterGraph(ImageAudioRender r, FitMode fit, int totalFrames) {
        int factor = supersampling(r.size(), r.motion());
        int canvasWidth = r.size().width() * factor;
        int canvasHeight = r.size().height() * factor;
        double imageWidth = r.imageSize().width();
        double imageHeight = r.imageSize().height();

        String placeOnCanvas;
        if (fit == FitMode.COVER) {
            double scale = Math.max(canvasWidth / imageWidth, canvasHeight / imageHeight);
            int scaledWidth = Math.max(canvasWidth, (int) Math.ceil(imageWidth * scale));
            int scaledHeight = Math.max(canvasHeight, (int) Math.ceil(imageHeight * scale));
            placeOnCanvas = "scale=" + scaledWidth + ":" + scaledHeight + ":flags=lanczos,setsar=1,"
                    + "crop=" + canvasWidth + ":" + canvasHeight + ":" + (scaledWidth - canvasWidth) / 2 + ":"
                    + (scaledHeight - canvasHeight) / 2;
        } else {
            double scale = Math.min(canvasWidth / imageWidth, canvasHeight / imageHeight);
            // Even sizes keep the bars equal on both sides.
            int scaledWidth = Math.max(2, Math.min(canvasWidth, (int) Math.round(imageWidth * scale)) & ~1);
            int scaledHeight = Math.max(2, Math.min(canvasHeight, (int) Math.round(imageHeight * scale)) & ~1);
            placeOnCanvas = "scale=" + scaledWidth + ":" + scaledHeight + ":flags=lanczos,setsar=1,"
                    + "pad=" + canvasWidth + ":" + canvasHeight + ":" + (canvasWidth - scaledWidth) / 2 + ":"
                    + (canvasHeight - scaledHeight) / 2 + ":color=black";
        }
        return "[0:v]" + placeOnCanvas + ",format=yuv444p,"
                + zoompan(r.motion(), totalFrames, r.size(), r.fps())
                + ",format=yuv420p,setsar=1,split=2[video][thumb]";
    }

    /**
     * zoompan expressions, driven by the output frame number {@code on} so every frame's position is
     * computed from scratch (no accumulated rounding). {@code progress} runs 0..1 over the clip.
     * Pans and tilts zoom in by (1 + amount) and travel across the whole margin that creates, which is
     * exactly {@code amount} of the visible frame.
     */
    static String zoompan(CameraMotion motion, int totalFrames, RenderSize size, int fps) {
        String progress = "on/" + Math.max(1, totalFrames - 1);
        String a = decimal(motion.amount());
        String centreX = "(iw-iw/zoom)/2";
        String centreY = "(ih-ih/zoom)/2";
        String zoom;
        String x;
        String y;
        switch (motion.isStatic() ? CameraMotion.Kind.STATIC : motion.kind()) {
            case ZOOM_IN -> {
                zoom = "1+" + a + "*" + progress;
                x = centreX;
                y = centreY;
            }
            case ZOOM_OUT -> {
                zoom = "1+" + a + "-" + a + "*" + progress;
                x = centreX;
                y = centreY;
            }
            case PAN_LEFT -> { // camera moves left: the window starts at the right edge
                zoom = "1+" + a;
                x = "(iw-iw/zoom)*(1-" + progress + ")";
                y = centreY;
            }
            case PAN_RIGHT -> {
                zoom = "1+" + a;
                x = "(iw-iw/zoom)*" + progress;
                y = centreY;
            }
            case TILT_UP -> { // camera tilts up: the window starts at the bottom
                zoom = "1+" + a;
                x = centreX;
                y = "(ih-ih/zoom)*(1-" + progress + ")";
            }
            case TILT_DOWN -> {
                zoom = "1+" + a;
                x = centreX;
                y = "(ih-ih/zoom)*" + progress;
            }
            default -> {
                zoom = "1";
                x = "0";
                y = "0";
            }
        }
        return "zoompan=z=" + zoom + ":x=" + x + ":y=" + y + ":d=" + totalFrames
                + ":s=" + size.width() + "x" + size.height() + ":fps=" + fps;
    }

    private static ImageAudioRender withDefaults(ImageAudioRender r) {
        return new ImageAudioRender(r.ffmpeg(), r.image(), r.imageSize(), r.audio(), r.durationSeconds(),
                r.size() != null ? r.size() : RenderSize.DEFAULT, r.fps(),
                r.fit() != null ? r.fit() : FitMode.AUTO,
                r.motion() != null ? r.motion() : CameraMotion.gentleDefault(),
                r.outputVideo(), r.outputThumbnail(), r.progressFile());
    }

    private static void validate(ImageAudioRender r) {
        requireNonNull(r.ffmpeg(), "ffmpeg");
        requireNonNull(r.image(), "image");
        requireNonNull(r.imageSize(), "imageSize");
        requireNonNull(r.audio(), "audio");
        requireNonNull(r.size(), "size");
        requireNonNull(r.fit(), "fit");
        requireNonNull(r.motion(), "motion");
        requireNonNull(r.outputVideo(), "outputVideo");
        requireNonNull(r.outputThumbnail(), "outputThumbnail");
        requireNonNull(r.progressFile(), "progressFile");
        if (!(r.durationSeconds() > 0 && r.durationSeconds() <= MAX_DURATION_SECONDS)) { // also rejects NaN
            throw new IllegalArgumentException("duration must be within (0, " + MAX_DURATION_SECONDS + "] s: "
                    + r.durationSeconds());
        }
        if (r.fps() < MIN_FPS || r.fps() > MAX_FPS) {
            throw new IllegalArgumentException("fps must be within " + MIN_FPS + ".." + MAX_FPS + ": " + r.fps());
        }
        ImageDimensions image = r.imageSize();
        if (image.width() > MAX_IMAGE_SIDE || image.height() > MAX_IMAGE_SIDE
                || (long) image.width() * image.height() > MAX_IMAGE_PIXELS) {
            throw new IllegalArgumentException("image too large to render: " + image.width() + "x" + image.height());
        }
    }

    private static void requireNonNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    /** Locale.ROOT: a German locale would otherwise write "0,08" and break the expression. */
    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }
}
