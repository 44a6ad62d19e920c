package dev.reelroute.project;

import dev.reelroute.media.AmbientBed;
import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.RenderSize;
import dev.reelroute.media.TimelineCommands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import static dev.reelroute.media.FfmpegCommands.decimal;
import static dev.reelroute.media.FfmpegCommands.requireNonNull;
import static dev.reelroute.media.TimelineCommands.AMBIENT_LABEL;
import static dev.reelroute.media.TimelineCommands.STEREO_48K;
import static dev.reelroute.media.TimelineCommands.ambientChain;
import static dev.reelroute.media.TimelineCommands.encoderThreadOptions;
import static dev.reelroute.media.TimelineCommands.fadeOut;
import static dev.reelroute.media.TimelineCommands.fadeOutSeconds;
import static dev.reelroute.media.TimelineCommands.filterThreadOptions;
import static dev.reelroute.media.TimelineCommands.mixedInto;
import static dev.reelroute.media.TimelineCommands.requireThreads;
import static dev.reelroute.media.TimelineCommands.stereoInput;
import static dev.reelroute.media.TimelineCommands.trimmedTo;

/**
 * ffmpeg command lines for multi-clip projects: a few processes fit the clips' images to the frame once each
 * ({@link #canvases}); each clip's video-only "segment" is one more, which encodes the frames {@link SegmentFrames}
 * makes from its canvas and the next clip's ({@link #segment}); one makes the run's soundtrack while they render
 * ({@link #soundtrack}), and one more joins the segments without re-encoding and lays the soundtrack under them
 * ({@link #compile}). Nothing here runs a process; as in {@link FfmpegCommands}, file paths are whole arguments and
 * the filter graphs contain only numbers we computed and fixed keywords (prompts never get here).
 *
 * <h2>Timeline</h2>
 * Clips are laid back to back. A transition of T seconds (0 = hard cuts) overlaps the last T seconds of clip
 * N with the first T seconds of clip N+1 in a crossfade (clip N+1 fading in over clip N, see
 * {@link SegmentFrames}), so a project of n clips lasts {@code sum(d) - (n-1)*T} ({@link #totalSeconds}).
 * <pre>
 *   clip 0   |0=========d0-T~~~~d0|
 *   clip 1                |0~~~~T=========d1-T~~~~d1|
 *   clip 2                                 |0~~~~T=========d2|
 *   segment  |--- seg 0 ----------|--- seg 1 ---------------|--- seg 2 ---|
 * </pre>
 * Segment N is clip N from clip time {@code N == 0 ? 0 : T} to {@code d_N - T} (to {@code d_N} for the last
 * clip), then the T-second crossfade from clip N's frames at {@code [d_N - T, d_N)} into clip N+1's frames at
 * {@code [0, T)}. Each clip's camera motion is a function of its own clip time (progress {@code t / d}), so
 * clip N+1's motion inside the crossfade and at the start of segment N+1 is one continuous path.
 *
 * <p>Times are whole frames: every duration and T are rounded to the nearest frame at the segment's fps
 * ({@link #segmentSeconds} is the exact length that results). Pass durations that are whole frames and
 * {@link #totalSeconds} equals the sum of the segments.
 *
 * <h2>Segments join without re-encoding</h2>
 * Every segment is H.264 (libx264 veryfast, crf 20), yuv420p, BT.709 limited range like {@link FfmpegCommands},
 * with the same size, fps, a fixed GOP ({@code -g} of 2 s, scene-cut detection off), a fixed number of
 * B-frames and no audio, so all segments share one codec configuration and the concat demuxer can join
 * them with {@code -c copy}. Each segment starts with a key frame.
 *
 * <h2>Threads</h2>
 * {@link SegmentRender#threads()} sets {@code -threads} (x264); {@link #canvases} takes its own filter threads.
 * Measured when FFmpeg still moved the camera, on 2 cores, ffmpeg 5.1, the four segments of a 4-clip project (5 s
 * clips, 1 s crossfades, 1080p PNGs to 720p 25 fps; {@code ProjectThreadsBench}), 5 interleaved rounds: two processes
 * at a time with 1 thread each took 4.7-5.0 s, one process at a time with 2 threads 5.9-6.5 s, so two
 * single-threaded renders side by side are about 20% faster. ffmpeg 8, measured while another build loaded the
 * machine (load 3-5), was too noisy to put a number on: two single-threaded processes won 5 of 7 rounds (5.2-12.7 s
 * against 6.8-11.1 s).
 */
@Component
public class ProjectCommands {

    /** B-frames per segment; fixed so every segment has the same stream configuration. */
    static final int B_FRAMES = 2;
    public static final double MAX_TRANSITION_SECONDS = 5;

    // ---- timeline arithmetic ----

    /** {@code sum(clipDurations) - (n-1) * transitionSeconds}: the project's length. */
    public static double totalSeconds(List<Double> clipDurations, double transitionSeconds) {
        double sum = 0;
        for (double d : clipDurations) {
            sum += d;
        }
        return sum - Math.max(0, clipDurations.size() - 1) * transitionSeconds;
    }

    /** Exact length of the segment {@link #segment} renders: its frame count over fps. */
    public static double segmentSeconds(SegmentRender r) {
        requireNonNull(r.clip(), "clip");
        validateTiming(r);
        return (double) Frames.of(r).segment() / r.fps();
    }

    static int frames(double seconds, int fps) {
        return (int) Math.round(seconds * fps);
    }

    /**
     * The longest transition, up to {@code wantedSeconds}, that the clips leave room for (whole frames): the first
     * clip must last the transition it starts, a middle one both of its transitions, and the last one its
     * transition plus a frame. 0 when not even one frame fits, or with fewer than two clips.
     */
    public static double fittingTransitionSeconds(List<Double> clipSeconds, double wantedSeconds, int fps) {
        if (clipSeconds.size() < 2 || !(wantedSeconds > 0)) {
            return 0;
        }
        int fitting = frames(wantedSeconds, fps);
        int last = clipSeconds.size() - 1;
        for (int i = 0; i <= last; i++) {
            int clip = frames(clipSeconds.get(i), fps);
            fitting = Math.min(fitting, i == 0 ? clip : i == last ? clip - 1 : clip / 2);
        }
        return fitting <= 0 ? 0 : (double) fitting / fps;
    }

    /**
     * The segment's frame counts.
     *
     * @param clip       frames of the whole clip
     * @param transition frames of each crossfade (0 when there is none)
     * @param start      first frame of the clip shown on its own
     * @param main       frames shown on their own, before the outgoing crossfade
     * @param outgoing   frames of the outgoing crossfade (0 for the last clip)
     */
    record Frames(int clip, int transition, int start, int main, int outgoing) {
        int segment() {
            return main + outgoing;
        }

        static Frames of(SegmentRender r) {
            int clip = frames(r.clip().durationSeconds(), r.fps());
            int transition = frames(r.transitionSeconds(), r.fps());
            int start = r.firstClip() ? 0 : transition;
            int outgoing = r.next() != null ? transition : 0;
            int end = clip - outgoing;
            return new Frames(clip, transition, start, end - start, outgoing);
        }
    }

    // ---- the run's canvases ----

    /**
     * One of the run's first FFmpeg processes: each of {@code canvases}' images fitted to the frame once (the fit
     * rule, AUTO resolved per image) and written as one raw yuv420p frame, the canvas {@link SegmentFrames} moves the
     * camera over; the segment of the clip and the one before it (for its crossfade) both read it.
     */
    public List<String> canvases(String ffmpeg, int threads, RenderSize size, int fps,
                                 List<FfmpegCommands.Canvas> canvases) {
        requireNonNull(ffmpeg, "ffmpeg");
        requireNonNull(size, "size");
        requireThreads(threads);
        FfmpegCommands.requireFps(fps);
        if (canvases.isEmpty()) {
            throw new IllegalArgumentException("no images to fit");
        }
        for (FfmpegCommands.Canvas canvas : canvases) {
            requireNonNull(canvas.image(), "image");
            requireNonNull(canvas.imageSize(), "imageSize");
            requireNonNull(canvas.output(), "output");
            FfmpegCommands.requireDecodable(canvas.imageSize());
        }
        return FfmpegCommands.canvases(ffmpeg, filterThreadOptions(threads), size, fps, canvases);
    }

    // ---- segment ----

    /**
     * A segment's FFmpeg process: its frames, raw yuv420p from {@link SegmentFrames} on stdin, encoded to
     * {@code r.output()}.
     */
    public List<String> segment(SegmentRender render) {
        SegmentRender r = withDefaults(render);
        validate(r);
        Frames frames = Frames.of(r);
        String fps = Integer.toString(r.fps());

        List<String> command = new ArrayList<>(FfmpegCommands.renderHead(r.ffmpeg(), r.progressFile()));
        command.addAll(List.of("-f", "rawvideo", "-pix_fmt", "yuv420p",
                "-s", r.size().width() + "x" + r.size().height(), "-framerate", fps, "-i", "pipe:0",
                "-map", "0:v", "-an"));
        command.addAll(FfmpegCommands.NO_INPUT_METADATA);
        command.addAll(FfmpegCommands.H264_OUTPUT);
        command.addAll(List.of("-g", Integer.toString(2 * r.fps()), "-sc_threshold", "0",
                "-bf", Integer.toString(B_FRAMES)));
        command.addAll(encoderThreadOptions(r.threads()));
        command.addAll(FfmpegCommands.BT709_LIMITED_OUTPUT);
        command.addAll(List.of("-r", fps, "-frames:v", Integer.toString(frames.segment()),
                "-f", "mp4", r.output().toAbsolutePath().toString()));
        return List.copyOf(command);
    }

    /**
     * The segment's frames for {@link #segment}'s stdin, from the clip's canvas and, when the segment ends in a
     * crossfade, the next clip's ({@link #canvases}).
     */
    public SegmentFrames segmentFrames(SegmentRender render, Path canvasFile, Path nextCanvasFile) throws IOException {
        SegmentRender r = withDefaults(render);
        validate(r);
        Frames frames = Frames.of(r);
        requireNonNull(canvasFile, "canvas");
        if (frames.outgoing() > 0) {
            requireNonNull(nextCanvasFile, "nextCanvas");
        }
        byte[] canvas = Files.readAllBytes(canvasFile);
        byte[] nextCanvas = frames.outgoing() > 0 ? Files.readAllBytes(nextCanvasFile) : null;
        return new SegmentFrames(r.size(), frames, canvas, motionOf(r.clip()), nextCanvas,
                r.next() != null ? motionOf(r.next()) : null,
                r.next() != null ? frames(r.next().durationSeconds(), r.fps()) : 0);
    }

    private static CameraMotion motionOf(ClipSpec clip) {
        return clip.motion() != null ? clip.motion() : CameraMotion.gentleDefault();
    }

    private static SegmentRender withDefaults(SegmentRender r) {
        return new SegmentRender(r.ffmpeg(), r.clip(), r.next(), r.firstClip(), r.transitionSeconds(),
                r.size() != null ? r.size() : RenderSize.DEFAULT, r.fps(),
                r.threads(), r.output(), r.progressFile());
    }

    private static void validate(SegmentRender r) {
        requireNonNull(r.ffmpeg(), "ffmpeg");
        requireNonNull(r.clip(), "clip");
        requireNonNull(r.output(), "output");
        requireNonNull(r.progressFile(), "progressFile");
        validateTiming(r);
    }

    /** Frame rate, durations and transition: everything {@link #segmentSeconds} depends on. */
    private static void validateTiming(SegmentRender r) {
        for (ClipSpec clip : r.next() != null ? List.of(r.clip(), r.next()) : List.of(r.clip())) {
            if (!(clip.durationSeconds() > 0 && clip.durationSeconds() <= FfmpegCommands.MAX_DURATION_SECONDS)) {
                throw new IllegalArgumentException("clip duration must be within (0, "
                        + FfmpegCommands.MAX_DURATION_SECONDS + "] s: " + clip.durationSeconds());
            }
        }
        FfmpegCommands.requireFps(r.fps());
        if (!(r.transitionSeconds() >= 0 && r.transitionSeconds() <= MAX_TRANSITION_SECONDS)) { // also NaN
            throw new IllegalArgumentException("transition must be within 0.." + MAX_TRANSITION_SECONDS + " s: "
                    + r.transitionSeconds());
        }
        requireThreads(r.threads());
        Frames frames = Frames.of(r);
        if (frames.main() < 0 || frames.segment() < 1
                || (r.next() != null && frames(r.next().durationSeconds(), r.fps()) < frames.transition())) {
            throw new IllegalArgumentException("clips too short for a " + r.transitionSeconds()
                    + " s transition: a clip must last at least the transitions it takes part in, plus a frame"
                    + " for the last one");
        }
    }


    // ---- compile ----

    /**
     * Content of the concat demuxer list for {@code segments}: absolute paths, single-quoted with
     * {@code '} written as {@code '\''}. Meant for paths we generate; control characters are refused
     * because the list is line-based.
     */
    public static String concatListContent(List<Path> segments) {
        StringBuilder list = new StringBuilder("ffconcat version 1.0\n");
        for (Path segment : segments) {
            String path = segment.toAbsolutePath().toString();
            for (int i = 0; i < path.length(); i++) {
                if (Character.isISOControl(path.charAt(i))) {
                    throw new IllegalArgumentException("control character in segment path");
                }
            }
            list.append("file '").append(path.replace("'", "'\\''")).append("'\n");
        }
        return list.toString();
    }


    /**
     * One ffmpeg process: the segments joined by the concat demuxer with the video stream copied, under the run's
     * soundtrack: copied too when {@link CompileRender#soundtrack()} was made ahead ({@link #soundtrack}), else mixed
     * here the same way; cut at {@code totalSeconds}; fast start; no metadata from the inputs.
     */
    public List<String> compile(CompileRender r) {
        requireNonNull(r.ffmpeg(), "ffmpeg");
        requireNonNull(r.segments(), "segments");
        requireNonNull(r.concatList(), "concatList");
        requireNonNull(r.output(), "output");
        requireNonNull(r.progressFile(), "progressFile");
        if (r.segments().isEmpty()) {
            throw new IllegalArgumentException("no segments to compile");
        }
        validateAudio(r.totalSeconds(), r.musicVolume());
        List<String> command = new ArrayList<>(FfmpegCommands.renderHead(r.ffmpeg(), r.progressFile()));
        command.addAll(List.of("-protocol_whitelist", "file", "-f", "concat", "-safe", "0",
                "-i", r.concatList().toAbsolutePath().toString()));
        if (r.soundtrack() != null) {
            command.addAll(List.of("-protocol_whitelist", "file", "-i", r.soundtrack().toAbsolutePath().toString(),
                    "-map", "0:v:0", "-map", "1:a:0"));
            command.addAll(FfmpegCommands.NO_INPUT_METADATA);
            command.addAll(List.of("-c:v", "copy", "-c:a", "copy"));
        } else {
            command.addAll(musicInput(r.music()));
            command.addAll(List.of("-filter_complex",
                    audioFilterGraph(1, r.totalSeconds(), r.music(), r.musicVolume(), r.ambient()),
                    "-map", "0:v:0", "-map", "[audio]"));
            command.addAll(FfmpegCommands.NO_INPUT_METADATA);
            command.add("-c:v");
            command.add("copy");
            command.addAll(FfmpegCommands.AAC_OUTPUT);
        }
        command.addAll(List.of(
                "-t", decimal(r.totalSeconds()),
                "-movflags", "+faststart",
                "-f", "mp4", r.output().toAbsolutePath().toString()));
        return List.copyOf(command);
    }

    /**
     * The run's soundtrack alone, which depends on nothing its clips make, so it is made while they render: the music
     * (looped with {@code -stream_loop -1} to cover the project) at exactly {@code musicVolume}, plus the ambient bed
     * when set (summed with {@code amix normalize=0}, so neither is rescaled), or silence when there is neither;
     * faded out over {@link #fadeOutSeconds}; AAC 192k, 48 kHz, stereo, in an MP4 of exactly {@code totalSeconds}.
     */
    public List<String> soundtrack(SoundtrackRender r) {
        requireNonNull(r.ffmpeg(), "ffmpeg");
        requireNonNull(r.output(), "output");
        validateAudio(r.totalSeconds(), r.musicVolume());
        List<String> command = new ArrayList<>(FfmpegCommands.quietHead(r.ffmpeg()));
        command.addAll(musicInput(r.music()));
        command.addAll(List.of("-filter_complex",
                audioFilterGraph(0, r.totalSeconds(), r.music(), r.musicVolume(), r.ambient()), "-map", "[audio]"));
        command.addAll(FfmpegCommands.NO_INPUT_METADATA);
        command.addAll(FfmpegCommands.AAC_OUTPUT);
        command.addAll(List.of("-t", decimal(r.totalSeconds()), "-f", "mp4", r.output().toAbsolutePath().toString()));
        return List.copyOf(command);
    }

    private static void validateAudio(double totalSeconds, double musicVolume) {
        if (!(totalSeconds > 0 && totalSeconds <= FfmpegCommands.MAX_DURATION_SECONDS)) { // also NaN
            throw new IllegalArgumentException("total duration must be within (0, "
                    + FfmpegCommands.MAX_DURATION_SECONDS + "] s: " + totalSeconds);
        }
        if (!(musicVolume >= 0 && musicVolume <= 1)) {
            throw new IllegalArgumentException("music volume must be within 0..1: " + musicVolume);
        }
    }

    /** The music as the next input, looped; nothing when there is none. */
    private static List<String> musicInput(Path music) {
        return music == null ? List.of() : List.of("-stream_loop", "-1", "-protocol_whitelist", "file",
                "-i", music.toAbsolutePath().toString());
    }

    /** The soundtrack's graph, the music (when there is one) being input {@code musicInput}. */
    static String audioFilterGraph(int musicInput, double totalSeconds, Path music, double musicVolume,
                                   AmbientBed ambient) {
        List<String> chains = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (music != null) {
            chains.add(stereoInput(musicInput, ",volume=volume=" + decimal(musicVolume), totalSeconds) + "[music]");
            labels.add("[music]");
        }
        if (ambient != null) {
            chains.add(ambientChain(ambient, totalSeconds));
            labels.add("[" + AMBIENT_LABEL + "]");
        }
        String fadeOut = fadeOut(totalSeconds, fadeOutSeconds(totalSeconds));
        if (labels.isEmpty()) {
            chains.add("anullsrc=channel_layout=stereo:sample_rate=48000," + STEREO_48K + trimmedTo(totalSeconds)
                    + "," + fadeOut + "[audio]");
        } else {
            chains.add(mixedInto("audio", labels, fadeOut));
        }
        return String.join(";", chains);
    }






}
