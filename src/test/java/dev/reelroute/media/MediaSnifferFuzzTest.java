package dev.reelroute.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Any bytes an upload may hold: the sniffer names a kind or none, never throws, and a kind it names starts with
 * that container's signature. Without JAZZER_FUZZ this replays the committed inputs under
 * src/test/resources/dev/reelroute/media/MediaSnifferFuzzTestInputs.
 */
class MediaSnifferFuzzTest {
    private static final MediaSniffer SNIFFER = new MediaSniffer();
    private static final Path FILE = FuzzFiles.scratch("sniff");

    @FuzzTest(maxDuration = "10m")
    void sniffNamesAKindOrNone(byte[] upload) throws Exception {
        Optional<MediaKind> kind = SNIFFER.sniff(FuzzFiles.write(FILE, upload));
        assertThat(kind).isNotNull();
        kind.ifPresent(found -> {
            switch (found) {
                case MP4, MOV, M4A -> assertThat(ascii(upload, 4, 8)).isEqualTo("ftyp");
                case WEBM, MKV -> assertThat(Arrays.copyOf(upload, 4))
                        .isEqualTo(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3});
                case OGG -> assertThat(ascii(upload, 0, 4)).isEqualTo("OggS");
                case PNG -> assertThat(ascii(upload, 1, 4)).isEqualTo("PNG");
                case JPEG -> assertThat(upload[0] & 0xFF).isEqualTo(0xFF);
                default -> assertThat(upload).isNotEmpty();
            }
        });
    }

    private static String ascii(byte[] bytes, int from, int to) {
        return new String(Arrays.copyOfRange(bytes, from, Math.max(from, Math.min(to, bytes.length))),
                StandardCharsets.ISO_8859_1);
    }
}
