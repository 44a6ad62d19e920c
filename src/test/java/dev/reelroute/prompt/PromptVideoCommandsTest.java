package dev.reelroute.prompt;

import dev.reelroute.media.Fixtures;
import dev.reelroute.media.AmbientBed;
import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.media.RenderSize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The commands' arguments and arithmetic; {@link PromptVideoCommandsRenderTest} runs them. */
class PromptVideoCommandsTest {

    /** Shell metacharacters, filter-graph syntax, option escapes and an image2 pattern, all in file names. */
    static final String HOSTILE = Fixtures.HOSTILE;
    /** A prompt that would mean something to a shell, to the filter-graph parser and to drawtext's expansion. */
    static final String HOSTILE_PROMPT = "Sunset over 'the' sea: [waves],crash; $(rm -rf /) %{pts} %{eif:1/0:d}\n"
            + "\\n second\tline";

    @TempDir
    Path dir;

    private final DrawtextSupport drawtext = new DrawtextSupport("", DrawtextSupport.WELL_KNOWN_FONTS, true);
    private final PromptVideoCommands commands = new PromptVideoCommands(drawtext);

    // ---- timeline ----

    @Test
    void morphShowsEachImageAloneForAThirdAndCrossfadesForTheRest() {
        PromptVideoCommands.Timeline four = PromptVideoCommands.Timeline.of(PromptVideoRender.Mode.MORPH, 2, 4, 30);
        // 120 frames: 42 initial image, 36 crossfade, 42 end frame.
        assertThat(four).isEqualTo(new PromptVideoCommands.Timeline(120, 36, List.of(78, 78)));
        assertThat(four.aloneFrames(0)).isEqualTo(42);
        assertThat(four.aloneFrames(1)).isEqualTo(42);
        PromptVideoCommands.Timeline eight = PromptVideoCommands.Timeline.of(PromptVideoRender.Mode.MORPH, 2, 8, 25);
        assertThat(eight).isEqualTo(new PromptVideoCommands.Timeline(200, 60, List.of(130, 130)));
    }

    @Test
    void sequenceSharesTheDurationWithShortCrossfades() {
        // 3 images in 4 s: crossfades of 0.533 s = 16 frames; 152 frames of spans, the extra one to the first.
        assertThat(PromptVideoCommands.Timeline.of(PromptVideoRender.Mode.SEQUENCE, 3, 4, 30))
                .isEqualTo(new PromptVideoCommands.Timeline(120, 16, List.of(51, 51, 50)));
        // 2 images in 8 s: the crossfade is capped at 1 s.
        assertThat(PromptVideoCommands.Timeline.of(PromptVideoRender.Mode.SEQUENCE, 2, 8, 30))
                .isEqualTo(new PromptVideoCommands.Timeline(240, 30, List.of(135, 135)));
        PromptVideoCommands.Timeline four = PromptVideoCommands.Timeline.of(PromptVideoRender.Mode.SEQUENCE, 4, 4, 30);
        assertThat(four).isEqualTo(new PromptVideoCommands.Timeline(120, 12, List.of(39, 39, 39, 39)));
        assertThat(four.aloneFrames(1)).isEqualTo(15); // a middle image takes part in two crossfades
        assertThat(PromptVideoCommands.Timeline.of(PromptVideoRender.Mode.SINGLE, 1, 4.01, 30))
                .isEqualTo(new PromptVideoCommands.Timeline(120, 0, List.of(120)));
    }

    @Test
    void graphChainsTheCrossfadesAtTheTimelinesOffsets() {
        PromptVideoRender render = render(PromptVideoRender.Mode.SEQUENCE, 3, 4, null, null);
        String graph = graph(commands.render(render));
        // offsets: 51 - 16 = 35 frames, then 51 + 51 - 16 - 16 = 70 frames
        assertThat(graph).contains("[still0][still1]xfade=transition=fade:duration=0.533333:offset=1.166667[joined1]",
                "[joined1][still2]xfade=transition=fade:duration=0.533333:offset=2.333333[video]");
        // Each still's motion runs over its own span: (on-1)/51 for the first.
        assertThat(graph).startsWith("[0:v]scale=").contains("loop=loop=50:size=1:start=0", "(on-1)/51");
        assertThat(graph).matches("[\\[\\]0-9a-zA-Z_:;=,.+\\-*/()]+"); // no quotes, spaces, $, %
    }

    // ---- command shape ----

    @Test
    void pathsAreWholeArgumentsAndNothingElseMentionsThem() {
        Path voice = dir.resolve(HOSTILE + "voice.wav");
        PromptVideoRender render = render(PromptVideoRender.Mode.MORPH, 2, 4, AmbientBed.RAIN, voice);
        List<String> command = commands.render(render);

        List<String> paths = new ArrayList<>(List.of(voice.toString(), render.output().toString(),
                render.progressFile().toString()));
        render.stills().forEach(still -> paths.add(still.image().toString()));
        for (String path : paths) {
            assertThat(command).as(path).containsOnlyOnce(path);
        }
        List<String> others = new ArrayList<>(command);
        others.removeAll(paths);
        assertThat(others).noneMatch(argument -> argument.contains("it's") || argument.contains(dir.toString()));
        assertThat(command.get(0)).isEqualTo("ffmpeg");
        assertThat(command.get(command.indexOf(voice.toString()) - 1)).isEqualTo("-i");
        assertThat(command).containsSubsequence("-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-progress", render.progressFile().toString(), "-nostats");
        assertThat(String.join(" ", command)).contains("-filter_threads 1", "-threads 1",
                "-c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p", "-color_range tv", "-colorspace bt709",
                "-r 30 -frames:v 120", "-map [video] -map [audio]", "-c:a aac -b:a 192k -ar 48000 -ac 2",
                "-t 4.000000 -movflags +faststart -f mp4");
    }

    @Test
    void soundIsAbsentWithoutVoiceoverOrBed() {
        List<String> command = commands.render(render(PromptVideoRender.Mode.SINGLE, 1, 4, null, null));
        assertThat(command).contains("-an").doesNotContain("-c:a", "[audio]");
        assertThat(graph(command)).doesNotContain("anullsrc", "atrim");
    }

    @Test
    void voiceoverIsPaddedAndCutAndTheBedSummedUnderIt() {
        String graph = graph(commands.render(render(PromptVideoRender.Mode.SINGLE, 1, 8, AmbientBed.OCEAN,
                dir.resolve("v.wav"))));
        // The voiceover is input 1 (after the one still), at full volume, padded then cut at 8 s.
        assertThat(graph).contains("[1:a:0]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,apad,"
                + "atrim=duration=8.000000,asetpts=PTS-STARTPTS[voice]");
        assertThat(graph).contains(AmbientBed.OCEAN.filter(), "[voice][ambient]amix=inputs=2", "normalize=0",
                "afade=t=out:st=7.950000:d=0.050000[audio]");
        // A bed alone fades out like a project's: 20% of 8 s.
        assertThat(graph(commands.render(render(PromptVideoRender.Mode.SINGLE, 1, 8, AmbientBed.OCEAN, null))))
                .endsWith("[ambient]afade=t=out:st=6.400000:d=1.600000[audio]");
    }

    @Test
    void missingSizeFitAndMotionUseDefaults() {
        Path image = dir.resolve("i.png");
        PromptVideoRender withNulls = new PromptVideoRender("ffmpeg", PromptVideoRender.Mode.SINGLE,
                List.of(new PromptVideoRender.Still(image, new ImageDimensions(1000, 800), null)), 4, null, 30, null,
                null, null, 0, dir.resolve("o.mp4"), dir.resolve("p.txt"));
        PromptVideoRender explicit = new PromptVideoRender("ffmpeg", PromptVideoRender.Mode.SINGLE,
                List.of(new PromptVideoRender.Still(image, new ImageDimensions(1000, 800), CameraMotion.gentleDefault())),
                4, RenderSize.DEFAULT, 30, FitMode.AUTO, null, null, 0, dir.resolve("o.mp4"), dir.resolve("p.txt"));
        assertThat(commands.render(withNulls)).isEqualTo(commands.render(explicit));
    }

    @Test
    void rejectsWhatItCannotRenderWell() {
        assertThatThrownBy(() -> commands.render(render(PromptVideoRender.Mode.SINGLE, 2, 4, null, null)))
                .hasMessageContaining("SINGLE takes 1 still");
        assertThatThrownBy(() -> commands.render(render(PromptVideoRender.Mode.MORPH, 3, 4, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> commands.render(render(PromptVideoRender.Mode.SEQUENCE, 5, 4, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> commands.render(render(PromptVideoRender.Mode.SEQUENCE, 1, 4, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
        for (double seconds : new double[] {0.5, 61, Double.NaN}) {
            assertThatThrownBy(() -> commands.render(render(PromptVideoRender.Mode.SINGLE, 1, seconds, null, null)))
                    .as("%s s", seconds).isInstanceOf(IllegalArgumentException.class);
        }
        // Four stills in 1 s at 4 fps: not a frame left for a crossfade.
        PromptVideoRender tooShort = new PromptVideoRender("ffmpeg", PromptVideoRender.Mode.SEQUENCE,
                stills(4), 1, new RenderSize(320, 180), 4, FitMode.AUTO, null, null, 0, dir.resolve("o"),
                dir.resolve("p"));
        assertThatThrownBy(() -> commands.render(tooShort)).hasMessageContaining("too few");
        PromptVideoRender huge = new PromptVideoRender("ffmpeg", PromptVideoRender.Mode.SINGLE,
                List.of(new PromptVideoRender.Still(dir.resolve("i"), new ImageDimensions(20_000, 20_000), null)), 4,
                null, 30, null, null, null, 0, dir.resolve("o"), dir.resolve("p"));
        assertThatThrownBy(() -> commands.render(huge)).hasMessageContaining("too large");
    }

    @Test
    void durationCoveringAVoiceoverStaysWithinBounds() {
        assertThat(PromptVideoCommands.durationCovering(6.3)).isEqualTo(6.3);
        assertThat(PromptVideoCommands.durationCovering(0.4)).isEqualTo(1.0);
        assertThat(PromptVideoCommands.durationCovering(600)).isEqualTo(60.0);
        assertThat(PromptVideoCommands.durationCovering(Double.NaN)).isEqualTo(1.0);
    }

    // ---- title card ----

    @Test
    void filterGraphPathsAreEscapedForTheOptionAndTheGraph() {
        // Option level: \ ' : get a backslash; graph level: \ ' [ ] , ; get one more.
        assertThat(FfmpegCommands.filterGraphPath(Path.of("/w/it's [a],b;c:d\\e f.txt")))
                .isEqualTo("/w/it\\\\\\'s \\[a\\]\\,b\\;c\\\\:d\\\\\\\\e f.txt");
        assertThat(FfmpegCommands.filterGraphPath(Path.of("/w/plain/title-line-0.txt")))
                .isEqualTo("/w/plain/title-line-0.txt");
        assertThatThrownBy(() -> FfmpegCommands.filterGraphPath(Path.of("/w/a\nb")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePromptReachesFfmpegOnlyThroughTextFiles() throws IOException {
        Path textDir = Files.createDirectories(dir.resolve(HOSTILE + "card"));
        TitleCard card = commands.titleCard(new TitleCardRender(Fixtures.FFMPEG, HOSTILE_PROMPT,
                new RenderSize(640, 360), textDir, textDir.resolve("card.png")));
        assertThat(card.hasText()).as(card.textOmittedBecause()).isTrue();
        assertThat(card.command()).noneMatch(argument -> argument.contains("Sunset") || argument.contains("rm -rf")
                || argument.contains("%{"));
        String graph = graph(card.command());
        assertThat(graph).contains("expansion=none", "textfile=", "fontfile=", "x=(w-text_w)/2");
        assertThat(graph).doesNotContain("it's"); // the work dir is escaped in the graph
        List<String> lines = new ArrayList<>();
        for (int i = 0; Files.exists(textDir.resolve("title-line-" + i + ".txt")); i++) {
            lines.add(Files.readString(textDir.resolve("title-line-" + i + ".txt"), StandardCharsets.UTF_8));
        }
        assertThat(lines).hasSizeGreaterThan(1).allMatch(line -> !line.contains("\n") && !line.contains("\t"));
        assertThat(String.join(" ", lines)).isEqualTo(
                "Sunset over 'the' sea: [waves],crash; $(rm -rf /) %{pts} %{eif:1/0:d} \\n second line");
        assertThat(graph.split("drawtext=", -1)).hasSize(lines.size() + 1);
        assertThat(card.command()).containsSubsequence("-frames:v", "1", "-c:v", "png", "-update", "1", "-f", "image2",
                textDir.resolve("card.png").toString());
    }

    @Test
    void cardColoursFollowThePromptAndStayDark() {
        int[] sunset = PromptVideoCommands.gradientColours("a sunset over the sea");
        assertThat(PromptVideoCommands.gradientColours("a sunset over the sea")).isEqualTo(sunset);
        assertThat(PromptVideoCommands.gradientColours("a forest at dawn")).isNotEqualTo(sunset);
        for (int i = 0; i < 200; i++) {
            for (int colour : PromptVideoCommands.gradientColours("prompt " + i)) {
                assertThat(luma(colour)).as("prompt %d: %06X", i, colour).isLessThan(150);
            }
        }
    }

    @Test
    void withoutAFontTheCardIsTheGradientAloneAndSaysWhy() throws IOException {
        PromptVideoCommands fontless = new PromptVideoCommands(new DrawtextSupport("/no/such/font.ttf", List.of(),
                false));
        TitleCard card = fontless.titleCard(new TitleCardRender(Fixtures.FFMPEG, "a prompt", null, dir,
                dir.resolve("c.png")));
        assertThat(card.hasText()).isFalse();
        assertThat(card.textOmittedBecause()).contains("no font");
        assertThat(graph(card.command())).startsWith("gradients=s=1280x720:").doesNotContain("drawtext");
        assertThat(dir.resolve("title-line-0.txt")).doesNotExist();

        TitleCard blank = commands.titleCard(new TitleCardRender(Fixtures.FFMPEG, " \n\t ", null, dir,
                dir.resolve("c.png")));
        assertThat(blank.hasText()).isFalse();
        assertThat(blank.textOmittedBecause()).contains("no text");
    }

    // ---- provider output ----

    @Test
    void remuxesOnlyH264WithAacOrSilenceInMp4OrMov() {
        assertThat(PromptVideoCommands.canRemux(probe("h264", "aac", "mov,mp4,m4a,3gp,3g2,mj2"))).isTrue();
        assertThat(PromptVideoCommands.canRemux(probe("h264", null, "mov,mp4,m4a,3gp,3g2,mj2"))).isTrue();
        assertThat(PromptVideoCommands.canRemux(probe("hevc", "aac", "mov,mp4,m4a,3gp,3g2,mj2"))).isFalse();
        assertThat(PromptVideoCommands.canRemux(probe("h264", "mp3", "mov,mp4,m4a,3gp,3g2,mj2"))).isFalse();
        assertThat(PromptVideoCommands.canRemux(probe("h264", "aac", "matroska,webm"))).isFalse();
        assertThat(PromptVideoCommands.canRemux(probe("h264", "aac", null))).isFalse();

        List<String> copy = commands.normalize(normalize(probe("h264", "aac", "mov,mp4,m4a,3gp,3g2,mj2"), 8));
        assertThat(String.join(" ", copy)).contains("-map 0:v:0 -map 0:a:0 -map_metadata -1", "-c copy",
                "-t 8.000000 -movflags +faststart").doesNotContain("libx264");
        List<String> encode = commands.normalize(normalize(probe("vp9", null, "matroska,webm"), 8));
        assertThat(String.join(" ", encode)).contains("-vf scale=1280:720:flags=lanczos:out_color_matrix=bt709",
                "-c:v libx264", "-color_range tv").doesNotContain("0:a:0", "-c:a", "-c copy");
    }

    @Test
    void transcodedProviderVideoIsEvenAndAtMost4k() {
        assertThat(PromptVideoCommands.normalizedScale(sized(7680, 4320))).startsWith("scale=3840:2160:");
        assertThat(PromptVideoCommands.normalizedScale(sized(1001, 501))).startsWith("scale=1000:500:");
        assertThat(PromptVideoCommands.normalizedScale(sized(1080, 1920))).startsWith("scale=1080:1920:");
        assertThatThrownBy(() -> PromptVideoCommands.normalizedScale(sized(0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> commands.normalize(normalize(probe("h264", "aac", "mp4"), 0)))
                .isInstanceOf(IllegalArgumentException.class);
        ProbeResult audioOnly = new ProbeResult(3, false, true, 0, 0, 0, null, "aac", 1, "mp3");
        assertThatThrownBy(() -> commands.normalize(normalize(audioOnly, 8))).hasMessageContaining("no video");
    }

    // ---- helpers ----

    private List<PromptVideoRender.Still> stills(int count) {
        List<PromptVideoRender.Still> stills = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            stills.add(new PromptVideoRender.Still(dir.resolve(HOSTILE + "still" + i + ".png"),
                    new ImageDimensions(640, 480), CameraMotion.gentleDefault()));
        }
        return stills;
    }

    private PromptVideoRender render(PromptVideoRender.Mode mode, int stills, double seconds, AmbientBed ambient,
                                     Path voiceover) {
        return new PromptVideoRender("ffmpeg", mode, stills(stills), seconds, new RenderSize(320, 180), 30,
                FitMode.AUTO, ambient, voiceover, 1, dir.resolve(HOSTILE + "out.mp4"),
                dir.resolve(HOSTILE + "progress.txt"));
    }

    private NormalizeRender normalize(ProbeResult probe, double maxSeconds) {
        return new NormalizeRender("ffmpeg", dir.resolve(HOSTILE + "provider.bin"), probe, maxSeconds,
                dir.resolve("o.mp4"), dir.resolve("p.txt"));
    }

    private static ProbeResult probe(String video, String audio, String format) {
        return new ProbeResult(5, true, audio != null, 1280, 720, 24, video, audio, audio != null ? 2 : 1, format);
    }

    private static ProbeResult sized(int width, int height) {
        return new ProbeResult(5, true, false, width, height, 24, "vp9", null, 1, "matroska,webm");
    }

    private static String graph(List<String> command) {
        return command.get(command.indexOf("-filter_complex") + 1);
    }

    private static double luma(int rgb) {
        return 0.2126 * ((rgb >> 16) & 0xFF) + 0.7152 * ((rgb >> 8) & 0xFF) + 0.0722 * (rgb & 0xFF);
    }
}
