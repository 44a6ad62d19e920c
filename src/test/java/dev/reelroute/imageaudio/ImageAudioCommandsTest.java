package dev.reelroute.imageaudio;

import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FfmpegProgress;
import dev.reelroute.media.Fixtures;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.ImageHeaderReader;
import dev.reelroute.media.MediaKind;
import dev.reelroute.media.MediaSniffer;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.MotionTracker;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.media.RenderSize;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.reelroute.media.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ImageAudioCommandsTest {

    /** Shell metacharacters, filter-graph syntax and an image2 sequence pattern, all in file names. */
    private static final String HOSTILE = "it's [a],b;c:d=%d $(x) ";

    @TempDir
    Path dir;

    private final ImageAudioCommands commands = new ImageAudioCommands();
    private final MediaProbe probe = new MediaProbe(new FfmpegBinaries(Fixtures.FFMPEG, Fixtures.FFPROBE));

    // ---- command shape ----

    @Test
    void userSuppliedTextOnlyAppearsAsWholePathArguments() {
        Path image = dir.resolve(HOSTILE + "image.png");
        Path audio = dir.resolve(HOSTILE + "audio.wav");
        Path video = dir.resolve(HOSTILE + "out.mp4");
        Path thumbnail = dir.resolve(HOSTILE + "thumb.jpg");
        Path progress = dir.resolve(HOSTILE + "progress.txt");
        ImageAudioRender render = render(image, new ImageDimensions(1000, 800), audio, 3,
                FitMode.AUTO, CameraMotion.gentleDefault(), video, thumbnail, progress);
        List<String> command = commands.imageWithAudio(render);
        List<String> thumbnailCommand = commands.thumbnail(render);
        assertThat(thumbnailCommand).containsOnlyOnce(video.toString()).containsOnlyOnce(thumbnail.toString());
        assertThat(thumbnailCommand.get(thumbnailCommand.indexOf(video.toString()) - 1)).isEqualTo("-i");
        assertThat(FfmpegCommands.thumbnail(render.ffmpeg(), video, thumbnail)).isEqualTo(thumbnailCommand);

        List<String> paths = List.of(image.toString(), audio.toString(), video.toString(), progress.toString());
        for (String path : paths) {
            assertThat(command).as(path).containsOnlyOnce(path);
        }
        List<String> others = new ArrayList<>(command);
        others.removeAll(paths);
        assertThat(others).noneMatch(argument -> argument.contains("it's") || argument.contains(dir.toString()));
        assertThat(command.get(0)).isEqualTo(Fixtures.FFMPEG);
        // Each path is preceded by the option that consumes it.
        assertThat(command.get(command.indexOf(image.toString()) - 1)).isEqualTo("-i");
        assertThat(command.get(command.indexOf(audio.toString()) - 1)).isEqualTo("-i");
        assertThat(command.get(command.indexOf(progress.toString()) - 1)).isEqualTo("-progress");
        assertThat(command).containsSubsequence("-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-progress", progress.toString(), "-nostats");
        assertThat(command).containsSubsequence("-c:v", "libx264", "-preset", "veryfast", "-crf", "20",
                "-pix_fmt", "yuv420p");
        assertThat(command).containsSubsequence("-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2",
                "-t", "3.000000", "-movflags", "+faststart");
    }

    @Test
    void filterGraphUsesOnlyComputedNumbers() {
        List<String> command = commands.imageWithAudio(render(dir.resolve("i.png"), new ImageDimensions(1000, 800),
                dir.resolve("a.wav"), 3, FitMode.COVER, CameraMotion.gentleDefault(), dir.resolve("o.mp4"),
                dir.resolve("t.jpg"), dir.resolve("p.txt")));
        String graph = command.get(command.indexOf("-filter_complex") + 1);

        // 1000x800 covering 1280x720: scale to 1280x1024, crop 152 off top and bottom; 91 frames at 30 fps.
        String zoom = "(1+0.080000*(on-1)/90)";
        String left = "((W-W/" + zoom + ")/2+0.5/" + zoom + "-0.5)";
        String top = "((H-H/" + zoom + ")/2+0.5/" + zoom + "-0.5)";
        String right = "(" + left + "+W/" + zoom + ")";
        String bottom = "(" + top + "+H/" + zoom + ")";
        assertThat(graph).isEqualTo("[0:v]scale=1280:1024:flags=lanczos:out_color_matrix=bt709:out_range=tv,setsar=1,crop=1280:720:0:152,format=yuv420p,"
                + "loop=loop=90:size=1:start=0,setpts=N/30/TB,"
                + "perspective=x0=" + left + ":y0=" + top + ":x1=" + right + ":y1=" + top + ":x2=" + left
                + ":y2=" + bottom + ":x3=" + right + ":y3=" + bottom + ":interpolation=linear:eval=frame,"
                + "setsar=1[video]");
        assertThat(graph).matches("[\\[\\]0-9a-zA-Z_:;=,.+\\-*/()]+"); // no quotes, spaces, $, %
    }

    @Test
    void staticMotionOnlyRepeatsTheFittedFrame() {
        List<String> command = commands.imageWithAudio(render(dir.resolve("i.png"), new ImageDimensions(720, 1280),
                dir.resolve("a.wav"), 2, FitMode.CONTAIN, CameraMotion.none(), dir.resolve("o.mp4"),
                dir.resolve("t.jpg"), dir.resolve("p.txt")));
        String graph = command.get(command.indexOf("-filter_complex") + 1);

        assertThat(graph).isEqualTo("[0:v]scale=404:720:flags=lanczos:out_color_matrix=bt709:out_range=tv,setsar=1,pad=1280:720:438:0:color=black,"
                + "format=yuv420p,loop=loop=60:size=1:start=0,setpts=N/30/TB,setsar=1[video]");
    }

    @Test
    void rejectsOutOfBoundsInput() {
        ImageDimensions image = new ImageDimensions(1000, 800);
        assertThatThrownBy(() -> commands.imageWithAudio(render(dir.resolve("i.png"), image, dir.resolve("a.wav"),
                0, FitMode.AUTO, CameraMotion.none(), dir.resolve("o"), dir.resolve("t"), dir.resolve("p"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> commands.imageWithAudio(render(dir.resolve("i.png"), image, dir.resolve("a.wav"),
                Double.NaN, FitMode.AUTO, CameraMotion.none(), dir.resolve("o"), dir.resolve("t"), dir.resolve("p"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> commands.imageWithAudio(render(dir.resolve("i.png"), new ImageDimensions(20_000, 20_000),
                dir.resolve("a.wav"), 3, FitMode.AUTO, CameraMotion.none(), dir.resolve("o"), dir.resolve("t"),
                dir.resolve("p")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CameraMotion(CameraMotion.Kind.ZOOM_IN, 0.6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RenderSize(1281, 720)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RenderSize(7680, 4320)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingSizeFitAndMotionUseDefaults() {
        ImageAudioRender withNulls = new ImageAudioRender("ffmpeg", dir.resolve("i.png"), new ImageDimensions(1000, 800),
                dir.resolve("a.wav"), 3, null, 30, null, null, dir.resolve("o.mp4"), dir.resolve("t.jpg"),
                dir.resolve("p.txt"));
        ImageAudioRender explicit = new ImageAudioRender("ffmpeg", dir.resolve("i.png"), new ImageDimensions(1000, 800),
                dir.resolve("a.wav"), 3, RenderSize.DEFAULT, 30, FitMode.AUTO, CameraMotion.gentleDefault(),
                dir.resolve("o.mp4"), dir.resolve("t.jpg"), dir.resolve("p.txt"));

        assertThat(commands.imageWithAudio(withNulls)).isEqualTo(commands.imageWithAudio(explicit));
    }

    // ---- real renders ----

    @Test
    void rendersLandscapeImageWithAudioToFastStartMp4AndThumbnail() throws IOException {
        Path image = Fixtures.image(dir.resolve(HOSTILE + "image.png"), 1000, 800);
        Path audio = Fixtures.sine(dir.resolve(HOSTILE + "audio.wav"), 3);
        Path video = dir.resolve(HOSTILE + "out.mp4");
        Path thumbnail = dir.resolve(HOSTILE + "thumb.jpg");
        Path progress = dir.resolve(HOSTILE + "progress.txt");
        ImageDimensions imageSize = new ImageHeaderReader().read(image, MediaKind.PNG);

        ImageAudioRender render = render(image, imageSize, audio, 3.0, FitMode.COVER,
                CameraMotion.gentleDefault(), video, thumbnail, progress);
        run(commands.imageWithAudio(render));
        run(commands.thumbnail(render));

        ProbeResult result = probe.probe(video);
        assertThat(result.videoCodec()).isEqualTo("h264");
        assertThat(result.audioCodec()).isEqualTo("aac");
        assertThat(result.width()).isEqualTo(1280);
        assertThat(result.height()).isEqualTo(720);
        assertThat(result.fps()).isCloseTo(30, within(0.01));
        assertThat(result.durationSeconds()).isCloseTo(3.0, within(0.2));
        assertThat(Fixtures.streamValue(video, "v:0", "pix_fmt")).isEqualTo("yuv420p");
        assertThat(Fixtures.streamValue(video, "a:0", "sample_rate")).isEqualTo("48000");
        assertThat(Fixtures.streamValue(video, "a:0", "channels")).isEqualTo("2");

        List<String> boxes = Fixtures.topLevelBoxes(video);
        assertThat(boxes).contains("moov", "mdat");
        assertThat(boxes.indexOf("moov")).as("faststart puts moov first: %s", boxes).isLessThan(boxes.indexOf("mdat"));

        assertThat(new MediaSniffer().sniff(thumbnail)).contains(MediaKind.JPEG);
        assertThat(new ImageHeaderReader().read(thumbnail, MediaKind.JPEG)).isEqualTo(new ImageDimensions(1280, 720));
        assertThat(ImageIO.read(thumbnail.toFile())).isNotNull();

        String progressContent = Files.readString(progress);
        assertThat(progressContent).contains("progress=end");
        assertThat(FfmpegProgress.ended(progressContent)).isTrue();
        assertThat(FfmpegProgress.lastOutTimeMicros(progressContent).orElseThrow()).isBetween(2_800_000L, 3_200_000L);
    }

    @Test
    void portraitImageIsPillarboxed() throws IOException {
        Path image = Fixtures.ffmpeg(dir.resolve("portrait.jpg"), "-f", "lavfi", "-i", "color=c=white:s=600x1000",
                "-frames:v", "1");
        Path audio = Fixtures.sine(dir.resolve("audio.m4a"), 1, "-c:a", "aac");
        Path video = dir.resolve("out.mp4");
        Path thumbnail = dir.resolve("thumb.jpg");
        ImageDimensions imageSize = new ImageHeaderReader().read(image, MediaKind.JPEG);
        assertThat(FfmpegCommands.resolveFit(FitMode.AUTO, imageSize, RenderSize.DEFAULT)).isEqualTo(FitMode.CONTAIN);

        ImageAudioRender render = render(image, imageSize, audio, 1.0, FitMode.AUTO,
                CameraMotion.none(), video, thumbnail, dir.resolve("progress.txt"));
        run(commands.imageWithAudio(render));
        run(commands.thumbnail(render));

        ProbeResult result = probe.probe(video);
        assertThat(result.width()).isEqualTo(1280);
        assertThat(result.height()).isEqualTo(720);
        assertThat(result.durationSeconds()).isCloseTo(1.0, within(0.2));
        // 600x1000 fitted into 720 lines is 432 wide: black bars of 424 px left and right.
        BufferedImage frame = ImageIO.read(thumbnail.toFile());
        assertThat(luma(frame.getRGB(200, 360))).isLessThan(20);
        assertThat(luma(frame.getRGB(1080, 360))).isLessThan(20);
        assertThat(luma(frame.getRGB(640, 360))).isGreaterThan(235);
        assertThat(luma(frame.getRGB(640, 5))).isGreaterThan(235);
    }

    @ParameterizedTest
    @EnumSource(CameraMotion.Kind.class)
    void everyMotionRendersWithFfmpeg(CameraMotion.Kind kind) throws IOException {
        Path image = Fixtures.image(dir.resolve("i.png"), 640, 480);
        Path audio = Fixtures.sine(dir.resolve("a.wav"), 1);
        Path video = dir.resolve("o.mp4");

        run(commands.imageWithAudio(new ImageAudioRender(Fixtures.FFMPEG, image, new ImageDimensions(640, 480), audio,
                1.0, new RenderSize(320, 180), 15, FitMode.AUTO, new CameraMotion(kind, 0.5), video,
                dir.resolve("t.jpg"), dir.resolve("p.txt"))));

        ProbeResult result = probe.probe(video);
        assertThat(result.width()).isEqualTo(320);
        assertThat(result.durationSeconds()).isCloseTo(1.0, within(0.2));
    }

    /**
     * The motion path itself: thin lines tracked to a fraction of a pixel in every frame of a real
     * render (x264 included) must stay within 0.5 px of the ideal camera path and never step backwards.
     */
    @ParameterizedTest
    @EnumSource(value = CameraMotion.Kind.class, names = {"ZOOM_IN", "PAN_RIGHT"})
    void motionFollowsTheIdealPathSmoothly(CameraMotion.Kind kind) throws IOException {
        int width = 640;
        int height = 360;
        double seconds = 2;
        int fps = 25;
        CameraMotion motion = new CameraMotion(kind, 0.08);
        // Lines away from the centre (so a zoom moves them) and clear of the other direction's band.
        MotionTracker tracker = new MotionTracker(width, height, new double[] {80.3, 560.7}, new double[] {40.2, 320.6});
        Path image = tracker.writeImage(dir.resolve("lines.png"));
        Path audio = Fixtures.sine(dir.resolve("a.wav"), seconds);
        Path video = dir.resolve("o.mp4");

        run(commands.imageWithAudio(new ImageAudioRender(Fixtures.FFMPEG, image, new ImageDimensions(width, height),
                audio, seconds, new RenderSize(width, height), fps, FitMode.COVER, motion, video,
                dir.resolve("t.jpg"), dir.resolve("p.txt"))));

        MotionTracker.Result result = tracker.track(video, dir, motion, FfmpegCommands.frameCount(seconds, fps));
        assertThat(result.frames()).isEqualTo(50);
        assertThat(result.maxDeviationPx()).as("%s", result).isLessThanOrEqualTo(0.5);
        assertThat(result.backwardSteps()).as("%s", result).isZero();
    }

    // ---- helpers ----

    private static ImageAudioRender render(Path image, ImageDimensions imageSize, Path audio, double seconds,
                                           FitMode fit, CameraMotion motion, Path video, Path thumbnail, Path progress) {
        return new ImageAudioRender(Fixtures.FFMPEG, image, imageSize, audio, seconds, RenderSize.DEFAULT, 30, fit,
                motion, video, thumbnail, progress);
    }

    private static int luma(int rgb) {
        return (int) (0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF));
    }
}
