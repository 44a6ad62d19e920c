package dev.reelroute.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class MediaSnifferTest {

    @TempDir
    Path dir;

    private final MediaSniffer sniffer = new MediaSniffer();

    /** Every fixture gets a misleading ".bin" name: the sniffer must decide from the bytes alone. */
    private Path misnamed(Path file) throws IOException {
        return Files.move(file, dir.resolve(file.getFileName() + ".bin"));
    }

    @Test
    void detectsImages() throws IOException {
        assertThat(sniffer.sniff(misnamed(Fixtures.image(dir.resolve("a.jpg"), 64, 48)))).contains(MediaKind.JPEG);
        assertThat(sniffer.sniff(misnamed(Fixtures.image(dir.resolve("a.png"), 64, 48)))).contains(MediaKind.PNG);
        assertThat(sniffer.sniff(misnamed(Fixtures.image(dir.resolve("a.webp"), 64, 48, "-c:v", "libwebp"))))
                .contains(MediaKind.WEBP);
    }

    @Test
    void detectsAudio() throws IOException {
        assertThat(sniffer.sniff(misnamed(Fixtures.sine(dir.resolve("a.mp3"), 1)))).contains(MediaKind.MP3);
        assertThat(sniffer.sniff(misnamed(Fixtures.sine(dir.resolve("a.wav"), 1)))).contains(MediaKind.WAV);
        assertThat(sniffer.sniff(misnamed(Fixtures.sine(dir.resolve("a.m4a"), 1, "-c:a", "aac"))))
                .contains(MediaKind.M4A);
        assertThat(sniffer.sniff(misnamed(Fixtures.sine(dir.resolve("vorbis.ogg"), 1, "-c:a", "vorbis", "-strict", "-2"))))
                .contains(MediaKind.OGG);
        assertThat(sniffer.sniff(misnamed(Fixtures.sine(dir.resolve("opus.ogg"), 1, "-c:a", "libopus"))))
                .contains(MediaKind.OGG);
    }

    @Test
    void audioOnlyMp4WithIsomBrandCountsAsM4a() throws IOException {
        Path audioOnlyMp4 = Fixtures.sine(dir.resolve("audio.mp4"), 1, "-c:a", "aac", "-f", "mp4");
        assertThat(Files.readAllBytes(audioOnlyMp4)).containsSequence("ftypisom".getBytes());

        assertThat(sniffer.sniff(misnamed(audioOnlyMp4))).contains(MediaKind.M4A);
    }

    @Test
    void detectsVideoContainers() throws IOException {
        assertThat(sniffer.sniff(misnamed(Fixtures.video(dir.resolve("a.mp4"), "-c:v", "libx264", "-c:a", "aac"))))
                .contains(MediaKind.MP4);
        assertThat(sniffer.sniff(misnamed(Fixtures.video(dir.resolve("a.mov"), "-c:v", "libx264", "-c:a", "aac"))))
                .contains(MediaKind.MOV);
        assertThat(sniffer.sniff(misnamed(Fixtures.video(dir.resolve("a.webm"), "-c:v", "libvpx-vp9",
                "-deadline", "realtime", "-c:a", "libopus")))).contains(MediaKind.WEBM);
        assertThat(sniffer.sniff(misnamed(Fixtures.video(dir.resolve("a.mkv"), "-c:v", "libx264", "-c:a", "aac"))))
                .contains(MediaKind.MKV);
    }

    @Test
    void videoMp4WithMoovAtTheStartIsStillMp4() throws IOException {
        Path fastStart = Fixtures.video(dir.resolve("fast.mp4"), "-c:v", "libx264", "-c:a", "aac",
                "-movflags", "+faststart");
        assertThat(sniffer.sniff(fastStart)).contains(MediaKind.MP4);
    }

    @Test
    void textFileNamedPngIsUnknown() throws IOException {
        Path fake = Files.writeString(dir.resolve("photo.png"), "definitely not a picture\n");
        assertThat(sniffer.sniff(fake)).isEmpty();
    }

    @Test
    void zeroByteFileIsUnknown() throws IOException {
        assertThat(sniffer.sniff(Files.createFile(dir.resolve("empty.mp4")))).isEmpty();
    }

    @Test
    void oggWithVideoIsNotAccepted() throws IOException {
        // VP8 in Ogg: an encoder every ffmpeg build here has (the bundled one has no libtheora)
        Path video = Fixtures.ffmpeg(dir.resolve("v.ogv"), "-f", "lavfi", "-i", "testsrc2=s=64x48:duration=0.2",
                "-c:v", "libvpx", "-deadline", "realtime", "-f", "ogg");
        assertThat(sniffer.sniff(video)).isEmpty();
    }

    @Test
    void truncatedIsoHeaderIsUnknown() throws IOException {
        Path stub = Files.write(dir.resolve("stub"), new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p'});
        assertThat(sniffer.sniff(stub)).isEmpty();
    }
}
