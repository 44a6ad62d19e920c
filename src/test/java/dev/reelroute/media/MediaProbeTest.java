package dev.reelroute.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MediaProbeTest {

    @TempDir
    Path dir;

    private final MediaProbe probe = new MediaProbe(new FfmpegBinaries(Fixtures.FFMPEG, Fixtures.FFPROBE));

    @Test
    void probesVideoWithAudio() throws IOException {
        Path mp4 = Fixtures.video(dir.resolve("a.mp4"), "-c:v", "libx264", "-c:a", "aac");

        ProbeResult result = probe.probe(mp4);

        assertThat(result.hasVideo()).isTrue();
        assertThat(result.hasAudio()).isTrue();
        assertThat(result.videoCodec()).isEqualTo("h264");
        assertThat(result.audioCodec()).isEqualTo("aac");
        assertThat(result.width()).isEqualTo(320);
        assertThat(result.height()).isEqualTo(240);
        assertThat(result.fps()).isCloseTo(25, within(0.01));
        assertThat(result.durationSeconds()).isCloseTo(1.0, within(0.1));
        assertThat(result.streamCount()).isEqualTo(2);
        assertThat(result.formatName()).contains("mp4");
    }

    @Test
    void probesAudioOnly() throws IOException {
        ProbeResult result = probe.probe(Fixtures.sine(dir.resolve("a.wav"), 2.5));

        assertThat(result.hasVideo()).isFalse();
        assertThat(result.hasAudio()).isTrue();
        assertThat(result.audioCodec()).isEqualTo("pcm_s16le");
        assertThat(result.videoCodec()).isNull();
        assertThat(result.width()).isZero();
        assertThat(result.durationSeconds()).isCloseTo(2.5, within(0.01));
        assertThat(result.formatName()).isEqualTo("wav");
    }

    @Test
    void fileNameStartingWithDashIsNotAnOption() throws IOException {
        Path wav = Fixtures.sine(dir.resolve("x.wav"), 1);
        Path dashed = Files.move(wav, dir.resolve("-version"));
        assertThat(probe.probe(dashed).hasAudio()).isTrue();
    }

    @Test
    void nonMediaIsInvalid() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "hello, not a video");
        assertThatThrownBy(() -> probe.probe(text))
                .isInstanceOf(InvalidMediaException.class)
                .hasMessageContaining("could not be read as media");
    }

    @Test
    void missingFfprobeIsAnIoProblemNotInvalidMedia() throws IOException {
        MediaProbe broken = new MediaProbe(new FfmpegBinaries(Fixtures.FFMPEG, dir.resolve("no-such-ffprobe").toString()));
        Path wav = Fixtures.sine(dir.resolve("a.wav"), 1);
        assertThatThrownBy(() -> broken.probe(wav)).isInstanceOf(IOException.class);
    }

    @Test
    void durationFallsBackToLongestStreamAndIgnoresCoverArt() throws IOException {
        String json = """
                {"streams":[
                  {"codec_type":"audio","codec_name":"mp3","duration":"12.5"},
                  {"codec_type":"video","codec_name":"mjpeg","width":600,"height":600,
                   "avg_frame_rate":"0/0","r_frame_rate":"90000/1","disposition":{"attached_pic":1}}
                 ],
                 "format":{"format_name":"mp3","duration":"N/A"}}
                """;
        ProbeResult result = MediaProbe.parse(new ObjectMapper().readTree(json));

        assertThat(result.durationSeconds()).isEqualTo(12.5);
        assertThat(result.hasVideo()).isFalse();
        assertThat(result.hasAudio()).isTrue();
        assertThat(result.streamCount()).isEqualTo(2);
    }

    @Test
    void implausibleValuesAreTreatedAsUnknown() throws IOException {
        String json = """
                {"streams":[{"codec_type":"video","codec_name":"h264","width":-5,"height":999999999,
                             "avg_frame_rate":"1000000/1"}],
                 "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"1e300"}}
                """;
        ProbeResult result = MediaProbe.parse(new ObjectMapper().readTree(json));

        assertThat(result.durationSeconds()).isZero();
        assertThat(result.width()).isZero();
        assertThat(result.height()).isZero();
        assertThat(result.fps()).isZero();
    }

    @Test
    void parsesFrameRates() {
        assertThat(MediaProbe.rational("30000/1001")).isCloseTo(29.97, within(0.001));
        assertThat(MediaProbe.rational("0/0")).isZero();
        assertThat(MediaProbe.rational("garbage")).isZero();
    }
}
