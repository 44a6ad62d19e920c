package dev.reelroute.media;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelroute.support.TestMedia;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files ffmpeg made are complete; the same files cut short, garbled or with lying sizes are not. */
class MediaCompletenessTest {
    @TempDir
    Path dir;

    private Path made(String name, String... args) throws Exception {
        Path file = dir.resolve(name);
        String[] command = Arrays.copyOf(args, args.length + 1);
        command[args.length] = file.toString();
        TestMedia.ffmpeg(command);
        return file;
    }

    private Path image(String name) throws Exception {
        return made(name, "-f", "lavfi", "-i", "testsrc2=size=64x48:duration=1", "-frames:v", "1");
    }

    private Path cut(Path file, int keep) throws Exception {
        Path cut = dir.resolve("cut-" + file.getFileName());
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(file), keep));
        return cut;
    }

    @Test
    void wholeImagesPassAndCutOnesDoNot() throws Exception {
        for (var entry : java.util.Map.of("a.png", MediaKind.PNG, "a.jpg", MediaKind.JPEG, "a.webp",
                MediaKind.WEBP).entrySet()) {
            Path whole = image(entry.getKey());
            assertThatCode(() -> MediaCompleteness.image(whole, entry.getValue())).doesNotThrowAnyException();
            Path cut = cut(whole, (int) Files.size(whole) - 20);
            assertThatThrownBy(() -> MediaCompleteness.image(cut, entry.getValue()))
                    .isInstanceOf(InvalidMediaException.class);
        }
    }

    @Test
    void aJpegWithACameraTrailerAfterItsEndIsWhole() throws Exception {
        Path jpeg = image("trailer.jpg");
        byte[] trailer = "SEFT trailer data with no end marker".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(jpeg, trailer, java.nio.file.StandardOpenOption.APPEND);
        assertThatCode(() -> MediaCompleteness.image(jpeg, MediaKind.JPEG)).doesNotThrowAnyException();
    }

    @Test
    void aPngWithOneFlippedByteFailsItsChecksum() throws Exception {
        Path png = image("flip.png");
        byte[] bytes = Files.readAllBytes(png);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(png, bytes);
        assertThatThrownBy(() -> MediaCompleteness.image(png, MediaKind.PNG)).hasMessageContaining("checksum");
    }

    @Test
    void aWavWhoseDataChunkClaimsMoreThanTheFileIsRefused() throws Exception {
        Path wav = made("a.wav", "-f", "lavfi", "-i", "sine=duration=1", "-ar", "8000");
        assertThatCode(() -> MediaCompleteness.audio(wav, MediaKind.WAV, 1.0)).doesNotThrowAnyException();
        byte[] bytes = Files.readAllBytes(wav);
        int data = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("data");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(data + 4, 0x7FFFFFFF);
        Files.write(wav, bytes);
        assertThatThrownBy(() -> MediaCompleteness.audio(wav, MediaKind.WAV, 1.0)).hasMessageContaining("data chunk");
    }

    @Test
    void anMp3UnderTheLowestMp3BitrateForItsLengthIsRefused() throws Exception {
        Path mp3 = made("a.mp3", "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "libmp3lame", "-b:a", "32k");
        assertThatCode(() -> MediaCompleteness.audio(mp3, MediaKind.MP3, 2.0)).doesNotThrowAnyException();
        // the same bytes, claimed (by a lying Xing header, say) to last an hour
        assertThatThrownBy(() -> MediaCompleteness.audio(mp3, MediaKind.MP3, 3600))
                .hasMessageContaining("claims 3600 s");
    }

    @Test
    void silentAacIsNotJudgedByItsBitrate() throws Exception {
        // ffmpeg's AAC encoder spends about 4 kbit/s on silence: a real file, not a lie
        Path silence = made("silence.m4a", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "5");
        assertThatCode(() -> MediaCompleteness.audio(silence, MediaKind.M4A, 5.0)).doesNotThrowAnyException();
        assertThatCode(() -> MediaCompleteness.audio(silence, MediaKind.M4A, 60.0)).doesNotThrowAnyException();
    }
}
