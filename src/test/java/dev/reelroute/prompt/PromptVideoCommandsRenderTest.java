package dev.reelroute.prompt;

import dev.reelroute.media.Fixtures;
import dev.reelroute.media.AmbientBed;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FfmpegProgress;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.media.RenderSize;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import dev.reelroute.config.ReelrouteProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.reelroute.media.Fixtures.run;
import static dev.reelroute.prompt.PromptVideoCommandsTest.HOSTILE;
import static dev.reelroute.prompt.PromptVideoCommandsTest.HOSTILE_PROMPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Prompt videos, title cards and provider videos rendered by the real ffmpeg (and voiceovers by the real
 * espeak-ng), in a work directory whose name is full of filter-graph and shell syntax, then measured: ffprobe for
 * streams and lengths, decoded pixels for what is on screen, volumedetect for the sound.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromptVideoCommandsRenderTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 180;
    private static final int FPS = 30;
    /** Solid stills (RGB): red, green, blue. */
    private static final int[][] COLOURS = {{200, 60, 60}, {60, 200, 60}, {60, 60, 200}};
    /** Whiter than any card background can be (their luma stays under 150). */
    private static final int TEXT_LUMA = 200;

    @TempDir
    static Path root;

    private Path dir;
    private final DrawtextSupport drawtext = new DrawtextSupport("", DrawtextSupport.WELL_KNOWN_FONTS, true);
    private final PromptVideoCommands commands = new PromptVideoCommands(drawtext);
    private final PromptVideoCommands fontless =
            new PromptVideoCommands(new DrawtextSupport("", List.of(), false));
    private final MediaProbe probe = new MediaProbe(new FfmpegBinaries(Fixtures.FFMPEG, Fixtures.FFPROBE));
    private final List<PromptVideoRender.Still> solid = new ArrayList<>();
    private PromptVideoRender.Still card;

    @BeforeAll
    void makeStills() throws IOException {
        dir = Files.createDirectories(root.resolve(HOSTILE + "work"));
        for (int i = 0; i < COLOURS.length; i++) {
            int[] c = COLOURS[i];
            Path image = Fixtures.ffmpeg(dir.resolve("solid" + i + ".png"), "-f", "lavfi", "-i",
                    String.format("color=c=0x%02X%02X%02X:s=%dx%d", c[0], c[1], c[2], WIDTH, HEIGHT), "-frames:v", "1");
            solid.add(new PromptVideoRender.Still(image, new ImageDimensions(WIDTH, HEIGHT), null));
        }
        TitleCard title = commands.titleCard(new TitleCardRender(Fixtures.FFMPEG, "A lighthouse on a cliff at dusk",
                new RenderSize(WIDTH, HEIGHT), dir, dir.resolve("card.png")));
        run(title.command());
        card = new PromptVideoRender.Still(dir.resolve("card.png"), new ImageDimensions(WIDTH, HEIGHT), null);
    }

    // ---- prompt videos ----

    @ParameterizedTest
    @ValueSource(ints = {4, 8})
    void titleCardVideoLastsExactlyTheDurationWithoutSound(int seconds) throws IOException {
        Path video = dir.resolve("single" + seconds + ".mp4");
        Path progress = dir.resolve("progress" + seconds + ".txt");
        run(commands.render(new PromptVideoRender(Fixtures.FFMPEG, PromptVideoRender.Mode.SINGLE, List.of(card),
                seconds, new RenderSize(WIDTH, HEIGHT), FPS, FitMode.AUTO, null, null, 1, video, progress)));

        ProbeResult result = probe.probe(video);
        assertThat(result.videoCodec()).isEqualTo("h264");
        assertThat(result.width()).isEqualTo(WIDTH);
        assertThat(result.height()).isEqualTo(HEIGHT);
        assertThat(result.fps()).isCloseTo(FPS, within(0.01));
        assertThat(result.durationSeconds()).isCloseTo(seconds, within(0.1));
        assertThat(result.hasAudio()).isFalse();
        assertThat(result.streamCount()).isEqualTo(1);
        assertThat(frameColours(video).length).isEqualTo(seconds * FPS);
        assertThat(Fixtures.streamValue(video, "v:0", "pix_fmt")).isEqualTo("yuv420p");
        assertThat(Fixtures.streamValue(video, "v:0", "color_range")).isEqualTo("tv");
        assertThat(Fixtures.streamValue(video, "v:0", "color_space")).isEqualTo("bt709");
        List<String> boxes = Fixtures.topLevelBoxes(video);
        assertThat(boxes.indexOf("moov")).as("faststart: %s", boxes).isLessThan(boxes.indexOf("mdat"));
        assertThat(FfmpegProgress.ended(Files.readString(progress))).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"1280,720", "720,1280", "1920,1080", "1080,1920"})
    void outputHasExactlyTheRequestedSize(int width, int height) throws IOException {
        Path still = Fixtures.image(dir.resolve("photo.png"), 640, 480);
        Path video = dir.resolve("size" + width + "x" + height + ".mp4");
        run(commands.render(new PromptVideoRender(Fixtures.FFMPEG, PromptVideoRender.Mode.SINGLE,
                List.of(new PromptVideoRender.Still(still, new ImageDimensions(640, 480), null)), 1,
                new RenderSize(width, height), 10, FitMode.AUTO, null, null, 0, video, dir.resolve("p.txt"))));

        ProbeResult result = probe.probe(video);
        assertThat(result.width()).isEqualTo(width);
        assertThat(result.height()).isEqualTo(height);
        assertThat(result.durationSeconds()).isCloseTo(1, within(0.1));
    }

    @Test
    void morphStartsOnTheInitialImageAndEndsOnTheEndFrame() throws IOException {
        Path video = dir.resolve("morph.mp4");
        run(commands.render(render(PromptVideoRender.Mode.MORPH, List.of(solid.get(0), solid.get(2)), video)));

        int[][] frames = frameColours(video);
        assertThat(frames.length).isEqualTo(120);
        // 42 frames of the initial image, a 36-frame crossfade, 42 frames of the end frame.
        for (int n : new int[] {0, 20, 40}) {
            assertColour(frames[n], COLOURS[0], 12, n);
        }
        for (int n : new int[] {80, 100, 119}) {
            assertColour(frames[n], COLOURS[2], 12, n);
        }
        int[] halfway = new int[3];
        for (int c = 0; c < 3; c++) {
            halfway[c] = (COLOURS[0][c] + COLOURS[2][c]) / 2;
        }
        assertColour(frames[60], halfway, 15, 60);
        assertThat(probe.probe(video).durationSeconds()).isCloseTo(4, within(0.1));
    }

    @Test
    void sequenceShowsEachImageInTurn() throws IOException {
        Path video = dir.resolve("sequence.mp4");
        run(commands.render(render(PromptVideoRender.Mode.SEQUENCE, solid, video)));

        int[][] frames = frameColours(video);
        assertThat(frames.length).isEqualTo(120);
        // Alone on screen: frames 0-34, 51-69 and 86-119.
        assertColour(frames[0], COLOURS[0], 12, 0);
        assertColour(frames[20], COLOURS[0], 12, 20);
        assertColour(frames[60], COLOURS[1], 12, 60);
        assertColour(frames[100], COLOURS[2], 12, 100);
        assertColour(frames[119], COLOURS[2], 12, 119);
    }

    @Test
    void ambientBedIsAQuietTrackOfTheVideosLength() throws IOException {
        Path video = dir.resolve("ambient.mp4");
        run(commands.render(new PromptVideoRender(Fixtures.FFMPEG, PromptVideoRender.Mode.SINGLE, List.of(card), 4,
                new RenderSize(WIDTH, HEIGHT), FPS, FitMode.AUTO, AmbientBed.WIND, null, 1, video,
                dir.resolve("p.txt"))));

        ProbeResult result = probe.probe(video);
        assertThat(result.audioCodec()).isEqualTo("aac");
        assertThat(result.durationSeconds()).isCloseTo(4, within(0.1));
        assertThat(Fixtures.streamValue(video, "a:0", "sample_rate")).isEqualTo("48000");
        assertThat(Fixtures.streamValue(video, "a:0", "channels")).isEqualTo("2");
        assertThat(Fixtures.meanVolume(video)).isBetween(-50.0, -24.0);
    }

    @Test
    void voiceoverIsPaddedWithSilenceOrCutToTheDuration() throws IOException {
        VoiceoverCommands voice = new VoiceoverCommands(new ReelrouteProperties.Tts("espeak-ng", "en-us", 160));
        Path shortWav = speak(voice, "Hello.", "short");
        Path longWav = speak(voice, "This voiceover is a good deal longer than the four seconds of video that it "
                + "goes with, so the end of it is cut off.", "long");
        assertThat(probe.probe(shortWav).durationSeconds()).isLessThan(2);
        assertThat(probe.probe(longWav).durationSeconds()).isGreaterThan(5);

        Path padded = dir.resolve("voice-short.mp4");
        run(commands.render(voiced(shortWav, padded)));
        Path cut = dir.resolve("voice-long.mp4");
        run(commands.render(voiced(longWav, cut)));

        for (Path video : List.of(padded, cut)) {
            ProbeResult result = probe.probe(video);
            assertThat(result.audioCodec()).isEqualTo("aac");
            assertThat(result.durationSeconds()).as("%s", video.getFileName()).isCloseTo(4, within(0.1));
            assertThat(Fixtures.meanVolume(video, 0, 1)).as("speech at the start").isGreaterThan(-35);
        }
        assertThat(Fixtures.meanVolume(padded, 2.5, 4)).as("silence after the word").isLessThan(-80);
        assertThat(Fixtures.meanVolume(cut, 2.5, 3.9)).as("still speaking").isGreaterThan(-35);
    }

    // ---- title cards ----

    @Test
    void titleCardHasCentredTextOnTheGradientAndHostilePathsWork() throws IOException {
        // The font, too, under a name that needs escaping in the filter graph.
        Path font = Files.copy(drawtext.font().orElseThrow(), dir.resolve("font " + HOSTILE + ".ttf"));
        PromptVideoCommands configured = new PromptVideoCommands(new DrawtextSupport(font.toString(), List.of(), false));
        TitleCard withText = configured.titleCard(new TitleCardRender(Fixtures.FFMPEG, HOSTILE_PROMPT,
                new RenderSize(640, 360), dir, dir.resolve("text.png")));
        run(withText.command());
        TitleCard plain = fontless.titleCard(new TitleCardRender(Fixtures.FFMPEG, HOSTILE_PROMPT,
                new RenderSize(640, 360), dir, dir.resolve("plain.png")));
        run(plain.command());
        assertThat(withText.hasText()).isTrue();
        assertThat(plain.hasText()).isFalse();

        BufferedImage text = ImageIO.read(dir.resolve("text.png").toFile());
        BufferedImage gradient = ImageIO.read(dir.resolve("plain.png").toFile());
        assertThat(List.of(text.getWidth(), text.getHeight(), gradient.getWidth(), gradient.getHeight()))
                .containsExactly(640, 360, 640, 360);
        TextPixels plainPixels = TextPixels.of(gradient);
        assertThat(plainPixels.count()).isZero();
        // A soft gradient: the two corners differ, and neighbouring pixels barely do.
        assertThat(gradient.getRGB(0, 0)).isNotEqualTo(gradient.getRGB(639, 359));
        assertThat(Math.abs(luma(gradient.getRGB(320, 180)) - luma(gradient.getRGB(321, 180)))).isLessThan(3);

        TextPixels textPixels = TextPixels.of(text);
        assertThat(textPixels.count()).as("white text pixels").isGreaterThan(640 * 360 / 100);
        int leftMargin = textPixels.left();
        int rightMargin = 639 - textPixels.right();
        assertThat(Math.abs(leftMargin - rightMargin)).as("%s", textPixels).isLessThanOrEqualTo(24);
        assertThat(leftMargin).isGreaterThan(10);
        int topMargin = textPixels.top();
        int bottomMargin = 359 - textPixels.bottom();
        assertThat(Math.abs(topMargin - bottomMargin)).as("%s", textPixels).isLessThanOrEqualTo(36);
        // Away from the text the card is the same gradient.
        assertThat(text.getRGB(2, 2)).isEqualTo(gradient.getRGB(2, 2));
        assertThat(text.getRGB(637, 357)).isEqualTo(gradient.getRGB(637, 357));
    }

    @Test
    void longPromptIsCutToFitInsideTheCard() throws IOException {
        String prompt = "A very long prompt about many things, ".repeat(60).substring(0, 2000);
        Path textDir = Files.createDirectories(dir.resolve("long"));
        TitleCard longCard = commands.titleCard(new TitleCardRender(Fixtures.FFMPEG, prompt,
                new RenderSize(WIDTH, HEIGHT), textDir, textDir.resolve("long.png")));
        run(longCard.command());

        TextPixels pixels = TextPixels.of(ImageIO.read(textDir.resolve("long.png").toFile()));
        assertThat(pixels.count()).isGreaterThan(WIDTH * HEIGHT / 50);
        // Within the 86% x 78% text area (plus antialiasing), not clipped at an edge.
        assertThat(pixels.left()).as("%s", pixels).isGreaterThanOrEqualTo(WIDTH * 7 / 100 - 2);
        assertThat(pixels.right()).as("%s", pixels).isLessThanOrEqualTo(WIDTH * 93 / 100 + 2);
        assertThat(pixels.top()).as("%s", pixels).isGreaterThan(HEIGHT * 5 / 100);
        assertThat(pixels.bottom()).as("%s", pixels).isLessThan(HEIGHT * 95 / 100);
    }

    // ---- provider videos ----

    @Test
    void providerMp4IsRemuxedWithFastStartAndCut() throws IOException {
        Path provider = Fixtures.ffmpeg(dir.resolve("provider.mp4"), "-f", "lavfi", "-i",
                "testsrc2=s=320x240:rate=25:duration=3", "-f", "lavfi", "-i", "sine=duration=3",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac");
        List<String> before = Fixtures.topLevelBoxes(provider);
        assertThat(before.indexOf("moov")).as("the fixture is not fast start").isGreaterThan(before.indexOf("mdat"));
        Path output = dir.resolve("normalized.mp4");
        List<String> command = commands.normalize(new NormalizeRender(Fixtures.FFMPEG, provider,
                probe.probe(provider), 2, output, dir.resolve("p.txt")));
        assertThat(command).contains("copy");
        run(command);

        ProbeResult result = probe.probe(output);
        assertThat(result.videoCodec()).isEqualTo("h264");
        assertThat(result.audioCodec()).isEqualTo("aac");
        assertThat(result.durationSeconds()).isCloseTo(2, within(0.15));
        List<String> boxes = Fixtures.topLevelBoxes(output);
        assertThat(boxes.indexOf("moov")).as("%s", boxes).isLessThan(boxes.indexOf("mdat"));
    }

    @Test
    void otherProviderFormatsAreTranscodedToH264AndAac() throws IOException {
        Path provider = Fixtures.ffmpeg(dir.resolve("provider.mkv"), "-f", "lavfi", "-i",
                "testsrc2=s=321x241:rate=25:duration=3", "-f", "lavfi", "-i", "sine=duration=3",
                "-vf", "scale=321:241", "-c:v", "mpeg4", "-c:a", "pcm_s16le");
        Path output = dir.resolve("transcoded.mp4");
        run(commands.normalize(new NormalizeRender(Fixtures.FFMPEG, provider, probe.probe(provider), 1.5, output,
                dir.resolve("p.txt"))));

        ProbeResult result = probe.probe(output);
        assertThat(result.videoCodec()).isEqualTo("h264");
        assertThat(result.audioCodec()).isEqualTo("aac");
        assertThat(List.of(result.width(), result.height())).containsExactly(320, 240);
        assertThat(result.durationSeconds()).isCloseTo(1.5, within(0.1));
        assertThat(Fixtures.streamValue(output, "v:0", "pix_fmt")).isEqualTo("yuv420p");
        assertThat(Fixtures.streamValue(output, "v:0", "color_range")).isEqualTo("tv");
        List<String> boxes = Fixtures.topLevelBoxes(output);
        assertThat(boxes.indexOf("moov")).as("%s", boxes).isLessThan(boxes.indexOf("mdat"));
    }

    // ---- helpers ----

    private PromptVideoRender render(PromptVideoRender.Mode mode, List<PromptVideoRender.Still> stills, Path video) {
        return new PromptVideoRender(Fixtures.FFMPEG, mode, stills, 4, new RenderSize(WIDTH, HEIGHT), FPS,
                FitMode.COVER, null, null, 1, video, dir.resolve("p.txt"));
    }

    private PromptVideoRender voiced(Path wav, Path video) {
        return new PromptVideoRender(Fixtures.FFMPEG, PromptVideoRender.Mode.SINGLE, List.of(solid.get(1)), 4,
                new RenderSize(WIDTH, HEIGHT), FPS, FitMode.COVER, null, wav, 1, video, dir.resolve("p.txt"));
    }

    private Path speak(VoiceoverCommands voice, String script, String name) throws IOException {
        Path scriptFile = dir.resolve(name + ".txt");
        VoiceoverCommands.writeScript(script, scriptFile);
        Path wav = dir.resolve(name + ".wav");
        run(voice.speak(scriptFile, wav));
        return wav;
    }

    /**
     * Each frame's mean colour (RGB): converted to RGB at full size (following the stream's BT.709 tags; a scale to
     * 1x1 first would leave the conversion to a later, BT.601 scaler), then averaged to one pixel.
     */
    private static int[][] frameColours(Path video) throws IOException {
        byte[] rgb = Files.readAllBytes(Fixtures.ffmpeg(video.resolveSibling("colours.rgb"), "-i", video.toString(),
                "-vf", "format=rgb24,scale=1:1:flags=area", "-f", "rawvideo", "-pix_fmt", "rgb24"));
        int[][] frames = new int[rgb.length / 3][];
        for (int n = 0; n < frames.length; n++) {
            frames[n] = new int[] {rgb[3 * n] & 0xFF, rgb[3 * n + 1] & 0xFF, rgb[3 * n + 2] & 0xFF};
        }
        return frames;
    }

    private static void assertColour(int[] actual, int[] expected, int tolerance, int frame) {
        for (int c = 0; c < 3; c++) {
            assertThat(actual[c]).as("frame %d: %s vs %s", frame, List.of(actual[0], actual[1], actual[2]),
                    List.of(expected[0], expected[1], expected[2])).isCloseTo(expected[c], within(tolerance));
        }
    }

    private static double luma(int rgb) {
        return 0.2126 * ((rgb >> 16) & 0xFF) + 0.7152 * ((rgb >> 8) & 0xFF) + 0.0722 * (rgb & 0xFF);
    }

    /** The pixels whiter than any card background, and their bounding box. */
    private record TextPixels(int count, int left, int right, int top, int bottom) {
        static TextPixels of(BufferedImage image) {
            int count = 0;
            int left = Integer.MAX_VALUE;
            int right = -1;
            int top = Integer.MAX_VALUE;
            int bottom = -1;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    if (luma(image.getRGB(x, y)) > TEXT_LUMA) {
                        count++;
                        left = Math.min(left, x);
                        right = Math.max(right, x);
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                    }
                }
            }
            return new TextPixels(count, left, right, top, bottom);
        }
    }
}
