package dev.reelroute.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Probing without ffprobe (the bundled static build has none): ffmpeg's own summary of its input must tell the
 * service what ffprobe's JSON tells it, for every kind of file users send.
 */
class FfmpegInputSummaryTest {

    @TempDir
    Path dir;

    private final MediaProbe ffprobe = new MediaProbe(new FfmpegBinaries(Fixtures.FFMPEG, Fixtures.FFPROBE));
    private final String bundledFfmpeg = FfmpegBinaries.bundledOnly().ffmpeg();

    @Test
    void videoWithAudioReadsAsFfprobeReadsIt() throws IOException {
        assertAlike(Fixtures.ffmpeg(dir.resolve("a.mp4"), "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30000/1001",
                "-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", "-c:v", "libx264", "-c:a", "aac", "-shortest"));
    }

    @Test
    void audioFilesReadAsFfprobeReadsThem() throws IOException {
        assertAlike(Fixtures.sine(dir.resolve("a.wav"), 2.5));
        assertAlike(Fixtures.ffmpeg(dir.resolve("a.mp3"), "-f", "lavfi", "-i", "sine=frequency=330", "-t", "3"));
        assertAlike(Fixtures.ffmpeg(dir.resolve("a.m4a"), "-f", "lavfi", "-i", "sine=frequency=330", "-t", "1.5",
                "-c:a", "aac"));
        assertAlike(Fixtures.ffmpeg(dir.resolve("a.ogg"), "-f", "lavfi", "-i", "sine=frequency=330", "-t", "1.5",
                "-c:a", "libvorbis"));
    }

    @Test
    void coverArtIsNotVideo() throws IOException {
        Path mp3 = Fixtures.ffmpeg(dir.resolve("plain.mp3"), "-f", "lavfi", "-i", "sine=frequency=330", "-t", "2");
        Path cover = Fixtures.ffmpeg(dir.resolve("cover.png"), "-f", "lavfi", "-i", "testsrc2=size=64x64",
                "-frames:v", "1");
        Path withCover = Fixtures.ffmpeg(dir.resolve("cover.mp3"), "-i", mp3.toString(), "-i", cover.toString(),
                "-map", "0", "-map", "1", "-c", "copy", "-disposition:v", "attached_pic");

        ProbeResult result = assertAlike(withCover);

        assertThat(result.hasVideo()).isFalse();
        assertThat(result.streamCount()).isEqualTo(2);
    }

    @Test
    void stillImagesReadAsFfprobeReadsThem() throws IOException {
        ProbeResult png = assertAlike(Fixtures.ffmpeg(dir.resolve("a.png"), "-f", "lavfi", "-i",
                "testsrc2=size=96x64", "-frames:v", "1"));
        assertThat(png.width()).isEqualTo(96);
        assertAlike(Fixtures.ffmpeg(dir.resolve("a.jpg"), "-f", "lavfi", "-i", "testsrc2=size=96x64",
                "-frames:v", "1"));
    }

    @Test
    void aTagDressedAsAStreamIsNotAStream() throws IOException {
        // MP4 keeps a free-form tag's name as written, so ffmpeg prints "    Stream #0:7(eng): Video: ..."
        Path audio = Fixtures.ffmpeg(dir.resolve("tagged.m4a"), "-f", "lavfi", "-i", "sine=frequency=330", "-t", "1",
                "-c:a", "aac", "-movflags", "use_metadata_tags",
                "-metadata", "Stream #0:7(eng)=Video: h264, 9999x9999, 30 fps",
                "-metadata", "comment=line one\n  Stream #0:8: Video: h264, 8888x8888");

        ProbeResult result = assertAlike(audio);

        assertThat(result.hasVideo()).isFalse();
        assertThat(result.width()).isZero();
        assertThat(result.streamCount()).isEqualTo(1);
    }

    @Test
    void nonMediaIsInvalidAndTheMessageKeepsOurPathsToItself() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "hello, not a video");

        assertThatThrownBy(() -> MediaProbe.probeWithFfmpeg(bundledFfmpeg, text))
                .isInstanceOf(InvalidMediaException.class)
                .hasMessageStartingWith("notes.mp4 could not be read as media: ")
                .hasMessageNotContaining(dir.toString());
    }

    @Test
    void readsTheSummaryLineByLine() {
        String output = """
                Guessed Channel Layout for Input Stream #0.0 : mono
                Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/tmp/x.mp4':
                  Metadata:
                    major_brand     : isom
                    title           : a
                                    : Stream #0:5: Video: h264, 7x7
                  Duration: 01:02:03.50, start: 0.000000, bitrate: 329 kb/s
                  Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1280x720 [SAR 1:1 DAR 16:9], 241 kb/s, 29.97 fps, 29.97 tbr, 30k tbn (default)
                    Metadata:
                      handler_name    : VideoHandler
                  Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 75 kb/s (default)
                At least one output file must be specified
                """;

        ProbeResult result = FfmpegInputSummary.parse(output).orElseThrow();

        assertThat(result).isEqualTo(new ProbeResult(3723.5, true, true, 1280, 720, 29.97, "h264", "aac", 2,
                "mov,mp4,m4a,3gp,3g2,mj2"));
        assertThat(FfmpegInputSummary.parse("/tmp/x: Invalid data found when processing input\n")).isEmpty();
    }

    /** The bundled ffmpeg's reading equals ffprobe's, to the precision ffmpeg prints; returns it. */
    private ProbeResult assertAlike(Path file) throws IOException {
        ProbeResult expected = ffprobe.probe(file);
        ProbeResult actual = MediaProbe.probeWithFfmpeg(bundledFfmpeg, file);

        assertThat(actual.durationSeconds()).as("duration of %s", file).isCloseTo(expected.durationSeconds(), within(0.011));
        assertThat(actual.fps()).as("fps of %s", file).isCloseTo(expected.fps(), within(0.01));
        assertThat(actual).as("%s", file).usingRecursiveComparison().ignoringFields("durationSeconds", "fps")
                .isEqualTo(expected);
        return actual;
    }
}
