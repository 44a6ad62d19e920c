package dev.reelroute.styletransfer;

import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FfmpegProgress;
import dev.reelroute.media.Fixtures;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.reelroute.media.Fixtures.run;
import static dev.reelroute.media.Fixtures.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Style analysis and application by the real ffmpeg, in a work directory whose name is full of filter-graph and
 * shell syntax: a warm, saturated, bright, loud template and a cool, pale, dark, quiet source are made here,
 * analysed, the source graded toward the template, and the result analysed again.
 *
 * <p>The grade closes at least {@value #CLOSED} of the source-to-template distance in mean luma, contrast,
 * saturation, temperature and hue (measured: 97-100 % with ffmpeg 5.1 and 8), and lands within 1 LU of the
 * template's integrated loudness.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StyleTransferRenderTest {

    /** Share of the source-to-template distance the grade must close at strength 1. */
    static final double CLOSED = 0.8;
    private static final String CLIP = "testsrc2=s=320x180:rate=25:duration=3";
    private static final String WARM_BRIGHT = "eq=brightness=0.12:saturation=1.5,colorchannelmixer=rr=1.1:gg=0.95:bb=0.7";
    private static final String COOL_DARK =
            "eq=brightness=-0.08:saturation=0.45:contrast=0.8,colorchannelmixer=rr=0.85:bb=1.1";

    @TempDir
    static Path root;

    private Path dir;
    private final MediaProbe probe = new MediaProbe(new FfmpegBinaries(Fixtures.FFMPEG, Fixtures.FFPROBE));
    private final StyleAnalysisCommands analysis = new StyleAnalysisCommands(StyleProperties.DEFAULTS);
    private final StyleApplicationCommands application = new StyleApplicationCommands(StyleProperties.DEFAULTS);
    private Path template;
    private Path source;
    private StyleJson templateStyle;
    private StyleJson sourceStyle;

    @BeforeAll
    void makeAndAnalyseClips() throws IOException {
        dir = Files.createDirectories(root.resolve(HOSTILE + "style"));
        template = clip("template.mp4", WARM_BRIGHT, "sine=frequency=440:duration=3", "volume=8dB");
        source = clip("source.mp4", COOL_DARK, "sine=frequency=330:duration=3", "volume=-6dB");
        templateStyle = analyse(template);
        sourceStyle = analyse(source);
    }

    @Test
    void fixturesDifferInEveryMeasureTheGradeMoves() {
        StyleJson.Color t = templateStyle.color();
        StyleJson.Color s = sourceStyle.color();
        assertThat(t.meanLuma() - s.meanLuma()).as("template brighter").isGreaterThan(0.08);
        assertThat(t.contrast() - s.contrast()).as("template more contrasted").isGreaterThan(0.05);
        assertThat(t.saturation() - s.saturation()).as("template more saturated").isGreaterThan(0.2);
        assertThat(t.temperature() - s.temperature()).as("template warmer").isGreaterThan(0.15);
        assertThat(hueDistance(t.hue(), s.hue())).as("hues apart").isGreaterThan(60);
        assertThat(templateStyle.audio().integratedLufs() - sourceStyle.audio().integratedLufs())
                .as("template louder").isGreaterThan(10);
    }

    @Test
    void gradeClosesMostOfTheDistanceToTheTemplate() throws IOException {
        Path output = dir.resolve("graded.mp4");
        Path progress = dir.resolve("graded-progress.txt");
        run(application.apply(new StyleApplicationRender(Fixtures.FFMPEG, source, probe.probe(source), sourceStyle,
                templateStyle, StyleConfig.NONE, output, progress)));
        StyleJson graded = analyse(output);

        StyleJson.Color t = templateStyle.color();
        StyleJson.Color s = sourceStyle.color();
        StyleJson.Color g = graded.color();
        assertClosed("mean luma", s.meanLuma(), t.meanLuma(), g.meanLuma());
        assertClosed("contrast", s.contrast(), t.contrast(), g.contrast());
        assertClosed("saturation", s.saturation(), t.saturation(), g.saturation());
        assertClosed("temperature", s.temperature(), t.temperature(), g.temperature());
        assertThat(hueDistance(g.hue(), t.hue())).as("hue %s -> %s, template %s", s.hue(), g.hue(), t.hue())
                .isLessThanOrEqualTo((1 - CLOSED) * hueDistance(s.hue(), t.hue()));
        assertThat(graded.audio().integratedLufs()).isCloseTo(templateStyle.audio().integratedLufs(), within(1.0));

        ProbeResult result = probe.probe(output);
        assertThat(List.of(result.videoCodec(), result.audioCodec())).containsExactly("h264", "aac");
        assertThat(List.of(result.width(), result.height())).containsExactly(320, 180);
        assertThat(result.durationSeconds()).isCloseTo(3, within(0.1));
        assertThat(Fixtures.streamValue(output, "v:0", "pix_fmt")).isEqualTo("yuv420p");
        assertThat(Fixtures.streamValue(output, "v:0", "color_range")).isEqualTo("tv");
        assertThat(Fixtures.streamValue(output, "v:0", "color_space")).isEqualTo("bt709");
        List<String> boxes = Fixtures.topLevelBoxes(output);
        assertThat(boxes.indexOf("moov")).as("faststart: %s", boxes).isLessThan(boxes.indexOf("mdat"));
        assertThat(FfmpegProgress.ended(Files.readString(progress))).isTrue();
    }

    @Test
    void halfStrengthMovesAboutHalfWay() throws IOException {
        Path output = dir.resolve("half.mp4");
        run(application.apply(new StyleApplicationRender(Fixtures.FFMPEG, source, probe.probe(source), sourceStyle,
                templateStyle, config("{\"strength\": 0.5}"), output, dir.resolve("p.txt"))));
        StyleJson.Color half = analyse(output).color();

        double luma = (half.meanLuma() - sourceStyle.color().meanLuma())
                / (templateStyle.color().meanLuma() - sourceStyle.color().meanLuma());
        double saturation = (half.saturation() - sourceStyle.color().saturation())
                / (templateStyle.color().saturation() - sourceStyle.color().saturation());
        assertThat(luma).as("share of the luma distance moved").isBetween(0.4, 0.6);
        assertThat(saturation).as("share of the saturation distance moved").isBetween(0.4, 0.6);
    }

    @Test
    void sourceWithoutAudioGivesVideoWithoutAudio() throws IOException {
        Path silent = clip("silent-source.mp4", COOL_DARK, null, null);
        StyleJson silentStyle = analyse(silent);
        assertThat(silentStyle.audio()).isNull();

        Path output = dir.resolve("silent-graded.mp4");
        run(application.apply(new StyleApplicationRender(Fixtures.FFMPEG, silent, probe.probe(silent), silentStyle,
                templateStyle, StyleConfig.NONE, output, dir.resolve("p.txt"))));
        ProbeResult result = probe.probe(output);
        assertThat(result.hasAudio()).isFalse();
        assertThat(result.streamCount()).isEqualTo(1);
        assertThat(analyse(output).color().meanLuma())
                .isCloseTo(templateStyle.color().meanLuma(), within(0.2 * distance(sourceStyle, templateStyle)));
    }

    @Test
    void templateWithoutAudioLeavesTheLoudnessAlone() throws IOException {
        Path mute = clip("mute-template.mp4", WARM_BRIGHT, null, null);
        StyleJson muteStyle = analyse(mute);
        assertThat(muteStyle.audio()).isNull();

        Path output = dir.resolve("mute-graded.mp4");
        run(application.apply(new StyleApplicationRender(Fixtures.FFMPEG, source, probe.probe(source), sourceStyle,
                muteStyle, StyleConfig.NONE, output, dir.resolve("p.txt"))));
        assertThat(analyse(output).audio().integratedLufs())
                .isCloseTo(sourceStyle.audio().integratedLufs(), within(0.5));
    }

    @Test
    void withoutTemplateOnlyWhatTheConfigAsksForChanges() throws IOException {
        Path output = dir.resolve("configured.mp4");
        run(application.apply(new StyleApplicationRender(Fixtures.FFMPEG, source, probe.probe(source), sourceStyle,
                null, config("{\"mean_luma\": 0.6, \"target_lufs\": -20}"), output, dir.resolve("p.txt"))));
        StyleJson configured = analyse(output);

        assertThat(configured.color().meanLuma()).isCloseTo(0.6, within(0.03));
        assertThat(configured.audio().integratedLufs()).isCloseTo(-20, within(1.0));
        assertThat(configured.color().saturation()).isCloseTo(sourceStyle.color().saturation(), within(0.03));
        assertThat(configured.color().temperature()).isCloseTo(sourceStyle.color().temperature(), within(0.02));
        assertThat(configured.color().contrast()).isCloseTo(sourceStyle.color().contrast(), within(0.03));
    }

    @ParameterizedTest
    @CsvSource({"pad, true", "crop, false"})
    void matchesTheTemplatesFrameRateAndAspect(String fit, boolean bars) throws IOException {
        Path portrait = Fixtures.ffmpeg(dir.resolve("portrait.mp4"), "-f", "lavfi", "-i",
                "testsrc2=s=180x320:rate=15:duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p");
        StyleJson portraitStyle = analyse(portrait);
        Path output = dir.resolve("portrait-" + fit + ".mp4");
        run(application.apply(new StyleApplicationRender(Fixtures.FFMPEG, source, probe.probe(source), sourceStyle,
                portraitStyle, config("{\"match_fps\": true, \"match_aspect\": true, \"aspect_fit\": \"" + fit + "\"}"),
                output, dir.resolve("p.txt"))));

        ProbeResult result = probe.probe(output);
        // 9:16 at about the source's 320x180 pixels.
        assertThat(List.of(result.width(), result.height())).containsExactly(180, 320);
        assertThat(result.fps()).isCloseTo(15, within(0.01));
        double topRows = bandLuma(output, 180, 40);
        if (bars) {
            assertThat(topRows).as("black bar above the padded picture").isLessThan(20);
        } else {
            assertThat(topRows).as("picture up to the top edge").isGreaterThan(40);
        }
    }

    @Test
    void hardCutsAreCounted() throws IOException {
        Path cuts = Fixtures.ffmpeg(dir.resolve("cuts.mp4"), "-filter_complex",
                "color=c=0xC83C3C:s=320x180:r=25:d=1[a];color=c=0x3CC83C:s=320x180:r=25:d=1[b];"
                        + "color=c=0x3C3CC8:s=320x180:r=25:d=1[c];[a][b][c]concat=n=3:v=1:a=0",
                "-c:v", "libx264", "-pix_fmt", "yuv420p");
        StyleJson.Motion motion = analyse(cuts).motion();

        assertThat(motion.cutsPerMinute() * 3 / 60).as("cuts in 3 s").isCloseTo(2, within(0.01));
        assertThat(motion.averageShotSeconds()).isCloseTo(1, within(0.01));
    }

    @Test
    void staticClipHasNoMotionAndMovingOneHas() throws IOException {
        Path still = Fixtures.ffmpeg(dir.resolve("still.mp4"), "-f", "lavfi", "-i",
                "smptebars=s=320x180:rate=25:duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p");
        StyleJson.Motion motion = analyse(still).motion();

        assertThat(motion.meanMotion()).isLessThan(0.001);
        assertThat(motion.cutsPerMinute()).isZero();
        assertThat(sourceStyle.motion().meanMotion()).as("testsrc2 moves").isGreaterThan(0.003);
    }

    @Test
    void analysisReportsProgressAndFormat() throws IOException {
        Path work = Files.createDirectories(dir.resolve("progress"));
        StyleAnalysisRender r = new StyleAnalysisRender(Fixtures.FFMPEG, template, probe.probe(template), work,
                work.resolve("progress.txt"));
        run(analysis.analyze(r));

        String progress = Files.readString(r.progressFile());
        assertThat(FfmpegProgress.ended(progress)).isTrue();
        assertThat(FfmpegProgress.percent(FfmpegProgress.lastOutTimeMicros(progress).orElseThrow(),
                analysis.analysedSeconds(r.probe()))).isGreaterThanOrEqualTo(95);
        assertThat(templateStyle.format()).isEqualTo(new StyleJson.Format(25, 320, 180, "16:9", 1.7778, 3));
        assertThat(templateStyle.color().palette()).hasSize(PixelSample.PALETTE_SIZE)
                .allMatch(colour -> colour.matches("#[0-9a-f]{6}"));
    }

    @Test
    void bundledFfmpegMeasuresAndGradesAlike() throws IOException {
        String bundled = FfmpegBinaries.bundledOnly().ffmpeg();
        Path work = Files.createDirectories(dir.resolve("bundled"));
        StyleAnalysisRender r = new StyleAnalysisRender(bundled, source, probe.probe(source), work,
                work.resolve("progress.txt"));
        run(analysis.analyze(r));
        StyleJson measured = analysis.read(r, r.probe());
        assertThat(measured.color().meanLuma()).isCloseTo(sourceStyle.color().meanLuma(), within(0.005));
        assertThat(measured.color().saturation()).isCloseTo(sourceStyle.color().saturation(), within(0.005));
        assertThat(measured.audio().integratedLufs()).isCloseTo(sourceStyle.audio().integratedLufs(), within(0.1));

        Path output = dir.resolve("bundled-graded.mp4");
        run(application.apply(new StyleApplicationRender(bundled, source, probe.probe(source), measured,
                templateStyle, StyleConfig.NONE, output, dir.resolve("p.txt"))));
        StyleJson graded = analyse(output);
        assertClosed("mean luma", sourceStyle.color().meanLuma(), templateStyle.color().meanLuma(),
                graded.color().meanLuma());
        assertThat(graded.audio().integratedLufs()).isCloseTo(templateStyle.audio().integratedLufs(), within(1.0));
    }

    // ---- helpers ----

    /** A 3 s clip: testsrc2 through {@code look}, with {@code tone} through {@code level} (or no sound when null). */
    private Path clip(String name, String look, String tone, String level) throws IOException {
        if (tone == null) {
            return Fixtures.ffmpeg(dir.resolve(name), "-f", "lavfi", "-i", CLIP, "-vf", look,
                    "-c:v", "libx264", "-pix_fmt", "yuv420p");
        }
        return Fixtures.ffmpeg(dir.resolve(name), "-f", "lavfi", "-i", CLIP, "-f", "lavfi", "-i", tone,
                "-vf", look, "-af", level, "-ac", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac");
    }

    private StyleJson analyse(Path video) throws IOException {
        Path work = Files.createTempDirectory(dir, "analysis");
        StyleAnalysisRender r = new StyleAnalysisRender(Fixtures.FFMPEG, video, probe.probe(video), work,
                work.resolve("progress.txt"));
        run(analysis.analyze(r));
        return analysis.read(r, r.probe());
    }

    private static StyleConfig config(String json) throws IOException {
        return StyleConfig.parse(new ObjectMapper().readTree(json));
    }

    private static double distance(StyleJson a, StyleJson b) {
        return Math.abs(a.color().meanLuma() - b.color().meanLuma());
    }

    private static void assertClosed(String what, double source, double template, double output) {
        assertThat(Math.abs(output - template)).as("%s: source %s, template %s, output %s", what, source, template,
                output).isLessThanOrEqualTo((1 - CLOSED) * Math.abs(source - template));
    }

    private static double hueDistance(Double a, Double b) {
        assertThat(a).as("hue").isNotNull();
        assertThat(b).as("hue").isNotNull();
        double d = Math.abs(a - b) % 360;
        return Math.min(d, 360 - d);
    }

    /** Mean luma (8-bit code value) of the top {@code rows} rows of the first frame. */
    private static double bandLuma(Path video, int width, int rows) throws IOException {
        byte[] gray = Files.readAllBytes(Fixtures.ffmpeg(video.resolveSibling("band.gray"), "-i", video.toString(),
                "-frames:v", "1", "-vf", "crop=" + width + ":" + rows + ":0:0", "-f", "rawvideo", "-pix_fmt", "gray"));
        double sum = 0;
        for (byte b : gray) {
            sum += b & 0xFF;
        }
        return sum / gray.length;
    }
}
