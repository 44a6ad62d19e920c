package dev.reelroute.prompt;

import dev.reelroute.media.Fixtures;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.reelroute.config.ReelrouteProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.reelroute.media.Fixtures.run;
import static dev.reelroute.media.Fixtures.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VoiceoverCommandsTest {

    @TempDir
    Path dir;

    private final VoiceoverCommands voice = new VoiceoverCommands(new ReelrouteProperties.Tts("espeak-ng", "en-us", 160));
    private final MediaProbe probe = new MediaProbe(new FfmpegBinaries(Fixtures.FFMPEG, Fixtures.FFPROBE));

    @Test
    void theScriptGoesIntoAFileAndTheCommandHoldsOnlySettingsAndPaths() throws IOException {
        Path script = dir.resolve(HOSTILE + "script.txt");
        Path wav = dir.resolve(HOSTILE + "voice.wav");
        String written = VoiceoverCommands.writeScript("-w /etc/passwd\n$(reboot)\t<speak>hi</speak>", script);
        assertThat(written).isEqualTo("-w /etc/passwd $(reboot) <speak>hi</speak>");
        assertThat(Files.readString(script, StandardCharsets.UTF_8)).isEqualTo(written);

        List<String> command = voice.speak(script, wav);
        assertThat(command.get(0)).endsWith("espeak-ng");
        assertThat(command.subList(1, command.size())).containsExactly("-v", "en-us", "-s", "160", "-b", "1",
                "-w", wav.toString(), "-f", script.toString());
    }

    @Test
    void scriptsAreBoundedToAThousandCharacters() throws IOException {
        String written = VoiceoverCommands.writeScript("word ".repeat(400), dir.resolve("s.txt"));
        assertThat(written).hasSize(VoiceoverCommands.MAX_SCRIPT_CHARS);
        assertThat(VoiceoverCommands.writeScript(null, dir.resolve("empty.txt"))).isEmpty();
    }

    @Test
    void settingsAreCheckedAndBlankMeansTheDefaults() {
        assertThatThrownBy(() -> new VoiceoverCommands(new ReelrouteProperties.Tts("espeak-ng", "-w", 160)))
                .hasMessageContaining("voice");
        assertThatThrownBy(() -> new VoiceoverCommands(new ReelrouteProperties.Tts("espeak-ng", "en us", 160)))
                .hasMessageContaining("voice");
        assertThatThrownBy(() -> new VoiceoverCommands(new ReelrouteProperties.Tts("espeak-ng", "en-us", 30)))
                .hasMessageContaining("words-per-minute");
        assertThatThrownBy(() -> new VoiceoverCommands(new ReelrouteProperties.Tts("espeak-ng", "en-us", 900)))
                .hasMessageContaining("words-per-minute");
        VoiceoverCommands defaults = new VoiceoverCommands(new ReelrouteProperties.Tts(" ", null, 0));
        assertThat(defaults.speak(dir.resolve("s"), dir.resolve("w"))).containsSubsequence("-v", "en-us", "-s", "160");
        assertThat(new VoiceoverCommands(new ReelrouteProperties.Tts("espeak-ng", "mb/mb-en1", 120))
                .speak(dir.resolve("s"), dir.resolve("w"))).containsSubsequence("-v", "mb/mb-en1", "-s", "120");
    }

    @Test
    void availabilityIsLookedUpOnPathOrAtTheConfiguredPath() {
        assertThat(voice.available()).as("espeak-ng is installed on this machine").isTrue();
        assertThat(new VoiceoverCommands(new ReelrouteProperties.Tts(dir.resolve("espeak-ng").toString(), "en-us",
                160)).available()).isFalse();
        assertThat(new VoiceoverCommands(new ReelrouteProperties.Tts("no-such-speech-synthesizer", "en-us", 160))
                .available()).isFalse();
    }

    @Test
    void speechIsAudibleAndLastsLongerForALongerScript() throws IOException {
        double shortSeconds = spoken("The sea at dawn.", "short");
        double longSeconds = spoken("The sea at dawn. Waves roll in under a pale sky, and the first gulls call "
                + "over the harbour while the fishing boats head out.", "long");
        assertThat(shortSeconds).isBetween(0.5, 3.0);
        assertThat(longSeconds).isGreaterThan(2.5 * shortSeconds);
    }

    private double spoken(String script, String name) throws IOException {
        Path scriptFile = dir.resolve(name + ".txt");
        VoiceoverCommands.writeScript(script, scriptFile);
        Path wav = dir.resolve(name + ".wav");
        run(voice.speak(scriptFile, wav));
        ProbeResult result = probe.probe(wav);
        assertThat(result.hasAudio()).isTrue();
        assertThat(Fixtures.meanVolume(wav)).as("%s is not silent", name).isGreaterThan(-35);
        return result.durationSeconds();
    }
}
