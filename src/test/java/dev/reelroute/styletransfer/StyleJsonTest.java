package dev.reelroute.styletransfer;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StyleJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    static final StyleJson SAMPLE = new StyleJson(StyleJson.VERSION,
            new StyleJson.Color(0.52, 0.68, 0.94, 35.5, 0.15, -0.02, 0.2, 0.88, List.of("#f58e00", "#e146e0")),
            new StyleJson.Audio(-14.2, 6.5, -1.3),
            new StyleJson.Motion(0.012, 4.5, 13.3),
            new StyleJson.Format(29.97, 1920, 1080, "16:9", 1.7778, 60.0));

    @Test
    void serializesWithTheDocumentedSnakeCaseNames() throws Exception {
        JsonNode tree = json.readTree(json.writeValueAsString(SAMPLE));

        assertThat(names(tree)).containsExactly("version", "color", "audio", "motion", "format");
        assertThat(tree.get("version").asText()).isEqualTo("1.0");
        assertThat(names(tree.get("color"))).containsExactly("mean_luma", "contrast", "saturation", "hue",
                "temperature", "tint", "black_point", "white_point", "palette");
        assertThat(names(tree.get("audio"))).containsExactly("integrated_lufs", "loudness_range_lu",
                "true_peak_dbtp");
        assertThat(names(tree.get("motion"))).containsExactly("mean_motion", "cuts_per_minute",
                "average_shot_seconds");
        assertThat(names(tree.get("format"))).containsExactly("fps", "width", "height", "aspect_ratio",
                "aspect_ratio_value", "duration_seconds");
        assertThat(tree.at("/color/palette/0").asText()).isEqualTo("#f58e00");
        assertThat(tree.at("/format/aspect_ratio").asText()).isEqualTo("16:9");
    }

    @Test
    void readsBackWhatItWrote() throws Exception {
        StyleJson silent = new StyleJson(StyleJson.VERSION,
                new StyleJson.Color(0.1, 0.2, 0.0, null, 0, 0, 0.05, 0.3, List.of("#101010")), null,
                SAMPLE.motion(), SAMPLE.format());

        assertThat(json.readValue(json.writeValueAsString(SAMPLE), StyleJson.class)).isEqualTo(SAMPLE);
        String written = json.writeValueAsString(silent);
        assertThat(json.readTree(written).get("audio").isNull()).as(written).isTrue();
        assertThat(json.readTree(written).at("/color/hue").isNull()).as(written).isTrue();
        assertThat(json.readValue(written, StyleJson.class)).isEqualTo(silent);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
