package dev.reelroute.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The image header reader on any bytes: dimensions within what the format can declare, or an
 * {@link InvalidMediaException}; nothing else. The first byte picks the kind the sniffer would have named (PNG, JPEG,
 * WebP), the rest is the file.
 */
class ImageHeaderReaderFuzzTest {
    private static final MediaKind[] KINDS = {MediaKind.PNG, MediaKind.JPEG, MediaKind.WEBP};
    private static final ImageHeaderReader READER = new ImageHeaderReader();
    private static final Path FILE = FuzzFiles.scratch("image-header");

    @FuzzTest(maxDuration = "10m")
    void readGivesBoundedDimensionsOrInvalidMedia(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        MediaKind kind = KINDS[Byte.toUnsignedInt(input[0]) % KINDS.length];
        ImageDimensions size;
        try {
            size = READER.read(FuzzFiles.write(FILE, Arrays.copyOfRange(input, 1, input.length)), kind);
        } catch (InvalidMediaException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        long max = switch (kind) {
            case PNG -> Integer.MAX_VALUE;
            case JPEG -> 0xFFFF;
            default -> 1 << 24;
        };
        assertThat(size.width()).isBetween(1, (int) max);
        assertThat(size.height()).isBetween(1, (int) max);
    }
}
