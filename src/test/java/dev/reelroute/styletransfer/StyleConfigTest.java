package dev.reelroute.styletransfer;

import dev.reelroute.media.FitMode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StyleConfigTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsEveryField() throws Exception {
        StyleConfig config = StyleConfig.parse(json.readTree("""
                {"strength": 0.5, "mean_luma": 0.6, "contrast": 0.7, "saturation": 0.4, "temperature": -0.1,
                 "tint": 0.05, "target_lufs": -16, "match_fps": true, "match_aspect": true, "aspect_fit": "crop",
                 "max_width": 1280, "max_height": 720}"""));

        assertThat(config).isEqualTo(new StyleConfig(0.5, 0.6, 0.7, 0.4, -0.1, 0.05, -16.0, true, true,
                FitMode.COVER, 1280, 720));
    }

    @Test
    void nothingSetIsNone() throws Exception {
        assertThat(StyleConfig.parse(null)).isEqualTo(StyleConfig.NONE);
        assertThat(StyleConfig.parse(json.readTree("null"))).isEqualTo(StyleConfig.NONE);
        assertThat(StyleConfig.parse(json.readTree("{}"))).isEqualTo(StyleConfig.NONE);
        assertThat(StyleConfig.parse(json.readTree("{\"strength\": null}"))).isEqualTo(StyleConfig.NONE);
        assertThat(StyleConfig.parse(json.readTree("{\"aspect_fit\": \"pad\"}")).aspectFit())
                .isEqualTo(FitMode.CONTAIN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[]                            | config             | must be a JSON object",
            "{\"brightness\": 0.5}         | config.brightness  | is not a known setting",
            "{\"strength\": 1.5}           | config.strength    | must be within 0..1: 1.5",
            "{\"strength\": \"0.5\"}       | config.strength    | must be a number",
            "{\"mean_luma\": -0.1}         | config.mean_luma   | must be within 0..1",
            "{\"contrast\": 0}             | config.contrast    | must be within 0.01..1: 0",
            "{\"saturation\": 2}           | config.saturation  | must be within 0..1: 2",
            "{\"temperature\": -1.5}       | config.temperature | must be within -1..1",
            "{\"tint\": 3}                 | config.tint        | must be within -1..1",
            "{\"target_lufs\": 0}          | config.target_lufs | must be within -50..-5: 0",
            "{\"match_fps\": \"yes\"}      | config.match_fps   | must be true or false",
            "{\"match_aspect\": 1}         | config.match_aspect | must be true or false",
            "{\"aspect_fit\": \"stretch\"} | config.aspect_fit  | must be \"pad\", \"crop\" or \"auto\"",
            "{\"max_width\": 1280.5}       | config.max_width   | must be a whole number",
            "{\"max_height\": 8}           | config.max_height  | must be within 16..3840: 8",
            "{\"max_height\": 1e12}        | config.max_height  | must be a whole number",
    })
    void errorsNameTheField(String config, String field, String problem) throws Exception {
        assertThatThrownBy(() -> StyleConfig.parse(json.readTree(config)))
                .isInstanceOfSatisfying(StyleConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageStartingWith(field + " " + problem);
    }

    @Test
    void templateSettingsNeedATemplate() throws Exception {
        StyleConfig fps = StyleConfig.parse(json.readTree("{\"match_fps\": true}"));
        StyleConfig aspect = StyleConfig.parse(json.readTree("{\"match_aspect\": true}"));

        fps.requireUsableWith(true);
        aspect.requireUsableWith(true);
        assertThatThrownBy(() -> fps.requireUsableWith(false)).isInstanceOfSatisfying(StyleConfigException.class,
                e -> assertThat(e.field()).isEqualTo("config.match_fps"));
        assertThatThrownBy(() -> aspect.requireUsableWith(false)).isInstanceOfSatisfying(StyleConfigException.class,
                e -> assertThat(e.field()).isEqualTo("config.match_aspect"));
    }
}
