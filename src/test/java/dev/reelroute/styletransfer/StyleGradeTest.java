package dev.reelroute.styletransfer;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StyleGradeTest {

    private static final StyleJson SOURCE = style(0.37, 0.62, 0.43, -0.10, 0.02, new StyleJson.Audio(-28, 3, -26));
    private static final StyleJson TEMPLATE = style(0.49, 0.74, 0.86, 0.15, 0.07, new StyleJson.Audio(-14, 5, -12));

    @Test
    void noTemplateAndNoConfigChangeNothing() {
        StyleGrade grade = StyleGrade.of(SOURCE, null, StyleConfig.NONE, 1);

        assertThat(grade.changesColour()).isFalse();
        assertThat(grade.gainDb()).isNull();
        assertThat(grade.loudnessFilters()).isEmpty();
    }

    @Test
    void strengthZeroKeepsTheColourButStillMatchesLoudness() {
        StyleGrade grade = StyleGrade.of(SOURCE, TEMPLATE, StyleConfig.NONE, 0);

        assertThat(grade.changesColour()).isFalse();
        assertThat(grade.gainDb()).isCloseTo(14, within(1e-9));
    }

    @Test
    void fullStrengthAimsAtTheTemplate() {
        StyleGrade grade = StyleGrade.of(SOURCE, TEMPLATE, StyleConfig.NONE, 1);

        assertThat(grade.contrastFactor()).isCloseTo(0.74 / 0.62, within(1e-9));
        assertThat(grade.sourceLuma()).isCloseTo(16 + 219 * 0.37, within(1e-9));
        assertThat(grade.targetLuma()).isCloseTo(16 + 219 * 0.49, within(1e-9));
        assertThat(grade.saturationFactor()).isGreaterThan(1.5);
        // Warmer: less blue (Cb down), more red (Cr up).
        assertThat(grade.cbOffset()).isNegative();
        assertThat(grade.crOffset()).isPositive();
        assertThat(grade.limitPeaks()).as("-26 dBTP + 14 dB stays under -1 dBTP").isFalse();
        assertThat(grade.lutFilter()).startsWith("lutyuv=y=").doesNotContain(",", "[", ";", "'");
    }

    @Test
    void configTargetsWinOverTheTemplate() {
        StyleConfig config = new StyleConfig(null, 0.37, null, null, null, null, -20.0, false, false, null, null,
                null);
        StyleGrade grade = StyleGrade.of(SOURCE, TEMPLATE, config, 1);

        assertThat(grade.targetLuma()).isCloseTo(grade.sourceLuma(), within(1e-9));
        assertThat(grade.gainDb()).isCloseTo(8, within(1e-9));
    }

    @Test
    void factorsAndOffsetsAreBounded() {
        StyleJson flatGrey = style(0.5, 0.02, 0.0, 0, 0, new StyleJson.Audio(-60, 0, -25));
        StyleJson vivid = style(0.5, 1.0, 1.0, 1.0, -1.0, new StyleJson.Audio(-5, 0, -1));
        StyleGrade grade = StyleGrade.of(flatGrey, vivid, StyleConfig.NONE, 1);

        assertThat(grade.contrastFactor()).isEqualTo(StyleGrade.MAX_CONTRAST_FACTOR);
        assertThat(grade.saturationFactor()).as("grey has no colour to scale").isEqualTo(1);
        assertThat(Math.abs(grade.cbOffset())).isLessThanOrEqualTo(StyleGrade.MAX_CHROMA_OFFSET);
        assertThat(Math.abs(grade.crOffset())).isLessThanOrEqualTo(StyleGrade.MAX_CHROMA_OFFSET);
        assertThat(grade.gainDb()).isEqualTo(StyleGrade.MAX_GAIN_DB);
        assertThat(grade.limitPeaks()).as("-25 dBTP + 30 dB").isTrue();
        assertThat(grade.loudnessFilters()).contains("alimiter=limit=0.891251:level=0:latency=1");
    }

    @Test
    void silenceIsNeitherMatchedNorAmplified() {
        StyleJson silentSource = style(0.4, 0.6, 0.4, 0, 0, new StyleJson.Audio(-70, 0, -99));
        StyleJson silentTemplate = style(0.4, 0.6, 0.4, 0, 0, new StyleJson.Audio(-70, 0, -99));

        assertThat(StyleGrade.of(silentSource, TEMPLATE, StyleConfig.NONE, 1).gainDb()).isNull();
        assertThat(StyleGrade.of(SOURCE, silentTemplate, StyleConfig.NONE, 1).gainDb()).isNull();
        assertThat(StyleGrade.of(style(0.4, 0.6, 0.4, 0, 0, null), TEMPLATE, StyleConfig.NONE, 1).gainDb()).isNull();
    }

    @Test
    void temperatureAndTintTurnBackIntoTheirChroma() {
        ChromaCast cast = new ChromaCast(-0.03, 0.05);
        ChromaCast back = ChromaCast.of(cast.temperature(), cast.tint());

        assertThat(back.pb()).isCloseTo(-0.03, within(1e-12));
        assertThat(back.pr()).isCloseTo(0.05, within(1e-12));
        // Pure red (R=1, G=B=0): R - B = 1 and G - (R + B) / 2 = -0.5.
        double y = 0.2126;
        ChromaCast red = new ChromaCast((0 - y) / 1.8556, (1 - y) / 1.5748);
        assertThat(red.temperature()).isCloseTo(1, within(1e-3));
        assertThat(red.tint()).isCloseTo(-0.5, within(1e-3));
    }

    static StyleJson style(double luma, double contrast, double saturation, double temperature, double tint,
                           StyleJson.Audio audio) {
        return new StyleJson(StyleJson.VERSION,
                new StyleJson.Color(luma, contrast, saturation, null, temperature, tint, luma - contrast / 2,
                        luma + contrast / 2, List.of()),
                audio, new StyleJson.Motion(0, 0, 3), new StyleJson.Format(25, 320, 180, "16:9", 1.7778, 3));
    }
}
