package dev.reelroute.styletransfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.media.RenderSize;
import dev.reelroute.web.ApiException;

/**
 * A style job's {@code config} as any JSON: a config whose every value is inside its documented range, or a
 * {@link StyleConfigException} naming a {@code config.*} field (a 400 through {@link StyleConfigs}); nothing else.
 */
class StyleConfigFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StyleConfigs CHECK = new StyleConfigs();

    @FuzzTest(maxDuration = "10m")
    void configIsInRangeOrNamesTheField(byte[] input) {
        // raw bytes, not a String parameter: the committed inputs are then the exact text, readable as such
        String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException | IllegalArgumentException notJson) {
            return;
        }
        StyleConfig config;
        try {
            config = StyleConfig.parse(node);
        } catch (StyleConfigException refused) {
            assertThat(refused.field()).startsWith("config");
            assertThat(refusedByTheSurface(node)).isEqualTo(400);
            return;
        }
        within(config.strength(), 0, 1);
        within(config.meanLuma(), 0, 1);
        within(config.contrast(), StyleConfig.MIN_CONTRAST, 1);
        within(config.saturation(), 0, 1);
        within(config.temperature(), -1, 1);
        within(config.tint(), -1, 1);
        within(config.targetLufs(), StyleConfig.MIN_TARGET_LUFS, StyleConfig.MAX_TARGET_LUFS);
        within(config.maxWidth() == null ? null : config.maxWidth().doubleValue(), RenderSize.MIN_SIDE,
                RenderSize.MAX_SIDE);
        within(config.maxHeight() == null ? null : config.maxHeight().doubleValue(), RenderSize.MIN_SIDE,
                RenderSize.MAX_SIDE);
        if (config.matchFps() || config.matchAspect()) {
            assertThat(refusedByTheSurface(node)).isEqualTo(400); // without a template
        }
    }

    private static int refusedByTheSurface(JsonNode node) {
        try {
            CHECK.check(node, false);
            return 200;
        } catch (ApiException refused) {
            return refused.getStatus();
        }
    }

    private static void within(Double value, double min, double max) {
        if (value != null) {
            assertThat(value).isBetween(min, max);
        }
    }
}
