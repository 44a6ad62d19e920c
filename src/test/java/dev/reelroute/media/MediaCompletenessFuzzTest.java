package dev.reelroute.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The completeness checks on any bytes: they pass or throw {@link InvalidMediaException} with a message, nothing else.
 * The first byte picks the kind (PNG, JPEG, WebP, WAV, MP3), the next two a claimed MP3 duration, the rest is the file.
 */
class MediaCompletenessFuzzTest {
    private static final MediaKind[] KINDS = {MediaKind.PNG, MediaKind.JPEG, MediaKind.WEBP, MediaKind.WAV,
            MediaKind.MP3};
    private static final Path FILE = FuzzFiles.scratch("completeness");

    @FuzzTest(maxDuration = "10m")
    void checksPassOrRefuseWithInvalidMedia(byte[] input) throws Exception {
        if (input.length < 3) {
            return;
        }
        MediaKind kind = KINDS[Byte.toUnsignedInt(input[0]) % KINDS.length];
        double claimedSeconds = ((input[1] & 0xFF) << 8 | (input[2] & 0xFF)) / 10.0;
        Path file = FuzzFiles.write(FILE, Arrays.copyOfRange(input, 3, input.length));
        try {
            if (kind.isImage()) {
                MediaCompleteness.image(file, kind);
            } else {
                MediaCompleteness.audio(file, kind, claimedSeconds);
            }
        } catch (InvalidMediaException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
