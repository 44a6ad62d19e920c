package dev.reelroute.styletransfer;

import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FfmpegProgress;
import dev.reelroute.media.InvalidMediaException;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import static dev.reelroute.media.FfmpegCommands.decimal;
import static dev.reelroute.media.FfmpegCommands.requireNonNull;
import static dev.reelroute.media.FfmpegCommands.filterGraphPath;

/**
 * Measures a video's style ({@link StyleJson}) in one ffmpeg process that decodes the video once, then parses what
 * that run wrote. As in {@link FfmpegCommands}, the input is a whole argument, and the filter graph holds only
 * numbers we computed, fixed keywords and the escaped paths of our own files in the work directory.
 *
 * <h2>The run</h2>
 * <pre>
 *   video ─ scale to ≤ analysis width ─ BT.709 limited range ─ split ┬ scdet ─ print mafd ─ print cuts ─ null
 *                                                                    └ fps=4 ─ signalstats ─ print ─ RGB ≤ 64x64 ─ raw file
 *   audio ─ ebur128 (true peak) ─ print ─ null
 * </pre>
 * The frame is scaled down first ({@code fast_bilinear}: only means and spreads are measured, so its aliasing does
 * not matter, and it is the cheapest way down from 1080p), so everything after the decoder works on about 320x180.
 * It is then converted to BT.709 limited range the way the render converts it ({@link FfmpegCommands#TO_BT709_LIMITED};
 * swscale takes untagged video as BT.601), so the analysis measures the planes the grade of
 * {@link StyleApplicationCommands} works on.
 * Motion and cuts see every frame; colour statistics and the pixel sample are taken from
 * {@value #SAMPLES_PER_SECOND} frames per second, which is plenty for means and keeps the files small (a print
 * line per frame and 64x36 RGB pixels). Only the first {@link StyleProperties#maxAnalysisDuration()} of the video is
 * read ({@code -t} on the input).
 *
 * <h2>Progress and stages</h2>
 * The run reports {@code -progress} like every render ({@link FfmpegProgress#percent} against
 * {@link #analysedSeconds}). Video, audio and motion are measured side by side in this one pass, so the three
 * stages finish together: a caller that reports {@code video_analysis}, {@code audio_analysis} and
 * {@code motion_analysis} reports the run's progress under the first and marks the three done in turn once
 * {@link #read} has returned.
 */
@Component
public class StyleAnalysisCommands {

    static final double SAMPLES_PER_SECOND = 4;
    /** The pixel sample fits in a square of this side. */
    static final int PIXEL_SAMPLE_SIDE = 64;

    static final String COLOUR_FILE = "style-colour.txt";
    static final String MOTION_FILE = "style-motion.txt";
    static final String CUTS_FILE = "style-cuts.txt";
    static final String LOUDNESS_FILE = "style-loudness.txt";
    static final String PIXELS_FILE = "style-pixels.rgb";

    private final StyleProperties settings;

    public StyleAnalysisCommands(StyleProperties settings) {
        this.settings = settings;
    }

    /** The frame sizes of the run: the analysed video and the RGB pixel sample. */
    record Sizes(int width, int height, int pixelWidth, int pixelHeight) {

        static Sizes of(ProbeResult probe, int analysisWidth) {
            if (probe.width() <= 0 || probe.height() <= 0) {
                throw new InvalidMediaException("the video has no readable frame size");
            }
            int width = Math.max(2, Math.min(analysisWidth, probe.width()) & ~1);
            int height = Math.max(2, (int) Math.round((double) probe.height() * width / probe.width()) & ~1);
            double scale = Math.min(1, (double) PIXEL_SAMPLE_SIDE / Math.max(width, height));
            return new Sizes(width, height, Math.max(1, (int) Math.round(width * scale)),
                    Math.max(1, (int) Math.round(height * scale)));
        }
    }

    /** The one ffmpeg process that measures {@code r.input()}; see the class documentation. */
    public List<String> analyze(StyleAnalysisRender r) {
        validate(r);
        boolean audio = r.probe().hasAudio();
        List<String> command = new ArrayList<>(FfmpegCommands.renderHead(r.ffmpeg(), r.progressFile()));
        command.addAll(List.of("-t", decimal(settings.maxAnalysisSeconds()),
                "-protocol_whitelist", "file", "-i", r.input().toAbsolutePath().toString(),
                "-filter_complex", graph(r, Sizes.of(r.probe(), settings.analysisWidth())),
                "-map", "[motion]"));
        if (audio) {
            command.addAll(List.of("-map", "[loudness]"));
        }
        command.addAll(List.of("-f", "null", "-",
                "-map", "[pixels]", "-c:v", "rawvideo", "-pix_fmt", "rgb24", "-f", "rawvideo",
                r.workDir().resolve(PIXELS_FILE).toAbsolutePath().toString()));
        return List.copyOf(command);
    }

    String graph(StyleAnalysisRender r, Sizes sizes) {
        String size = sizes.width() + ":" + sizes.height();
        // Down first, then to BT.709 limited range: the matrix conversion costs about as much as the scaling itself
        // at 1080p and next to nothing at 320x180.
        String graph = "[0:v:0]scale=" + size + ":flags=fast_bilinear,scale=" + size + FfmpegCommands.TO_BT709_LIMITED
                + ",format=yuv420p,split=2[full][sampled];"
                + "[full]scdet=threshold=" + decimal(settings.sceneThreshold())
                + "," + print("metadata", "lavfi.scd.mafd", r.workDir().resolve(MOTION_FILE))
                + "," + print("metadata", "lavfi.scd.time", r.workDir().resolve(CUTS_FILE)) + "[motion];"
                + "[sampled]fps=fps=" + decimal(SAMPLES_PER_SECOND) + ",signalstats,"
                + print("metadata", null, r.workDir().resolve(COLOUR_FILE))
                + ",scale=" + sizes.pixelWidth() + ":" + sizes.pixelHeight()
                + ":flags=area:in_color_matrix=bt709:in_range=tv:out_range=pc,format=rgb24[pixels]";
        if (r.probe().hasAudio()) {
            graph += ";[0:a:0]ebur128=peak=true:metadata=1," + print("ametadata", null,
                    r.workDir().resolve(LOUDNESS_FILE)) + "[loudness]";
        }
        return graph;
    }

    /** A (a)metadata filter that prints {@code key} (or every entry, when null) of each frame to {@code file}. */
    private static String print(String filter, String key, Path file) {
        return filter + "=mode=print" + (key == null ? "" : ":key=" + key) + ":file=" + filterGraphPath(file);
    }

    /** Seconds of {@code probe}'s video the analysis reads: all of it, up to the configured maximum. */
    public double analysedSeconds(ProbeResult probe) {
        double duration = probe.durationSeconds();
        return duration > 0 ? Math.min(duration, settings.maxAnalysisSeconds()) : settings.maxAnalysisSeconds();
    }

    /**
     * The StyleJSON of what the run of {@link #analyze} wrote into {@code r.workDir()}; call it once the run has
     * exited with 0. {@code probe} is what {@link MediaProbe} found in the input (normally {@code r.probe()}): it gives
     * the format group and says whether there is audio to read.
     */
    public StyleJson read(StyleAnalysisRender r, ProbeResult probe) throws IOException {
        requireNonNull(r.workDir(), "workDir");
        requireNonNull(probe, "probe");
        Sizes sizes = Sizes.of(probe, settings.analysisWidth());
        double seconds = analysedSeconds(probe);
        int maxSamples = (int) Math.ceil(seconds * SAMPLES_PER_SECOND) + 2;
        PixelSample pixels = PixelSample.read(r.workDir().resolve(PIXELS_FILE), sizes.pixelWidth(),
                sizes.pixelHeight(), maxSamples);
        StyleJson.Color color = StyleMeasurements.color(r.workDir().resolve(COLOUR_FILE), pixels);
        StyleJson.Motion motion = StyleMeasurements.motion(r.workDir().resolve(MOTION_FILE),
                r.workDir().resolve(CUTS_FILE), probe.durationSeconds() > 0 ? seconds : 0);
        StyleJson.Audio audio = probe.hasAudio() ? StyleMeasurements.audio(r.workDir().resolve(LOUDNESS_FILE)) : null;
        return new StyleJson(StyleJson.VERSION, color, audio, motion, StyleMeasurements.format(probe));
    }

    private static void validate(StyleAnalysisRender r) {
        requireNonNull(r.ffmpeg(), "ffmpeg");
        requireNonNull(r.input(), "input");
        requireNonNull(r.probe(), "probe");
        requireNonNull(r.workDir(), "workDir");
        requireNonNull(r.progressFile(), "progressFile");
        if (!r.probe().hasVideo()) {
            throw new InvalidMediaException("the file has no video stream to analyse");
        }
    }
}
