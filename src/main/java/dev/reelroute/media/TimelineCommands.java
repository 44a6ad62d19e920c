package dev.reelroute.media;

import static dev.reelroute.media.FfmpegCommands.decimal;

import java.nio.file.Path;
import java.util.List;

/**
 * The pieces of a timeline of stills with a mixed soundtrack that the prompt and project kinds' commands share: still
 * inputs, thread options, crossfades, and the audio chains (48 kHz stereo, trimmed, the ambient bed, a fade-out, the
 * mix). Filter-graph text only; as in {@link FfmpegCommands}, nothing here runs a process or touches a file.
 */
public final class TimelineCommands {
    private TimelineCommands() {
    }

    /** The most threads one process may be given (0: ffmpeg decides). */
    public static final int MAX_THREADS = 16;
    /** The label of {@link #ambientChain}'s output. */
    public static final String AMBIENT_LABEL = "ambient";
    /** Audio as 48 kHz stereo floats: what every chain of a mix is converted to. */
    public static final String STEREO_48K = "aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo";

    /**
     * A still image as an input at {@code fps}; image2pipe, as in FfmpegCommands: probes the codec from the bytes,
     * never expands '%d'.
     */
    public static List<String> stillInput(Path image, int fps) {
        return List.of("-framerate", Integer.toString(fps), "-protocol_whitelist", "file", "-f", "image2pipe",
                "-i", image.toAbsolutePath().toString());
    }

    /** Filter threads of one process (none: ffmpeg decides); goes before the inputs. */
    public static List<String> filterThreadOptions(int threads) {
        return threads > 0 ? List.of("-filter_threads", Integer.toString(threads),
                "-filter_complex_threads", Integer.toString(threads)) : List.of();
    }

    /** x264 threads of one process (none: ffmpeg decides); goes with the output options. */
    public static List<String> encoderThreadOptions(int threads) {
        return threads > 0 ? List.of("-threads", Integer.toString(threads)) : List.of();
    }

    /** A crossfade of {@code frames} frames that starts {@code offsetFrames} into its first input. */
    public static String crossfade(int frames, int offsetFrames, int fps) {
        return "xfade=transition=fade:duration=" + decimal((double) frames / fps) + ":offset="
                + decimal((double) offsetFrames / fps);
    }

    /** Refuses a thread count outside 0..{@value #MAX_THREADS}. */
    public static void requireThreads(int threads) {
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be within 0.." + MAX_THREADS + ": " + threads);
        }
    }

    /** Fade-out at the end of the audio: 2 s, or 20% of the video when that is shorter. */
    public static double fadeOutSeconds(double totalSeconds) {
        return Math.min(2.0, 0.2 * totalSeconds);
    }

    /** An audio stream's first {@code seconds}, with timestamps from zero. */
    public static String trimmedTo(double seconds) {
        return ",atrim=duration=" + decimal(seconds) + ",asetpts=PTS-STARTPTS";
    }

    /** Input {@code input}'s first audio stream as 48 kHz stereo, then {@code extra}, cut at {@code seconds}. */
    public static String stereoInput(int input, String extra, double seconds) {
        return "[" + input + ":a:0]" + STEREO_48K + extra + trimmedTo(seconds);
    }

    /** The synthesized bed as 48 kHz stereo, cut at {@code seconds}, labelled {@value #AMBIENT_LABEL}. */
    public static String ambientChain(AmbientBed bed, double seconds) {
        return bed.filter() + "," + STEREO_48K + trimmedTo(seconds) + "[" + AMBIENT_LABEL + "]";
    }

    /** A fade to silence over the last {@code fadeSeconds} of {@code totalSeconds}. */
    public static String fadeOut(double totalSeconds, double fadeSeconds) {
        return "afade=t=out:st=" + decimal(totalSeconds - fadeSeconds) + ":d=" + decimal(fadeSeconds);
    }

    /**
     * The labelled streams summed into {@code [output]} with {@code amix normalize=0} (so none of them is rescaled),
     * or the one stream passed through, followed by {@code tail}.
     */
    public static String mixedInto(String output, List<String> labels, String tail) {
        if (labels.size() == 1) {
            return labels.get(0) + tail + "[" + output + "]";
        }
        return String.join("", labels) + "amix=inputs=" + labels.size()
                + ":duration=longest:dropout_transition=0:normalize=0," + tail + "[" + output + "]";
    }
}
