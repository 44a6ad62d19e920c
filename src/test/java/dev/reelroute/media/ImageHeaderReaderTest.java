package dev.reelroute.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageHeaderReaderTest {

    @TempDir
    Path dir;

    private final ImageHeaderReader reader = new ImageHeaderReader();

    @Test
    void readsPng() throws IOException {
        Path png = Fixtures.image(dir.resolve("a.png"), 321, 123);
        assertThat(reader.read(png, MediaKind.PNG)).isEqualTo(new ImageDimensions(321, 123));
    }

    @Test
    void readsBaselineJpeg() throws IOException {
        Path jpeg = Fixtures.image(dir.resolve("a.jpg"), 322, 124);
        assertThat(reader.read(jpeg, MediaKind.JPEG)).isEqualTo(new ImageDimensions(322, 124));
    }

    @Test
    void readsJpegAfterLargeApplicationSegments() throws IOException {
        // ~60 KB of EXIF-like APP1 payload before the frame header, like a phone photo.
        Path jpeg = Fixtures.image(dir.resolve("a.jpg"), 200, 100);
        byte[] original = Files.readAllBytes(jpeg);
        byte[] app1 = new byte[60_000];
        app1[0] = (byte) 0xFF;
        app1[1] = (byte) 0xE1;
        app1[2] = (byte) ((app1.length - 2) >> 8);
        app1[3] = (byte) (app1.length - 2);
        ByteBuffer withExif = ByteBuffer.allocate(original.length + app1.length)
                .put(original, 0, 2).put(app1).put(original, 2, original.length - 2);
        Path padded = Files.write(dir.resolve("exif.jpg"), withExif.array());

        assertThat(reader.read(padded, MediaKind.JPEG)).isEqualTo(new ImageDimensions(200, 100));
    }

    @Test
    void readsLossyWebp() throws IOException {
        Path webp = Fixtures.image(dir.resolve("lossy.webp"), 301, 151, "-c:v", "libwebp", "-lossless", "0");
        assertThat(new String(Files.readAllBytes(webp), 12, 4)).isEqualTo("VP8 ");
        assertThat(reader.read(webp, MediaKind.WEBP)).isEqualTo(new ImageDimensions(301, 151));
    }

    @Test
    void readsLosslessWebp() throws IOException {
        Path webp = Fixtures.image(dir.resolve("lossless.webp"), 303, 153, "-c:v", "libwebp", "-lossless", "1");
        assertThat(new String(Files.readAllBytes(webp), 12, 4)).isEqualTo("VP8L");
        assertThat(reader.read(webp, MediaKind.WEBP)).isEqualTo(new ImageDimensions(303, 153));
    }

    @Test
    void readsExtendedWebp() throws IOException {
        // An alpha channel makes libwebp write a VP8X header followed by ALPH and VP8 chunks.
        Path webp = Fixtures.ffmpeg(dir.resolve("alpha.webp"), "-f", "lavfi", "-i",
                "color=c=red@0.5:s=305x155,format=rgba", "-frames:v", "1", "-c:v", "libwebp", "-lossless", "0");
        assertThat(new String(Files.readAllBytes(webp), 12, 4)).isEqualTo("VP8X");
        assertThat(reader.read(webp, MediaKind.WEBP)).isEqualTo(new ImageDimensions(305, 155));
    }

    @Test
    void readsHugeDeclaredPngSizeWithoutDecoding() throws IOException {
        // Only the signature and IHDR: a decoder would try to allocate 10^10 pixels.
        ByteBuffer header = ByteBuffer.allocate(33)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
                .putInt(13).put("IHDR".getBytes())
                .putInt(100_000).putInt(100_000)
                .put(new byte[] {8, 2, 0, 0, 0}).putInt(0);
        Path bomb = Files.write(dir.resolve("bomb.png"), header.array());

        assertThat(reader.read(bomb, MediaKind.PNG)).isEqualTo(new ImageDimensions(100_000, 100_000));
    }

    @Test
    void truncatedPngIsInvalid() throws IOException {
        Path png = Fixtures.image(dir.resolve("a.png"), 64, 48);
        Path truncated = Files.write(dir.resolve("t.png"), Arrays.copyOf(Files.readAllBytes(png), 20));
        assertThatThrownBy(() -> reader.read(truncated, MediaKind.PNG)).isInstanceOf(InvalidMediaException.class);
    }

    @Test
    void truncatedJpegIsInvalid() throws IOException {
        Path jpeg = Fixtures.image(dir.resolve("a.jpg"), 64, 48);
        byte[] bytes = Files.readAllBytes(jpeg);
        int frameHeader = indexOfSof(bytes);
        Path truncated = Files.write(dir.resolve("t.jpg"), Arrays.copyOf(bytes, frameHeader + 4));
        assertThatThrownBy(() -> reader.read(truncated, MediaKind.JPEG)).isInstanceOf(InvalidMediaException.class);
    }

    @Test
    void truncatedWebpIsInvalid() throws IOException {
        Path webp = Fixtures.image(dir.resolve("a.webp"), 64, 48, "-c:v", "libwebp");
        Path truncated = Files.write(dir.resolve("t.webp"), Arrays.copyOf(Files.readAllBytes(webp), 24));
        assertThatThrownBy(() -> reader.read(truncated, MediaKind.WEBP)).isInstanceOf(InvalidMediaException.class);
    }

    @Test
    void jpegWithoutFrameHeaderInScanBudgetIsInvalid() throws IOException {
        // SOI followed by APP segments of maximal length, never a frame header.
        ByteBuffer bytes = ByteBuffer.allocate(2 + 20 * 65_537);
        bytes.put((byte) 0xFF).put((byte) 0xD8);
        for (int i = 0; i < 20; i++) {
            bytes.put((byte) 0xFF).put((byte) 0xE2).putShort((short) 0xFFFF).put(new byte[65_533]);
        }
        Path endless = Files.write(dir.resolve("endless.jpg"), bytes.array());
        assertThatThrownBy(() -> reader.read(endless, MediaKind.JPEG))
                .isInstanceOf(InvalidMediaException.class)
                .hasMessageContaining("first " + ImageHeaderReader.JPEG_SCAN_LIMIT_BYTES);
    }

    @Test
    void wrongKindIsInvalid() throws IOException {
        Path png = Fixtures.image(dir.resolve("a.png"), 64, 48);
        assertThatThrownBy(() -> reader.read(png, MediaKind.JPEG)).isInstanceOf(InvalidMediaException.class);
        assertThatThrownBy(() -> reader.read(png, MediaKind.WEBP)).isInstanceOf(InvalidMediaException.class);
    }

    @Test
    void nonImageKindIsRejected() throws IOException {
        Path png = Fixtures.image(dir.resolve("a.png"), 64, 48);
        assertThatThrownBy(() -> reader.read(png, MediaKind.MP4)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int indexOfSof(byte[] bytes) {
        for (int i = 2; i < bytes.length - 1; i++) {
            if ((bytes[i] & 0xFF) == 0xFF && ((bytes[i + 1] & 0xFF) == 0xC0 || (bytes[i + 1] & 0xFF) == 0xC2)) {
                return i;
            }
        }
        throw new AssertionError("no SOF marker");
    }
}
