package dev.reelroute.project;

import dev.reelroute.media.AmbientBed;
import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.Fixtures;
import dev.reelroute.media.MotionTracker;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.media.ProcessRunner;
import dev.reelroute.media.RenderSize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static dev.reelroute.media.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A real three-clip project rendered once (320x180, 25 fps, 1.5 s clips, 0.5 s crossfades), then checked
 * frame by frame and by audio level.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectCommandsTest {

    private static final String HOSTILE = "it's [a],b;c:d=%d $(x) ";
    private static final int WIDTH = 320;
    private static final int HEIGHT = 180;
    private static final int FPS = 25;
    private static final double CLIP_SECONDS = 1.5;
    private static final double TRANSITION = 0.5;
    /** Solid clip colours (RGB): red, blue, green. */
    private static final int[][] COLOURS = {{200, 60, 60}, {60, 60, 200}, {60, 200, 60}};

    @TempDir
    static Path dir;

    private final ProjectCommands commands = new ProjectCommands();
    private final MediaProbe probe = new MediaProbe(new FfmpegBinaries(Fixtures.FFMPEG, Fixtures.FFPROBE));

    private List<ClipSpec> clips;
    private List<Path> segments;
    private List<Integer> segmentFrames;
    private Path concatList;
    private Path music;
    private double total;

    @BeforeAll
    void renderSegments() throws IOException {
        List<CameraMotion> motions = List.of(new CameraMotion(CameraMotion.Kind.DRIFT, 0.1), CameraMotion.none(),
                new CameraMotion(CameraMotion.Kind.ZOOM_OUT, 0.1));
        clips = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int[] c = COLOURS[i];
            Path image = Fixtures.ffmpeg(dir.resolve(HOSTILE + "clip" + i + ".png"), "-f", "lavfi", "-i",
                    String.format("color=c=0x%02X%02X%02X:s=%dx%d", c[0], c[1], c[2], WIDTH, HEIGHT), "-frames:v", "1");
            clips.add(new ClipSpec(image, new ImageDimensions(WIDTH, HEIGHT), CLIP_SECONDS, motions.get(i)));
        }
        segments = new ArrayList<>();
        segmentFrames = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path segment = dir.resolve(HOSTILE + "segment" + i + ".mp4");
            SegmentRender render = segment(i, segment);
            SegmentRenders.render(commands, render);
            segments.add(segment);
            segmentFrames.add((int) Math.round(ProjectCommands.segmentSeconds(render) * FPS));
            assertThat(countFrames(segment)).isEqualTo(segmentFrames.get(i));
        }
        concatList = dir.resolve(HOSTILE + "list.txt");
        Files.writeString(concatList, ProjectCommands.concatListContent(segments));
        music = Fixtures.sine(dir.resolve(HOSTILE + "music.wav"), 1.3); // shorter than the project: must loop
        total = ProjectCommands.totalSeconds(List.of(CLIP_SECONDS, CLIP_SECONDS, CLIP_SECONDS), TRANSITION);
    }

    private SegmentRender segment(int i, Path output) {
        return new SegmentRender(Fixtures.FFMPEG, clips.get(i), i + 1 < clips.size() ? clips.get(i + 1) : null, i == 0,
                TRANSITION, new RenderSize(WIDTH, HEIGHT), FPS, 1, output,
                dir.resolve(HOSTILE + "progress" + i + ".txt"));
    }

    private Path compile(String name, Path music, double volume, AmbientBed ambient) throws IOException {
        Path output = dir.resolve(HOSTILE + name + ".mp4");
        run(commands.compile(new CompileRender(Fixtures.FFMPEG, segments, concatList, total, music, volume, ambient,
                null, output, dir.resolve(HOSTILE + name + "-progress.txt"))));
        return output;
    }

    /** The same project with its soundtrack made first, on its own, and copied by the compile. */
    private Path compileWithSoundtrackAhead(String name, Path music, double volume, AmbientBed ambient)
            throws IOException {
        Path soundtrack = dir.resolve(HOSTILE + name + "-soundtrack.m4a");
        run(commands.soundtrack(new SoundtrackRender(Fixtures.FFMPEG, total, music, volume, ambient, soundtrack)));
        Path output = dir.resolve(HOSTILE + name + ".mp4");
        run(commands.compile(new CompileRender(Fixtures.FFMPEG, segments, concatList, total, null, volume, null,
                soundtrack, output, dir.resolve(HOSTILE + name + "-progress.txt"))));
        return output;
    }

    // ---- timeline arithmetic ----

    @Test
    void transitionsAreShortenedToWhatTheShortestClipsLeaveRoom() {
        // the configured second fits clips of 3 s
        assertThat(ProjectCommands.fittingTransitionSeconds(List.of(3.0, 3.0, 3.0), 1.0, 25)).isEqualTo(1.0);
        // two 1 s clips: the last must keep a frame of its own after the transition
        assertThat(ProjectCommands.fittingTransitionSeconds(List.of(1.0, 1.0), 1.0, 25)).isEqualTo(0.96);
        // a 1 s clip in the middle takes part in two transitions: half a second each (12 whole frames)
        assertThat(ProjectCommands.fittingTransitionSeconds(List.of(3.0, 1.0, 3.0), 1.0, 25)).isEqualTo(0.48);
        // one clip, or clips too short for a single frame of transition: none
        assertThat(ProjectCommands.fittingTransitionSeconds(List.of(5.0), 1.0, 25)).isZero();
        assertThat(ProjectCommands.fittingTransitionSeconds(List.of(0.04, 0.04), 1.0, 25)).isZero();
    }

    @Test
    void timelineArithmetic() {
        assertThat(ProjectCommands.totalSeconds(List.of(1.5, 1.5, 1.5), 0.5)).isCloseTo(3.5, within(1e-9));
        assertThat(ProjectCommands.totalSeconds(List.of(4.0), 1)).isCloseTo(4.0, within(1e-9));
        assertThat(ProjectCommands.totalSeconds(List.of(4.0, 3.0), 0)).isCloseTo(7.0, within(1e-9));
        Path p = dir.resolve("x");
        ClipSpec four = new ClipSpec(p, new ImageDimensions(100, 100), 4, null);
        ClipSpec three = new ClipSpec(p, new ImageDimensions(100, 100), 3, null);
        // first 0..3 + fade 3..4; middle 1..2 + fade 2..3; last 1..4
        assertThat(ProjectCommands.segmentSeconds(new SegmentRender("f", four, three, true, 1, null, 30, 1, p, p)))
                .isCloseTo(4.0, within(1e-9));
        assertThat(ProjectCommands.segmentSeconds(new SegmentRender("f", three, four, false, 1, null, 30, 1, p, p)))
                .isCloseTo(2.0, within(1e-9));
        assertThat(ProjectCommands.segmentSeconds(new SegmentRender("f", four, null, false, 1, null, 30, 1, p, p)))
                .isCloseTo(3.0, within(1e-9));
        assertThat(4.0 + 2.0 + 3.0).isEqualTo(ProjectCommands.totalSeconds(List.of(4.0, 3.0, 4.0), 1));
        // No transition: hard cuts, every clip whole, one input per segment.
        SegmentRender cut = new SegmentRender("f", three, four, false, 0, null, 30, 0, p, p);
        assertThat(ProjectCommands.segmentSeconds(cut)).isCloseTo(3.0, within(1e-9));
        assertThat(commands.segment(cut)).containsOnlyOnce("-i").doesNotContain("-threads");
        assertThatThrownBy(() -> ProjectCommands.segmentSeconds(new SegmentRender("f", four, null, true, 1, null, 0,
                1, p, p))).isInstanceOf(IllegalArgumentException.class);
        // A middle clip shorter than its two transitions is refused.
        ClipSpec short1 = new ClipSpec(p, new ImageDimensions(100, 100), 1.5, null);
        assertThatThrownBy(() -> commands.segment(new SegmentRender("f", short1, four, false, 1, null, 30, 1, p, p)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> commands.segment(new SegmentRender("f", four, short1, true, -1, null, 30, 1, p, p)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concatListQuotesPaths() {
        Path path = Path.of("/tmp/a'b c/seg 1.mp4");
        assertThat(ProjectCommands.concatListContent(List.of(path, Path.of("/tmp/s2.mp4"))))
                .isEqualTo("ffconcat version 1.0\nfile '/tmp/a'\\''b c/seg 1.mp4'\nfile '/tmp/s2.mp4'\n");
        assertThatThrownBy(() -> ProjectCommands.concatListContent(List.of(Path.of("/tmp/a\nfile '/etc/passwd"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pathsAreWholeArgumentsAndThreadsAreSet() {
        Path out = dir.resolve(HOSTILE + "o.mp4");
        SegmentRender render = segment(0, out);
        // the run's fit: every image once, each to a file of its own
        List<FfmpegCommands.Canvas> fits = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            fits.add(new FfmpegCommands.Canvas(clips.get(i).image(), clips.get(i).imageSize(), FitMode.AUTO,
                    dir.resolve(HOSTILE + "canvas" + i + ".yuv")));
        }
        List<String> canvases = commands.canvases("ffmpeg", 1, new RenderSize(WIDTH, HEIGHT), FPS, fits);
        for (FfmpegCommands.Canvas fit : fits) {
            assertThat(canvases).containsOnlyOnce(fit.image().toString(), fit.output().toString());
        }
        assertThat(canvases.stream().filter("-map"::equals)).hasSize(clips.size());
        assertThat(String.join(" ", canvases)).contains("-filter_threads 1", "-filter_complex_threads 1");
        assertThat(canvases.get(canvases.indexOf("-filter_complex") + 1)).doesNotContain(HOSTILE.strip());
        assertThatThrownBy(() -> commands.canvases("ffmpeg", 1, new RenderSize(WIDTH, HEIGHT), FPS, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        List<String> segment = commands.segment(render);
        assertThat(segment).containsOnlyOnce(out.toString(), "pipe:0");
        assertThat(String.join(" ", segment)).contains("-threads 1", "-g 50", "-sc_threshold 0", "-bf 2",
                "-color_range tv", "-frames:v 38");

        List<String> compile = commands.compile(new CompileRender("ffmpeg", segments, concatList, 3.5, music, 0.5,
                AmbientBed.RAIN, null, out, dir.resolve("p")));
        assertThat(compile).containsOnlyOnce(concatList.toString(), music.toString(), out.toString());
        assertThat(String.join(" ", compile)).contains("-f concat -safe 0", "-stream_loop -1", "-c:v copy",
                "-map_metadata -1", "-movflags +faststart", "-t 3.500000", "normalize=0", "volume=volume=0.500000",
                "afade=t=out:st=2.800000:d=0.700000");

        Path soundtrack = dir.resolve(HOSTILE + "soundtrack.m4a");
        List<String> ahead = commands.soundtrack(new SoundtrackRender("ffmpeg", 3.5, music, 0.5, AmbientBed.RAIN,
                soundtrack));
        assertThat(ahead).containsOnlyOnce(music.toString(), soundtrack.toString()).doesNotContain("-progress");
        assertThat(String.join(" ", ahead)).contains("-stream_loop -1", "[0:a:0]", "normalize=0", "-t 3.500000",
                "afade=t=out:st=2.800000:d=0.700000");
        List<String> copied = commands.compile(new CompileRender("ffmpeg", segments, concatList, 3.5, null, 0.5, null,
                soundtrack, out, dir.resolve("p")));
        assertThat(copied).containsOnlyOnce(concatList.toString(), soundtrack.toString(), out.toString())
                .doesNotContain("-filter_complex", "-stream_loop");
        assertThat(String.join(" ", copied)).contains("-map 0:v:0 -map 1:a:0", "-c:v copy -c:a copy", "-t 3.500000");
    }

    // ---- real renders ----

    @Test
    void joinedProjectHasTheExactLengthAndFrameCountAndPlaysCleanly() throws IOException {
        Path video = compile("full", music, 1.0, AmbientBed.OCEAN);
        ProbeResult result = probe.probe(video);
        assertThat(result.videoCodec()).isEqualTo("h264");
        assertThat(result.audioCodec()).isEqualTo("aac");
        assertThat(result.width()).isEqualTo(WIDTH);
        assertThat(result.durationSeconds()).isCloseTo(3 * CLIP_SECONDS - 2 * TRANSITION, within(0.05));
        int frames = segmentFrames.stream().mapToInt(Integer::intValue).sum();
        assertThat(frames).isEqualTo(3 * 38 - 2 * 13); // 1.5 s and 0.5 s round to 38 and 13 frames at 25 fps
        assertThat(countFrames(video)).isEqualTo(frames);
        // Every segment has the same codec configuration (SPS/PPS), so the copied stream is valid throughout.
        List<String> configurations = new ArrayList<>();
        for (Path segment : segments) {
            ProcessRunner.Result config = ProcessRunner.run(List.of(Fixtures.FFPROBE, "-v", "error", "-select_streams",
                    "v:0", "-show_data_hash", "sha256", "-show_entries", "stream=extradata_hash", "-of", "compact",
                    segment.toString()), Duration.ofSeconds(20), 64 * 1024);
            configurations.add(config.stdoutText().strip());
        }
        assertThat(configurations.get(0)).contains("SHA256:");
        assertThat(configurations).containsOnly(configurations.get(0));
        // Decodes without a single complaint (no DTS or reference errors at the joins).
        ProcessRunner.Result decode = ProcessRunner.run(List.of(Fixtures.FFMPEG, "-nostdin", "-v", "warning",
                "-i", video.toString(), "-f", "null", "-"), Duration.ofSeconds(60), 64 * 1024);
        assertThat(decode.exitCode()).isZero();
        assertThat(decode.stderr()).isBlank();
    }

    @Test
    void joinsHaveNoFlashAndCrossfadesBlendTheClips() throws IOException {
        Path video = compile("plain", null, 0, null);
        byte[] rgb = Files.readAllBytes(Fixtures.ffmpeg(dir.resolve("frames.rgb"), "-i", video.toString(),
                "-f", "rawvideo", "-pix_fmt", "rgb24"));
        int frameBytes = WIDTH * HEIGHT * 3;
        int frames = rgb.length / frameBytes;
        double[] luma = new double[frames];
        for (int n = 0; n < frames; n++) {
            luma[n] = meanLuma(rgb, n * frameBytes, frameBytes);
        }
        int boundary = 0;
        for (int s = 0; s < 2; s++) {
            boundary += segmentFrames.get(s);
            for (int n = boundary - 2; n <= boundary + 1; n++) {
                assertThat(luma[n]).as("frame %d", n).isGreaterThan(50);
            }
            // The step across the join is no bigger than one step of the crossfade that leads into it
            // (13 frames from one colour to the next), so nothing flashes or jumps there.
            double fadeStep = 0;
            for (int n = boundary - 12; n < boundary; n++) {
                fadeStep = Math.max(fadeStep, Math.abs(luma[n] - luma[n - 1]));
            }
            assertThat(fadeStep).isGreaterThan(1);
            assertThat(Math.abs(luma[boundary] - luma[boundary - 1])).as("join at %d: %s", boundary,
                    java.util.Arrays.toString(luma)).isLessThanOrEqualTo(fadeStep + 1);
        }
        // Middle of the first crossfade: 25 frames of red, then 13 fade frames; frame 25 + 6 is 6/13 blue.
        int middle = 25 + 6;
        int centre = middle * frameBytes + (HEIGHT / 2 * WIDTH + WIDTH / 2) * 3;
        double b = 6.0 / 13;
        int[] expected = new int[3];
        for (int c = 0; c < 3; c++) {
            expected[c] = (int) Math.round((1 - b) * COLOURS[0][c] + b * COLOURS[1][c]);
        }
        int[] actual = {rgb[centre] & 0xFF, rgb[centre + 1] & 0xFF, rgb[centre + 2] & 0xFF};
        for (int c = 0; c < 3; c++) {
            assertThat(actual[c]).as("blend %s vs %s", List.of(actual[0], actual[1], actual[2]),
                    List.of(expected[0], expected[1], expected[2])).isCloseTo(expected[c], within(12));
        }
        // And the clips themselves keep their colours.
        int first = (HEIGHT / 2 * WIDTH + WIDTH / 2) * 3;
        assertThat(rgb[first] & 0xFF).isCloseTo(200, within(8));
        assertThat(rgb[first + 2] & 0xFF).isCloseTo(60, within(8));
    }

    @Test
    void musicVolumeIsExactAndAmbientIsQuiet() throws IOException {
        double full = Fixtures.meanVolume(compile("music100", music, 1.0, null));
        double quarter = Fixtures.meanVolume(compile("music25", music, 0.25, null));
        assertThat(full - quarter).as("%s vs %s", full, quarter).isCloseTo(20 * Math.log10(4), within(1.5));
        // Fixtures' sine has amplitude 1/8: -21 dB RMS, a little less with the fade-out.
        assertThat(full).isBetween(-26.0, -20.0);

        double ambient = Fixtures.meanVolume(compile("ambient", null, 0, AmbientBed.WIND));
        assertThat(ambient).as("ambient bed level").isBetween(-50.0, -24.0);
        double mixed = Fixtures.meanVolume(compile("music25ambient", music, 0.25, AmbientBed.WIND));
        // Summed, not rescaled (normalize=0): the powers of two unrelated signals add up.
        double sum = 10 * Math.log10(Math.pow(10, quarter / 10) + Math.pow(10, ambient / 10));
        assertThat(mixed).as("music %s + ambient %s", quarter, ambient).isCloseTo(sum, within(1.0));

        assertThat(Fixtures.meanVolume(compile("silent", null, 0, null))).isLessThan(-80);
    }

    @Test
    void aSoundtrackMadeAheadIsTheSoundtrackTheCompileWouldMix() throws IOException {
        Path mixed = compile("mixed-here", music, 0.25, AmbientBed.WIND);
        Path ahead = compileWithSoundtrackAhead("made-ahead", music, 0.25, AmbientBed.WIND);
        ProbeResult result = probe.probe(ahead);
        assertThat(result.audioCodec()).isEqualTo("aac");
        assertThat(result.durationSeconds()).isCloseTo(total, within(0.05));
        assertThat(countFrames(ahead)).isEqualTo(countFrames(mixed));
        // the bed is noise, so levels are compared, not samples
        assertThat(Fixtures.meanVolume(ahead)).isCloseTo(Fixtures.meanVolume(mixed), within(0.5));
        ProcessRunner.Result decode = ProcessRunner.run(List.of(Fixtures.FFMPEG, "-nostdin", "-v", "warning",
                "-i", ahead.toString(), "-f", "null", "-"), Duration.ofSeconds(60), 64 * 1024);
        assertThat(decode.exitCode()).isZero();
        assertThat(decode.stderr()).isBlank();
        assertThat(Fixtures.meanVolume(compileWithSoundtrackAhead("silent-ahead", null, 0, null))).isLessThan(-80);
    }

    @Test
    void driftIsSmooth() throws IOException {
        int width = 320;
        int height = 180;
        double seconds = 2;
        CameraMotion drift = new CameraMotion(CameraMotion.Kind.DRIFT, 0.1);
        MotionTracker tracker = new MotionTracker(width, height, new double[] {40.3, 280.7}, new double[] {40.2, 150.6});
        Path image = tracker.writeImage(dir.resolve("lines.png"));
        Path video = dir.resolve("drift.mp4");
        SegmentRenders.render(commands, new SegmentRender(Fixtures.FFMPEG, new ClipSpec(image,
                new ImageDimensions(width, height), seconds, drift), null, true, 1, new RenderSize(width, height), FPS,
                1, video, dir.resolve("p.txt")));
        MotionTracker.Result result = tracker.track(video, dir, drift, ProjectCommands.frames(seconds, FPS) + 1);
        assertThat(result.frames()).isEqualTo(50);
        assertThat(result.maxDeviationPx()).as("%s", result).isLessThanOrEqualTo(0.5);
        assertThat(result.backwardSteps()).as("%s", result).isZero();
    }

    /**
     * The segment after a crossfade picks the clip's motion up at clip time T: tracked against the clip's
     * whole ideal path from frame 13 on, it stays within half a pixel.
     */
    @Test
    void nextSegmentContinuesTheClipsMotionAfterTheCrossfade() throws IOException {
        // A strong zoom, so that one frame of the path moves the outer lines by about a pixel.
        CameraMotion zoom = new CameraMotion(CameraMotion.Kind.ZOOM_IN, 0.4);
        MotionTracker tracker = new MotionTracker(WIDTH, HEIGHT, new double[] {70.3, 250.7}, new double[] {40.2, 140.6});
        Path image = tracker.writeImage(dir.resolve("lines-zoom.png"));
        ClipSpec clip = new ClipSpec(image, new ImageDimensions(WIDTH, HEIGHT), CLIP_SECONDS, zoom);
        Path video = dir.resolve("after-fade.mp4");
        SegmentRender render = new SegmentRender(Fixtures.FFMPEG, clip, null, false, TRANSITION,
                new RenderSize(WIDTH, HEIGHT), FPS, 1, video, dir.resolve("p2.txt"));
        SegmentRenders.render(commands, render);
        int clipFrames = ProjectCommands.frames(CLIP_SECONDS, FPS);
        MotionTracker.Result result = tracker.track(video, dir, zoom, clipFrames + 1, 13);
        assertThat(result.frames()).isEqualTo(clipFrames - 13);
        assertThat(result.maxDeviationPx()).as("%s", result).isLessThanOrEqualTo(0.5);
        assertThat(result.backwardSteps()).as("%s", result).isZero();
        // The same frames checked against a path one frame off are measurably off, so the check can tell.
        assertThat(tracker.track(video, dir, zoom, clipFrames + 1, 12).maxDeviationPx()).isGreaterThan(0.5);
    }

    // ---- helpers ----

    private static int countFrames(Path video) throws IOException {
        ProcessRunner.Result result = ProcessRunner.run(List.of(Fixtures.FFPROBE, "-v", "error", "-select_streams",
                "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of",
                "default=noprint_wrappers=1:nokey=1", video.toString()), Duration.ofSeconds(60), 64 * 1024);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return Integer.parseInt(result.stdoutText().strip());
    }

    private static double meanLuma(byte[] rgb, int offset, int length) {
        double sum = 0;
        for (int i = offset; i < offset + length; i += 3) {
            sum += 0.299 * (rgb[i] & 0xFF) + 0.587 * (rgb[i + 1] & 0xFF) + 0.114 * (rgb[i + 2] & 0xFF);
        }
        return sum / (length / 3.0);
    }
}
