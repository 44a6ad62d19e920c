package dev.reelroute.styletransfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.media.InvalidMediaException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The StyleJSON of a video is read from what ffmpeg's metadata filters print about it (frame lines and key=value
 * lines) and from sampled rgb24 pixels, both shaped by the uploaded video. Whatever those files hold, every StyleJSON
 * value is finite and inside the range README.md "StyleJSON" documents, and the document is strict JSON; the only
 * refusal is {@link InvalidMediaException} (no frame measured).
 */
class StyleJsonFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = directory();

    @FuzzTest(maxDuration = "10m")
    void measurementsGiveAStyleJsonInRange(FuzzedDataProvider data) throws IOException {
        double analysedSeconds = data.consumeRegularDouble();
        int width = data.consumeInt(1, 8);
        int height = data.consumeInt(1, 8);
        Path colour = write("colour.txt", data.consumeBytes(4096));
        Path motionFile = write("motion.txt", data.consumeBytes(4096));
        Path cuts = write("cuts.txt", data.consumeBytes(2048));
        Path loudness = write("loudness.txt", data.consumeBytes(2048));
        Path pixels = write("pixels.rgb", data.consumeRemainingAsBytes());

        StyleJson.Color color;
        try {
            color = StyleMeasurements.color(colour, PixelSample.read(pixels, width, height, 4));
        } catch (InvalidMediaException noFrame) {
            assertThat(noFrame.getMessage()).isNotBlank();
            return;
        }
        StyleJson.Motion motion = StyleMeasurements.motion(motionFile, cuts, analysedSeconds);
        StyleJson.Audio audio = StyleMeasurements.audio(loudness);

        for (double unit : new double[] {color.meanLuma(), color.contrast(), color.saturation(), color.blackPoint(),
                color.whitePoint(), motion.meanMotion()}) {
            assertThat(unit).isBetween(0.0, 1.0);
        }
        assertThat(color.temperature()).isBetween(-1.0, 1.0);
        assertThat(color.tint()).isBetween(-1.0, 1.0);
        if (color.hue() != null) {
            assertThat(color.hue()).isBetween(0.0, 360.0);
        }
        assertThat(color.palette()).hasSizeLessThanOrEqualTo(5).allMatch(hex -> hex.matches("#[0-9a-f]{6}"));
        assertThat(motion.cutsPerMinute()).isFinite().isNotNegative();
        assertThat(motion.averageShotSeconds()).isFinite().isNotNegative();
        if (audio != null) {
            assertThat(audio.integratedLufs()).isFinite().isGreaterThanOrEqualTo(StyleMeasurements.SILENCE_LUFS);
            assertThat(audio.loudnessRangeLu()).isFinite().isNotNegative();
            assertThat(audio.truePeakDbtp()).isBetween(StyleMeasurements.SILENCE_DBTP, StyleMeasurements.MAX_DBTP);
        }
        String document = JSON.writeValueAsString(new StyleJson(StyleJson.VERSION, color, audio, motion, null));
        JsonNode strict = JSON.reader().without(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(document);
        assertThat(strict.path("color").path("mean_luma").isNumber()).isTrue();
    }

    private static Path write(String name, byte[] bytes) {
        try {
            return Files.write(DIR.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        try {
            Path dir = Files.createTempDirectory("fuzz-style-json");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
