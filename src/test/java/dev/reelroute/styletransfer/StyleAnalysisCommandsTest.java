package dev.reelroute.styletransfer;

import dev.reelroute.media.InvalidMediaException;
import dev.reelroute.media.ProbeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The analysis command and the parsing of what its run writes, without running ffmpeg. */
class StyleAnalysisCommandsTest {

    @TempDir
    Path dir;

    private final StyleAnalysisCommands commands = new StyleAnalysisCommands(StyleProperties.DEFAULTS);

    private static ProbeResult video(int width, int height, boolean audio) {
        return new ProbeResult(7200, true, audio, width, height, 25, "h264", audio ? "aac" : null, audio ? 2 : 1,
                "mov,mp4,m4a,3gp,3g2,mj2");
    }

    @Test
    void oneProcessReadsAtMostTheConfiguredDurationAndMapsEveryBranch() {
        List<String> command = commands.analyze(new StyleAnalysisRender("ffmpeg", dir.resolve("in.mp4"),
                video(1920, 1080, true), dir, dir.resolve("progress.txt")));

        assertThat(command.subList(command.indexOf("-t"), command.indexOf("-t") + 2)).containsExactly("-t",
                "600.000000");
        assertThat(command.indexOf("-t")).isLessThan(command.indexOf("-i"));
        assertThat(command).containsSubsequence("-progress", dir.resolve("progress.txt").toString());
        String graph = command.get(command.indexOf("-filter_complex") + 1);
        assertThat(graph).startsWith("[0:v:0]scale=320:180:flags=fast_bilinear,scale=320:180:out_color_matrix=bt709:out_range=tv,")
                .contains("scdet=threshold=10.000000", "fps=fps=4.000000,signalstats", "scale=64:36:",
                        "ebur128=peak=true:metadata=1");
        assertThat(command).containsSubsequence("-map", "[motion]", "-map", "[loudness]", "-f", "null", "-",
                "-map", "[pixels]");
        assertThat(command.get(command.size() - 1)).isEqualTo(dir.resolve(StyleAnalysisCommands.PIXELS_FILE)
                .toString());
        assertThat(commands.analysedSeconds(video(1920, 1080, true))).isEqualTo(600);
    }

    @Test
    void withoutAudioThereIsNoLoudnessBranch() {
        List<String> command = commands.analyze(new StyleAnalysisRender("ffmpeg", dir.resolve("in.mp4"),
                video(720, 1280, false), dir, dir.resolve("progress.txt")));

        String graph = command.get(command.indexOf("-filter_complex") + 1);
        assertThat(graph).doesNotContain("ebur128").contains("scale=320:568:", "scale=36:64:");
        assertThat(command).doesNotContain("[loudness]");
    }

    @Test
    void smallVideosAreNotScaledUpAndVideoIsRequired() {
        assertThat(StyleAnalysisCommands.Sizes.of(video(160, 90, false), 320))
                .isEqualTo(new StyleAnalysisCommands.Sizes(160, 90, 64, 36));
        ProbeResult audioOnly = new ProbeResult(3, false, true, 0, 0, 0, null, "aac", 1, "mp3");
        assertThatThrownBy(() -> commands.analyze(new StyleAnalysisRender("ffmpeg", dir.resolve("in.mp3"), audioOnly,
                dir, dir.resolve("progress.txt")))).isInstanceOf(InvalidMediaException.class);
    }

    @Test
    void metadataFilesAreReadFrameByFrame() throws IOException {
        Path file = Files.writeString(dir.resolve("meta.txt"), """
                frame:0    pts:0       pts_time:0
                lavfi.r128.I=-70.000
                lavfi.r128.true_peak=0.000
                frame:1    pts:4800    pts_time:0.1
                lavfi.r128.I=-inf
                lavfi.r128.true_peak=nan
                frame:2    pts:9600    pts_time:0.2
                lavfi.r128.I=-14.25
                lavfi.r128.LRA=3.5
                lavfi.r128.true_peak=0.5
                """);
        List<FrameMetadataFile.Frame> frames = new ArrayList<>();
        FrameMetadataFile.forEachFrame(file, frames::add);

        assertThat(frames).hasSize(3);
        assertThat(frames.get(2).ptsTime()).isEqualTo(0.2);
        assertThat(frames.get(1).number("lavfi.r128.I")).isNaN();
        assertThat(frames.get(1).number("lavfi.r128.missing")).isNaN();
        StyleJson.Audio audio = StyleMeasurements.audio(file);
        assertThat(audio).isEqualTo(new StyleJson.Audio(-14.25, 3.5, -6.02));
        FrameMetadataFile.forEachFrame(dir.resolve("absent.txt"), frame -> {
            throw new AssertionError("no frames in a file that does not exist");
        });
        assertThat(StyleMeasurements.audio(dir.resolve("absent.txt"))).isNull();
    }

    @Test
    void motionAndCutsComeFromTheScdetPrints() throws IOException {
        Path motion = Files.writeString(dir.resolve("motion.txt"), """
                frame:0    pts:0       pts_time:0
                lavfi.scd.mafd=0.000
                frame:1    pts:1       pts_time:0.04
                lavfi.scd.mafd=2.000
                frame:2    pts:2       pts_time:0.08
                lavfi.scd.mafd=4.000
                """);
        Path cuts = Files.writeString(dir.resolve("cuts.txt"), """
                frame:25   pts:25      pts_time:1
                lavfi.scd.time=1
                """);

        StyleJson.Motion measured = StyleMeasurements.motion(motion, cuts, 30);
        assertThat(measured.meanMotion()).as("the first frame has nothing to differ from").isEqualTo(0.03);
        assertThat(measured.cutsPerMinute()).isEqualTo(2);
        assertThat(measured.averageShotSeconds()).isEqualTo(15);
        assertThat(StyleMeasurements.motion(motion, cuts, 0).averageShotSeconds())
                .as("duration unknown: up to the last frame").isEqualTo(0.04);
    }

    @Test
    void pixelSampleFindsTheDominantHueAndPalette() {
        PixelSample reds = new PixelSample();
        for (int i = 0; i < 600; i++) {
            reds.add(220, 30, 40);
        }
        for (int i = 0; i < 300; i++) {
            reds.add(30, 40, 200);
        }
        for (int i = 0; i < 100; i++) {
            reds.add(128, 128, 128);
        }

        assertThat(reds.palette()).containsExactly("#dc1e28", "#1e28c8", "#808080");
        // Vivid red outweighs blue: the mean lies on the red side of the wheel, between red and magenta.
        assertThat(reds.hue()).isBetween(300.0, 360.0);

        PixelSample greys = new PixelSample();
        for (int v = 0; v < 256; v++) {
            greys.add(v, v, v);
        }
        assertThat(greys.hue()).as("no saturated pixel, no hue").isNull();
        assertThat(greys.palette()).hasSize(PixelSample.PALETTE_SIZE);

        PixelSample wheel = new PixelSample();
        for (int[] rgb : new int[][] {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}}) {
            wheel.add(rgb[0], rgb[1], rgb[2]);
        }
        assertThat(wheel.hue()).as("hues all around the wheel cancel out").isNull();
        assertThat(PixelSample.hueDegrees(255, 128, 0, 255, 255)).isCloseTo(30.1, within(0.1));
    }
}
