package dev.reelroute.styletransfer;

import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.media.RenderSize;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.reelroute.styletransfer.StyleGradeTest.style;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The application command without running ffmpeg; {@link StyleTransferRenderTest} runs it. */
class StyleApplicationCommandsTest {

    private final StyleApplicationCommands commands = new StyleApplicationCommands(StyleProperties.DEFAULTS);
    private static final StyleJson SOURCE = style(0.4, 0.6, 0.4, -0.1, 0, new StyleJson.Audio(-28, 3, -20));
    private static final StyleJson TEMPLATE = style(0.5, 0.7, 0.8, 0.1, 0, new StyleJson.Audio(-14, 3, -10));

    private static StyleApplicationRender render(int width, int height, boolean audio, StyleJson template,
                                                 StyleConfig config) {
        ProbeResult probe = new ProbeResult(10, true, audio, width, height, 25, "h264", audio ? "aac" : null, 2, "mp4");
        return new StyleApplicationRender("ffmpeg", Path.of("/work/in.mp4"), probe, SOURCE, template, config,
                Path.of("/work/out.mp4"), Path.of("/work/progress.txt"));
    }

    @Test
    void gradesAndNormalizesLoudnessInOneRender() {
        List<String> command = commands.apply(render(1280, 720, true, TEMPLATE, null));

        String graph = command.get(command.indexOf("-filter_complex") + 1);
        assertThat(graph).startsWith("[0:v:0]scale=1280:720:").contains(",format=yuv420p,lutyuv=y=")
                .endsWith("[audio]").contains("[0:a:0]volume=volume=5.011872[audio]");
        assertThat(command).containsSubsequence("-map", "[video]", "-map", "[audio]", "-c:v", "libx264",
                "-colorspace", "bt709", "-c:a", "aac", "-movflags", "+faststart", "-f", "mp4", "/work/out.mp4");
        assertThat(command).doesNotContain("-r");
    }

    @Test
    void noSoundMeansNoAudioStreamAndNoTemplateLoudnessMeansTheSourcesSound() {
        List<String> silent = commands.apply(render(1280, 720, false, TEMPLATE, null));
        assertThat(silent).contains("-an").doesNotContain("-c:a");

        StyleJson muteTemplate = style(0.5, 0.7, 0.8, 0.1, 0, null);
        List<String> kept = commands.apply(render(1280, 720, true, muteTemplate, null));
        assertThat(kept).containsSubsequence("-map", "0:a:0", "-c:a", "aac");
        assertThat(kept.get(kept.indexOf("-filter_complex") + 1)).doesNotContain("volume");
    }

    @Test
    void largeSourcesAreBoundedAndMatchedToTheTemplatesAspect() {
        StyleConfig bounded = new StyleConfig(null, null, null, null, null, null, null, false, false, null, 1280,
                null);
        List<String> large = commands.apply(render(3840, 2160, false, TEMPLATE, bounded));
        assertThat(large.get(large.indexOf("-filter_complex") + 1)).startsWith("[0:v:0]scale=1280:720:");

        StyleJson square = new StyleJson(StyleJson.VERSION, TEMPLATE.color(), null, TEMPLATE.motion(),
                new StyleJson.Format(29.97, 1080, 1080, "1:1", 1, 10));
        StyleConfig match = new StyleConfig(null, null, null, null, null, null, null, true, true, FitMode.CONTAIN,
                null, null);
        List<String> command = commands.apply(render(1280, 720, false, square, match));
        String graph = command.get(command.indexOf("-filter_complex") + 1);
        assertThat(graph).startsWith("[0:v:0]fps=fps=30000/1001,scale=960:540:").contains("pad=960:960:0:210");
        assertThat(command).containsSubsequence("-r", "30000/1001");
    }

    @Test
    void frameRatesAndSizesStayWithinTheRenderBounds() {
        assertThat(StyleApplicationCommands.frameRate(25)).isEqualTo("25");
        assertThat(StyleApplicationCommands.frameRate(23.976)).isEqualTo("24000/1001");
        assertThat(StyleApplicationCommands.frameRate(12.5)).isEqualTo("12.500000");
        assertThat(StyleApplicationCommands.frameRate(240)).isEqualTo("60");
        assertThat(StyleApplicationCommands.frameRate(0.2)).isEqualTo("1");
        assertThat(StyleApplicationCommands.outputSize(new ImageDimensions(1920, 1080), 9.0 / 16, 1920, 1920))
                .isEqualTo(new RenderSize(1080, 1920));
        assertThat(StyleApplicationCommands.outputSize(new ImageDimensions(3000, 10), 300, 3840, 3840))
                .isEqualTo(new RenderSize(3000, 16));
    }

    @Test
    void templateSettingsWithoutATemplateAreRefusedByName() {
        StyleConfig fps = new StyleConfig(null, null, null, null, null, null, null, true, false, null, null, null);
        assertThatThrownBy(() -> commands.apply(render(1280, 720, true, null, fps)))
                .isInstanceOf(StyleConfigException.class).hasMessageStartingWith("config.match_fps");
    }
}
