package dev.reelroute.prompt;

import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.media.RenderSize;
import dev.reelroute.media.TimelineCommands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import static dev.reelroute.media.FfmpegCommands.decimal;
import static dev.reelroute.media.FfmpegCommands.filterGraphPath;
import static dev.reelroute.media.FfmpegCommands.requireNonNull;

/**
 * ffmpeg command lines for prompt jobs: a title card for a bare text prompt, the local engine's video from one to
 * four stills, and the normalization of a remote provider's video. As in {@link FfmpegCommands}, nothing from a
 * prompt enters a command: file paths are whole arguments, the filter graphs hold only numbers we computed, fixed
 * keywords and escaped paths of our own files, and the card's text reaches ffmpeg through files.
 *
 * <h2>Timeline of a prompt video</h2>
 * The video lasts {@code N = round(duration * fps)} frames. Each still is on screen for its own span of frames and
 * runs its camera motion over that span; neighbouring spans overlap in a crossfade of {@code T} frames, so
 * {@code sum(spans) - (n-1) * T = N}.
 * <ul>
 *   <li>SINGLE: one still for all N frames.</li>
 *   <li>MORPH: the initial image alone for the first 35%, a 30% crossfade, the end frame alone for the last 35%
 *   ({@code T = round(0.30 N)}, each span {@code (N + T) / 2}). A long, even dissolve reads as the picture turning
 *   into the other rather than as a cut, and leaves each image a third of the time to be seen on its own.</li>
 *   <li>SEQUENCE: n images, equal spans, crossfades of {@code min(1 s, 0.4 * duration / n)}: 0.8 s for two images
 *   in 4 s, 0.53 s for three, 0.4 s for four; 1 s in 8 s up to three images. Each image stays alone on screen for
 *   at least 40% of its share.</li>
 * </ul>
 * Frames left over by the rounding go to the first spans, one each.
 */
@Component
public class PromptVideoCommands {

    public static final double MIN_SECONDS = 1;
    public static final double MAX_SECONDS = 60;
    public static final int MAX_STILLS = 4;
    static final double MORPH_CROSSFADE_SHARE = 0.30;
    static final double SEQUENCE_CROSSFADE_SHARE = 0.4;
    static final double SEQUENCE_MAX_CROSSFADE_SECONDS = 1.0;
    /** A voiceover may be cut mid-word at the end: this short fade keeps the cut from clicking. */
    static final double VOICEOVER_END_FADE_SECONDS = 0.05;
    /** Larger provider videos are scaled down to fit, keeping their aspect ratio. */
    public static final int MAX_NORMALIZED_SIDE = RenderSize.MAX_SIDE;

    private final DrawtextSupport drawtext;

    public PromptVideoCommands(DrawtextSupport drawtext) {
        this.drawtext = drawtext;
    }

    // ---- title card ----

    /**
     * Writes the card's text files into {@code textDir} (one per line: drawtext can only centre a whole text)
     * and returns the ffmpeg command that draws the PNG: a diagonal two-colour gradient whose colours come from a
     * hash of the prompt ({@link #gradientColours}), with the prompt laid out by {@link TitleCardLayout} in white
     * with a soft shadow. Without a font or the drawtext filter, or with nothing to show, the card is the gradient
     * alone and says why.
     */
    public TitleCard titleCard(TitleCardRender render) throws IOException {
        requireNonNull(render.ffmpeg(), "ffmpeg");
        requireNonNull(render.textDir(), "textDir");
        requireNonNull(render.output(), "output");
        RenderSize size = render.size() != null ? render.size() : RenderSize.DEFAULT;
        int[] colours = gradientColours(render.prompt());
        String graph = "gradients=s=" + size.width() + "x" + size.height() + ":c0=" + hex(colours[0]) + ":c1="
                + hex(colours[1]) + ":x0=0:y0=0:x1=" + (size.width() - 1) + ":y1=" + (size.height() - 1)
                + ":nb_colors=2";

        String omitted = null;
        Optional<Path> font = Optional.empty();
        if (TitleCardLayout.displayText(render.prompt()).isEmpty()) {
            omitted = "the prompt has no text to show";
        } else {
            font = drawtext.font();
            if (font.isEmpty()) {
                omitted = "no font was found (set reelroute.render.font-file or install fonts-dejavu-core)";
            } else if (!drawtext.drawtextAvailable(render.ffmpeg())) {
                omitted = "this ffmpeg has no drawtext filter";
            }
        }
        if (omitted == null) {
            TitleCardLayout layout = TitleCardLayout.of(render.prompt(), size, TitleCardLayout.measuring(font.get()));
            if (layout.lines().isEmpty()) {
                omitted = "the card is too small for text";
            }
            for (int i = 0; i < layout.lines().size(); i++) {
                Path lineFile = render.textDir().resolve("title-line-" + i + ".txt");
                Files.writeString(lineFile, layout.lines().get(i), StandardCharsets.UTF_8);
                graph += "," + drawtextLine(font.get(), lineFile, layout.fontSize(), layout.baselines().get(i));
            }
        }
        List<String> command = new ArrayList<>(FfmpegCommands.quietHead(render.ffmpeg()));
        command.addAll(List.of("-filter_complex", graph + ",format=rgb24[card]", "-map", "[card]", "-frames:v", "1",
                // -update 1 writes exactly this file name (no '%d' pattern expansion).
                "-c:v", "png", "-update", "1", "-f", "image2", render.output().toAbsolutePath().toString()));
        return new TitleCard(List.copyOf(command), omitted == null, omitted);
    }

    /**
     * One centred line: {@code expansion=none} so that a prompt's {@code %{…}} is drawn as written and never
     * evaluated; {@code y} puts the line's baseline at {@code baseline} whatever glyphs it holds.
     */
    private static String drawtextLine(Path font, Path textFile, int fontSize, int baseline) {
        int shadow = Math.max(1, fontSize / 24);
        return "drawtext=fontfile=" + filterGraphPath(font) + ":textfile=" + filterGraphPath(textFile)
                + ":expansion=none:fontsize=" + fontSize + ":fontcolor=white:shadowcolor=black@0.45:shadowx=" + shadow
                + ":shadowy=" + shadow + ":x=(w-text_w)/2:y=" + baseline + "-ascent";
    }


    /**
     * Two colours (0xRRGGBB) from the SHA-256 of the prompt: a hue anywhere on the wheel and a neighbour 25-75°
     * along, moderately saturated and dark (lightness 0.18-0.36: BT.709 luma under 150 even for yellow), so that
     * white text reads on either; the same prompt always gets the same card.
     */
    static int[] gradientColours(String prompt) {
        byte[] hash = sha256(prompt == null ? "" : prompt);
        double hue = (((hash[0] & 0xFF) << 8) | (hash[1] & 0xFF)) / 65536.0 * 360;
        double neighbour = hue + 25 + unit(hash[2]) * 50;
        double saturation = 0.35 + unit(hash[3]) * 0.25;
        double dark = 0.18 + unit(hash[4]) * 0.08;
        double light = dark + 0.06 + unit(hash[5]) * 0.04;
        return new int[] {hsl(hue, saturation, dark), hsl(neighbour, saturation, light)};
    }

    private static double unit(byte b) {
        return (b & 0xFF) / 255.0;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static int hsl(double hueDegrees, double saturation, double lightness) {
        double chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
        double h = ((hueDegrees % 360) + 360) % 360 / 60;
        double x = chroma * (1 - Math.abs(h % 2 - 1));
        double[] rgb = switch ((int) h) {
            case 0 -> new double[] {chroma, x, 0};
            case 1 -> new double[] {x, chroma, 0};
            case 2 -> new double[] {0, chroma, x};
            case 3 -> new double[] {0, x, chroma};
            case 4 -> new double[] {x, 0, chroma};
            default -> new double[] {chroma, 0, x};
        };
        double m = lightness - chroma / 2;
        int colour = 0;
        for (double channel : rgb) {
            colour = (colour << 8) | (int) Math.round(Math.min(1, Math.max(0, channel + m)) * 255);
        }
        return colour;
    }

    private static String hex(int rgb) {
        return String.format(Locale.ROOT, "0x%06X", rgb);
    }

    // ---- prompt video ----

    /**
     * Frames of a prompt video (see the class documentation).
     *
     * @param totalFrames      frames of the whole video
     * @param transitionFrames frames of each crossfade; 0 for a single still
     * @param stillFrames      each still's span, crossfades included
     */
    record Timeline(int totalFrames, int transitionFrames, List<Integer> stillFrames) {

        static Timeline of(PromptVideoRender.Mode mode, int stills, double durationSeconds, int fps) {
            int total = (int) Math.round(durationSeconds * fps);
            int transition = switch (mode) {
                case SINGLE -> 0;
                case MORPH -> (int) Math.round(MORPH_CROSSFADE_SHARE * total);
                case SEQUENCE -> (int) Math.round(fps * Math.min(SEQUENCE_MAX_CROSSFADE_SECONDS,
                        SEQUENCE_CROSSFADE_SHARE * durationSeconds / stills));
            };
            int covered = total + (stills - 1) * transition;
            List<Integer> spans = new ArrayList<>();
            for (int i = 0; i < stills; i++) {
                spans.add(covered / stills + (i < covered % stills ? 1 : 0));
            }
            return new Timeline(total, transition, List.copyOf(spans));
        }

        /** Frames still {@code i} is on screen alone. */
        int aloneFrames(int i) {
            int crossfades = (i > 0 ? 1 : 0) + (i < stillFrames.size() - 1 ? 1 : 0);
            return stillFrames.get(i) - crossfades * transitionFrames;
        }
    }

    /**
     * One ffmpeg process that renders the whole prompt video: H.264 (as {@link FfmpegCommands}: BT.709 limited range,
     * yuv420p), exactly {@code round(duration * fps)} frames at exactly the requested size, fast start, no metadata
     * from the inputs. Sound: none at all without a voiceover or bed; else the voiceover at full volume (padded with
     * silence or cut to the length) and the bed summed under it, AAC 48 kHz stereo. A bed alone fades out like a
     * project's ({@link TimelineCommands#fadeOutSeconds}); with a voiceover only the last
     * {@value #VOICEOVER_END_FADE_SECONDS} s fade, so the last word is heard.
     */
    public List<String> render(PromptVideoRender render) {
        PromptVideoRender r = withDefaults(render);
        validate(r);
        Timeline timeline = Timeline.of(r.mode(), r.stills().size(), r.durationSeconds(), r.fps());
        validate(timeline);
        double seconds = (double) timeline.totalFrames() / r.fps();
        boolean sound = r.voiceover() != null || r.ambient() != null;

        List<String> command = new ArrayList<>(FfmpegCommands.renderHead(r.ffmpeg(), r.progressFile()));
        command.addAll(TimelineCommands.filterThreadOptions(r.threads()));
        for (PromptVideoRender.Still still : r.stills()) {
            command.addAll(TimelineCommands.stillInput(still.image(), r.fps()));
        }
        if (r.voiceover() != null) {
            command.addAll(List.of("-protocol_whitelist", "file", "-i", r.voiceover().toAbsolutePath().toString()));
        }
        String graph = videoGraph(r, timeline) + (sound ? ";" + audioGraph(r, seconds) : "");
        command.addAll(List.of("-filter_complex", graph, "-map", "[video]"));
        command.addAll(sound ? List.of("-map", "[audio]") : List.of("-an"));
        command.addAll(FfmpegCommands.NO_INPUT_METADATA);
        command.addAll(FfmpegCommands.H264_OUTPUT);
        command.addAll(TimelineCommands.encoderThreadOptions(r.threads()));
        command.addAll(FfmpegCommands.BT709_LIMITED_OUTPUT);
        command.addAll(List.of("-r", Integer.toString(r.fps()), "-frames:v", Integer.toString(timeline.totalFrames())));
        if (sound) {
            command.addAll(FfmpegCommands.AAC_OUTPUT);
        }
        command.addAll(List.of("-t", decimal(seconds), "-movflags", "+faststart",
                "-f", "mp4", r.output().toAbsolutePath().toString()));
        return List.copyOf(command);
    }

    /** Each still's chain over its span, then a chain of crossfades, each starting T frames before the joined end. */
    static String videoGraph(PromptVideoRender r, Timeline timeline) {
        List<String> chains = new ArrayList<>();
        for (int i = 0; i < r.stills().size(); i++) {
            PromptVideoRender.Still still = r.stills().get(i);
            int span = timeline.stillFrames().get(i);
            String label = r.stills().size() == 1 ? "[video]" : "[still" + i + "]";
            chains.add(FfmpegCommands.stillChain(i, still.imageSize(), r.fit(), r.size(), r.fps(), still.motion(), 0,
                    span, span) + label);
        }
        String joined = "[still0]";
        int joinedFrames = timeline.stillFrames().get(0);
        for (int i = 1; i < r.stills().size(); i++) {
            String output = i == r.stills().size() - 1 ? "[video]" : "[joined" + i + "]";
            chains.add(joined + "[still" + i + "]" + TimelineCommands.crossfade(timeline.transitionFrames(),
                    joinedFrames - timeline.transitionFrames(), r.fps()) + output);
            joined = output;
            joinedFrames += timeline.stillFrames().get(i) - timeline.transitionFrames();
        }
        return String.join(";", chains);
    }

    private static String audioGraph(PromptVideoRender r, double seconds) {
        List<String> chains = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (r.voiceover() != null) {
            chains.add(TimelineCommands.stereoInput(r.stills().size(), ",apad", seconds) + "[voice]");
            labels.add("[voice]");
        }
        if (r.ambient() != null) {
            chains.add(TimelineCommands.ambientChain(r.ambient(), seconds));
            labels.add("[" + TimelineCommands.AMBIENT_LABEL + "]");
        }
        double fade = r.voiceover() != null ? VOICEOVER_END_FADE_SECONDS : TimelineCommands.fadeOutSeconds(seconds);
        chains.add(TimelineCommands.mixedInto("audio", labels, TimelineCommands.fadeOut(seconds, fade)));
        return String.join(";", chains);
    }

    /** A video length that covers a voiceover of {@code voiceoverSeconds}, within the bounds of a prompt video. */
    public static double durationCovering(double voiceoverSeconds) {
        if (!(voiceoverSeconds > 0)) {
            return MIN_SECONDS;
        }
        return Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, voiceoverSeconds));
    }

    private static PromptVideoRender withDefaults(PromptVideoRender r) {
        List<PromptVideoRender.Still> stills = null;
        if (r.stills() != null) {
            stills = new ArrayList<>();
            for (PromptVideoRender.Still still : r.stills()) {
                requireNonNull(still, "still");
                stills.add(still.motion() != null ? still
                        : new PromptVideoRender.Still(still.image(), still.imageSize(), CameraMotion.gentleDefault()));
            }
        }
        return new PromptVideoRender(r.ffmpeg(), r.mode(), stills, r.durationSeconds(),
                r.size() != null ? r.size() : RenderSize.DEFAULT, r.fps(), r.fit() != null ? r.fit() : FitMode.AUTO,
                r.ambient(), r.voiceover(), r.threads(), r.output(), r.progressFile());
    }

    private static void validate(PromptVideoRender r) {
        requireNonNull(r.ffmpeg(), "ffmpeg");
        requireNonNull(r.mode(), "mode");
        requireNonNull(r.stills(), "stills");
        requireNonNull(r.output(), "output");
        requireNonNull(r.progressFile(), "progressFile");
        int stills = r.stills().size();
        boolean countFits = switch (r.mode()) {
            case SINGLE -> stills == 1;
            case MORPH -> stills == 2;
            case SEQUENCE -> stills >= 2 && stills <= MAX_STILLS;
        };
        if (!countFits) {
            throw new IllegalArgumentException(r.mode() + " takes " + switch (r.mode()) {
                case SINGLE -> "1 still";
                case MORPH -> "2 stills (initial image and end frame)";
                case SEQUENCE -> "2 to " + MAX_STILLS + " stills";
            } + ", not " + stills);
        }
        for (PromptVideoRender.Still still : r.stills()) {
            requireNonNull(still.image(), "still.image");
            requireNonNull(still.imageSize(), "still.imageSize");
            FfmpegCommands.requireDecodable(still.imageSize());
        }
        if (!(r.durationSeconds() >= MIN_SECONDS && r.durationSeconds() <= MAX_SECONDS)) { // also NaN
            throw new IllegalArgumentException("duration must be within " + MIN_SECONDS + ".." + MAX_SECONDS + " s: "
                    + r.durationSeconds());
        }
        FfmpegCommands.requireFps(r.fps());
        TimelineCommands.requireThreads(r.threads());
    }

    private static void validate(Timeline timeline) {
        int stills = timeline.stillFrames().size();
        boolean fits = stills == 1 || timeline.transitionFrames() >= 1;
        for (int i = 0; i < stills; i++) {
            fits &= timeline.aloneFrames(i) >= 1;
        }
        if (!fits) {
            throw new IllegalArgumentException(timeline.totalFrames() + " frames are too few for " + stills
                    + " stills with crossfades: raise the duration or the frame rate");
        }
    }

    // ---- provider output ----

    private static final Set<String> MP4_CONTAINERS = Set.of("mp4", "mov");

    /** Whether a provider's video can be served as it is, re-muxed: H.264, AAC or no sound, in MP4/MOV. */
    public static boolean canRemux(ProbeResult probe) {
        boolean mp4 = probe.formatName() != null
                && List.of(probe.formatName().split(",")).stream().anyMatch(MP4_CONTAINERS::contains);
        return mp4 && probe.hasVideo() && "h264".equals(probe.videoCodec())
                && (!probe.hasAudio() || "aac".equals(probe.audioCodec()));
    }

    /**
     * One ffmpeg process that makes a provider's video into our MP4: its first video stream and first audio stream
     * (if any), no metadata, fast start, cut at {@code maxDurationSeconds}. When {@link #canRemux} the streams are
     * copied as they are; otherwise the video is encoded as every render ({@link FfmpegCommands}: H.264 yuv420p,
     * BT.709 limited range) at its own size made even and at most {@value #MAX_NORMALIZED_SIDE} px a side, and the
     * sound as AAC 48 kHz stereo.
     */
    public List<String> normalize(NormalizeRender r) {
        requireNonNull(r.ffmpeg(), "ffmpeg");
        requireNonNull(r.input(), "input");
        requireNonNull(r.probe(), "probe");
        requireNonNull(r.output(), "output");
        requireNonNull(r.progressFile(), "progressFile");
        ProbeResult probe = r.probe();
        if (!probe.hasVideo()) {
            throw new IllegalArgumentException("the provider's file has no video stream");
        }
        if (!(r.maxDurationSeconds() > 0 && r.maxDurationSeconds() <= FfmpegCommands.MAX_DURATION_SECONDS)) {
            throw new IllegalArgumentException("max duration must be within (0, " + FfmpegCommands.MAX_DURATION_SECONDS
                    + "] s: " + r.maxDurationSeconds());
        }
        List<String> command = new ArrayList<>(FfmpegCommands.renderHead(r.ffmpeg(), r.progressFile()));
        command.addAll(List.of("-protocol_whitelist", "file", "-i", r.input().toAbsolutePath().toString(),
                "-map", "0:v:0"));
        if (probe.hasAudio()) {
            command.addAll(List.of("-map", "0:a:0"));
        }
        command.addAll(FfmpegCommands.NO_INPUT_METADATA);
        if (canRemux(probe)) {
            command.addAll(List.of("-c", "copy"));
        } else {
            command.addAll(List.of("-vf", normalizedScale(probe)));
            command.addAll(FfmpegCommands.H264_OUTPUT);
            command.addAll(FfmpegCommands.BT709_LIMITED_OUTPUT);
            if (probe.hasAudio()) {
                command.addAll(FfmpegCommands.AAC_OUTPUT);
            }
        }
        command.addAll(List.of("-t", decimal(r.maxDurationSeconds()), "-movflags", "+faststart",
                "-f", "mp4", r.output().toAbsolutePath().toString()));
        return List.copyOf(command);
    }

    /** The probed size, scaled down to fit {@value #MAX_NORMALIZED_SIDE} px, made even for yuv420p. */
    static String normalizedScale(ProbeResult probe) {
        if (probe.width() <= 0 || probe.height() <= 0) {
            throw new IllegalArgumentException("the provider's video has no readable size");
        }
        double scale = Math.min(1, (double) MAX_NORMALIZED_SIDE / Math.max(probe.width(), probe.height()));
        int width = Math.max(2, (int) Math.round(probe.width() * scale) & ~1);
        int height = Math.max(2, (int) Math.round(probe.height() * scale) & ~1);
        return "scale=" + width + ":" + height + ":flags=lanczos" + FfmpegCommands.TO_BT709_LIMITED + ",format=yuv420p";
    }
}
