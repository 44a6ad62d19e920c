package dev.reelroute.prompt;

import dev.reelroute.media.RenderSize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class TitleCardLayoutTest {

    private static final RenderSize HD = RenderSize.DEFAULT;
    private final TitleCardLayout.TextWidth font = TitleCardLayout.measuring(
            new DrawtextSupport("", DrawtextSupport.WELL_KNOWN_FONTS, true).font().orElseThrow());

    @TempDir
    Path dir;

    @Test
    void displayTextIsOneLineOfWordsCutAtAWordWithAnEllipsis() {
        assertThat(TitleCardLayout.displayText(" a\tb\n\nc\u202Ed\u00A0e ")).isEqualTo("a b c d e");
        assertThat(TitleCardLayout.displayText(null)).isEmpty();
        String cut = TitleCardLayout.displayText("word ".repeat(400));
        assertThat(cut).endsWith("word…").hasSizeLessThanOrEqualTo(TitleCardLayout.MAX_DISPLAY_CHARS);
        // No word boundary near the limit: cut between characters, never inside a surrogate pair.
        String emoji = "\uD83C\uDF05";
        String cutEmoji = TitleCardLayout.displayText(emoji.repeat(300));
        assertThat(cutEmoji.codePointCount(0, cutEmoji.length())).isEqualTo(TitleCardLayout.MAX_DISPLAY_CHARS);
        assertThat(cutEmoji).isEqualTo(emoji.repeat(TitleCardLayout.MAX_DISPLAY_CHARS - 1) + "…");
    }

    @Test
    void aShortPromptIsOneLargeCentredLine() {
        TitleCardLayout layout = TitleCardLayout.of("A lighthouse at dusk", HD, font);
        assertThat(layout.lines()).containsExactly("A lighthouse at dusk");
        assertThat(layout.fontSize()).isEqualTo(80); // 720 / 9
        int baseline = layout.baselines().get(0);
        assertThat(baseline).isBetween(360, 360 + 40); // capitals centred: baseline about 0.35 em below the middle
    }

    @Test
    void theLongestPromptShrinksThenIsCutAndEveryLineFits() {
        for (RenderSize size : List.of(HD, new RenderSize(720, 1280), new RenderSize(320, 180))) {
            String prompt = "An extraordinarily detailed prompt, with commas and long words like "
                    + "incomprehensibilities; ".repeat(100);
            TitleCardLayout layout = TitleCardLayout.of(prompt.substring(0, 2000), size, font);
            assertThat(layout.lines()).as("%s", size).isNotEmpty().hasSizeLessThanOrEqualTo(TitleCardLayout.MAX_LINES);
            assertThat(layout.lines().get(layout.lines().size() - 1)).endsWith("…");
            for (String line : layout.lines()) {
                assertThat(font.of(line, layout.fontSize())).as("%s: %s", size, line)
                        .isLessThanOrEqualTo(TitleCardLayout.MAX_TEXT_WIDTH * size.width());
            }
            int blockHeight = layout.lines().size() * TitleCardLayout.lineHeight(layout.fontSize());
            assertThat(blockHeight).isLessThanOrEqualTo((int) (TitleCardLayout.MAX_TEXT_HEIGHT * size.height()));
            assertThat(layout.baselines()).isSorted();
            assertThat(layout.baselines().get(0)).isGreaterThan(layout.fontSize());
            assertThat(layout.baselines().get(layout.baselines().size() - 1)).isLessThan(size.height());
        }
    }

    @Test
    void aWordWiderThanTheCardIsBrokenBetweenCharacters() {
        String url = "https://example.com/" + "x".repeat(200);
        List<String> lines = TitleCardLayout.wrap("see " + url, 300, 20, font);
        assertThat(lines.get(0)).isEqualTo("see");
        assertThat(String.join("", lines.subList(1, lines.size()))).isEqualTo(url);
        assertThat(lines).allSatisfy(line -> assertThat(font.of(line, 20)).isLessThanOrEqualTo(300));
    }

    @Test
    void aSmallCardKeepsTheLinesThatFitAtTheSmallestSize() {
        // 64x64 at the 10 px minimum: 3 lines of 13 px fit in 78% of the height.
        TitleCardLayout layout = TitleCardLayout.of("Many words that cannot all fit on such a small card",
                new RenderSize(64, 64), font);
        assertThat(layout.fontSize()).isEqualTo(TitleCardLayout.MIN_FONT_SIZE);
        assertThat(layout.lines()).hasSize(3);
        assertThat(layout.lines().get(2)).endsWith("…");
        assertThat(layout.lines()).allSatisfy(line -> assertThat(font.of(line, 10)).isLessThanOrEqualTo(0.86 * 64));
        assertThat(TitleCardLayout.of("Hello", new RenderSize(16, 16), font).lines()).isEmpty();
    }

    @Test
    void realMetricsAreUsedAndTheEstimateIsWider() throws IOException {
        assertThat(font.of("iiii", 40)).isLessThan(font.of("WWWW", 40) / 2);
        String text = "The quick brown fox jumps over the lazy dog";
        assertThat(TitleCardLayout.ESTIMATE.of(text, 40)).isGreaterThan(font.of(text, 40));
        Path notAFont = Files.writeString(dir.resolve("font.ttf"), "not a font");
        assertThat(TitleCardLayout.measuring(notAFont)).isSameAs(TitleCardLayout.ESTIMATE);
    }
}
