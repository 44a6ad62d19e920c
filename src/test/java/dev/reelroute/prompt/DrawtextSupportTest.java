package dev.reelroute.prompt;

import dev.reelroute.media.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class DrawtextSupportTest {

    @TempDir
    Path dir;

    @Test
    void readsTheFilterListOfFfmpeg5AndFfmpeg8() {
        String ffmpeg5 = " T.. drawbox           V->V       Draw a colored box on the input video.\n"
                + " T.C drawtext          V->V       Draw text on top of video frames using libfreetype library.\n";
        String ffmpeg8 = " T. drawtext          V->V       Draw text on top of video frames using libfreetype library.\n";
        String without = " T.. drawbox           V->V       Draw a colored box, unlike drawtext.\n";
        assertThat(DrawtextSupport.listsFilter(ffmpeg5, "drawtext")).isTrue();
        assertThat(DrawtextSupport.listsFilter(ffmpeg8, "drawtext")).isTrue();
        assertThat(DrawtextSupport.listsFilter(without, "drawtext")).isFalse();
    }

    @Test
    void asksTheRealFfmpeg() {
        DrawtextSupport support = new DrawtextSupport("", List.of(), false);
        assertThat(support.drawtextAvailable(Fixtures.FFMPEG)).as("the ffmpeg the tests use has drawtext").isTrue();
        assertThat(support.drawtextAvailable("/bin/false")).isFalse();
        assertThat(support.drawtextAvailable(dir.resolve("no-such-ffmpeg").toString())).isFalse();
    }

    @Test
    void fontIsTheSettingThenAWellKnownPlaceThenFontconfig() throws IOException {
        Path configured = Files.writeString(dir.resolve("configured.ttf"), "font");
        Path wellKnown = Files.writeString(dir.resolve("well-known.ttf"), "font");
        Path missing = dir.resolve("missing.ttf");

        assertThat(new DrawtextSupport(configured.toString(), List.of(wellKnown), true).font()).contains(configured);
        assertThat(new DrawtextSupport(missing.toString(), List.of(missing, wellKnown), true).font())
                .contains(wellKnown);
        assertThat(new DrawtextSupport("", List.of(missing), false).font()).isEmpty();
        // This machine has fontconfig: it names an outline font that exists.
        Path fromFontconfig = new DrawtextSupport("", List.of(missing), true).font().orElseThrow();
        assertThat(fromFontconfig).isRegularFile();
        assertThat(fromFontconfig.toString()).matches(".*\\.(ttf|otf|ttc)");
    }

    @Test
    void withNoFontOnTheMachineTheBundledDejaVuIsExtracted() throws IOException {
        Path cache = dir.resolve("cache");

        Path font = new DrawtextSupport("", List.of(dir.resolve("missing.ttf")), false, cache).font().orElseThrow();

        assertThat(font).startsWith(cache).isReadable();
        byte[] bytes = Files.readAllBytes(font);
        assertThat(java.util.Arrays.copyOf(bytes, 4)).as("a TrueType font").containsExactly(0, 1, 0, 0);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("DejaVu Sans");
    }
}
