package dev.reelroute.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CameraWarp's frames against FFmpeg's own: the same picture fitted by FFmpeg, then moved by {@code perspective}
 * (the filter graph {@link FfmpegCommands#stillChain} writes) and by CameraWarp, compared sample for sample.
 */
class CameraWarpTest {

    private static final RenderSize SIZE = new RenderSize(320, 180);
    private static final int FRAMES = 12;
    /** Frames 30..41 of a 50-frame path, as the part of a clip after its first crossfade. */
    private static final int FIRST_FRAME = 30;
    private static final int PATH_FRAMES = 50;

    @TempDir
    static Path dir;

    @ParameterizedTest
    @EnumSource(CameraMotion.Kind.class)
    void framesEqualPerspectives(CameraMotion.Kind kind) throws IOException {
        CameraMotion motion = new CameraMotion(kind, 0.37);
        Path image = Fixtures.image(dir.resolve(kind + ".png"), 400, 250);
        ImageDimensions dimensions = new ImageDimensions(400, 250);
        byte[] canvas = raw(image, dimensions, CameraMotion.none(), 0, 1, kind + "-canvas.yuv");
        byte[] ffmpeg = raw(image, dimensions, motion, FIRST_FRAME, FRAMES, kind + "-perspective.yuv");

        CameraWarp warp = new CameraWarp(SIZE);
        byte[] frame = new byte[warp.frameBytes()];
        assertThat(ffmpeg).hasSize(FRAMES * frame.length);
        int differing = 0;
        int largest = 0;
        for (int n = 0; n < FRAMES; n++) {
            warp.frame(canvas, motion, FIRST_FRAME + n, PATH_FRAMES, frame);
            byte[] expected = Arrays.copyOfRange(ffmpeg, n * frame.length, (n + 1) * frame.length);
            for (int i = 0; i < frame.length; i++) {
                int difference = Math.abs((frame[i] & 0xFF) - (expected[i] & 0xFF));
                if (difference > 0) {
                    differing++;
                    largest = Math.max(largest, difference);
                }
            }
        }
        assertThat(differing).as("samples that differ from perspective's, largest by %d", largest).isZero();
        if (!motion.isStatic()) {
            warp.frame(canvas, motion, FIRST_FRAME, PATH_FRAMES, frame);
            assertThat(frame).as("the camera moved").isNotEqualTo(canvas);
        }
    }

    /** {@code count} frames of the still chain FFmpeg renders for {@code motion}, raw yuv420p. */
    private static byte[] raw(Path image, ImageDimensions dimensions, CameraMotion motion, int firstFrame, int count,
                              String name) throws IOException {
        String chain = FfmpegCommands.stillChain(0, dimensions, FitMode.COVER, SIZE, 25, motion, firstFrame, count,
                PATH_FRAMES);
        Path output = Fixtures.ffmpeg(dir.resolve(name), "-i", image.toString(), "-filter_complex",
                chain + "[video]", "-map", "[video]", "-frames:v", Integer.toString(count), "-f", "rawvideo",
                "-pix_fmt", "yuv420p");
        return Files.readAllBytes(output);
    }
}
