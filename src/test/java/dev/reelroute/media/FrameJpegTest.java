package dev.reelroute.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameJpegTest {
    private static final RenderSize SIZE = new RenderSize(320, 180);

    @TempDir
    Path dir;

    @Test
    void aFrameBecomesAJpegAsFaithfulAsFfmpegsThumbnailOfIt() throws IOException {
        // a BT.709 limited-range frame, as every render encodes, and its RGB with the chroma interpolated
        Path frame = Fixtures.ffmpeg(dir.resolve("frame.yuv"), "-f", "lavfi", "-i", "testsrc2=s=320x180",
                "-vf", "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p", "-frames:v", "1",
                "-f", "rawvideo");
        byte[] reference = Files.readAllBytes(Fixtures.ffmpeg(dir.resolve("frame.rgb"), "-f", "rawvideo",
                "-pix_fmt", "yuv420p", "-s", "320x180", "-i", frame.toString(), "-vf",
                "scale=in_color_matrix=bt709:in_range=tv:out_range=pc:flags=bilinear+full_chroma_int+accurate_rnd,"
                        + "format=rgb24", "-f", "rawvideo"));
        // the thumbnail FFmpeg writes of it (FfmpegCommands.thumbnail's encoder and quality)
        Path ffmpegs = Fixtures.ffmpeg(dir.resolve("ffmpeg.jpg"), "-f", "rawvideo", "-pix_fmt", "yuv420p",
                "-s", "320x180", "-color_range", "tv", "-colorspace", "bt709", "-i", frame.toString(),
                "-c:v", "mjpeg", "-q:v", "2", "-update", "1", "-f", "image2");
        Path ours = dir.resolve("thumbnail.jpg");

        FrameJpeg.write(Files.readAllBytes(frame), SIZE, ours);

        BufferedImage image = ImageIO.read(ours.toFile());
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(180);
        double oursPsnr = psnr(image, reference);
        double ffmpegsPsnr = psnr(ImageIO.read(ffmpegs.toFile()), reference);
        assertThat(oursPsnr).as("PSNR of ours, dB (FFmpeg's: %.1f)", ffmpegsPsnr).isGreaterThan(ffmpegsPsnr - 1);
    }

    private static double psnr(BufferedImage image, byte[] reference) {
        double squared = 0;
        for (int y = 0; y < 180; y++) {
            for (int x = 0; x < 320; x++) {
                int pixel = image.getRGB(x, y);
                int at = (y * 320 + x) * 3;
                for (int c = 0; c < 3; c++) {
                    int difference = (pixel >> (16 - 8 * c) & 0xFF) - (reference[at + c] & 0xFF);
                    squared += difference * difference;
                }
            }
        }
        return 10 * Math.log10(255.0 * 255 / (squared / (320 * 180 * 3)));
    }

    @Test
    void onlyAWholeFrameIsTaken() {
        assertThatThrownBy(() -> FrameJpeg.write(new byte[100], SIZE, dir.resolve("no.jpg")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("no.jpg")).doesNotExist();
    }
}
