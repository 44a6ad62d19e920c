package dev.reelroute.media;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MotionPromptParserTest {

    private final MotionPromptParser parser = new MotionPromptParser();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Zoom in on the lighthouse       | ZOOM_IN   | 0.10 | zoom in",
            "slow PUSH IN towards the door   | ZOOM_IN   | 0.05 | slow zoom in",
            "a dolly in, dramatic            | ZOOM_IN   | 0.20 | fast zoom in",
            "dolly across the room           | ZOOM_IN   | 0.10 | zoom in",
            "gentle zoom-out from the valley | ZOOM_OUT  | 0.05 | slow zoom out",
            "pull out to reveal the city     | ZOOM_OUT  | 0.10 | zoom out",
            "quick pull back                 | ZOOM_OUT  | 0.20 | fast zoom out",
            "DOLLY OUT                       | ZOOM_OUT  | 0.10 | zoom out",
            "pan left over the hills         | PAN_LEFT  | 0.10 | pan left",
            "subtle pan right                | PAN_RIGHT | 0.05 | slow pan right",
            "tilt up to the sky              | TILT_UP   | 0.10 | tilt up",
            "fast tilt down                  | TILT_DOWN | 0.20 | fast tilt down",
            "orbit the statue                | DRIFT     | 0.10 | diagonal drift",
            "slow drift                      | DRIFT     | 0.05 | slow diagonal drift",
            "an arc around the car           | DRIFT     | 0.10 | diagonal drift",
            "static shot                     | STATIC    | 0.00 | static camera",
            "Still life, slow                | STATIC    | 0.00 | static camera",
            "camera locked off               | STATIC    | 0.00 | static camera",
            "no motion please                | STATIC    | 0.00 | static camera",
            "pan right, then zoom in         | PAN_RIGHT | 0.10 | pan right",
    })
    void vocabulary(String prompt, CameraMotion.Kind kind, double amount, String description) {
        ParsedMotion parsed = parser.parse(prompt);
        assertThat(parsed.recognized()).isTrue();
        assertThat(parsed.motion().kind()).isEqualTo(kind);
        assertThat(parsed.motion().amount()).isEqualTo(amount);
        assertThat(parsed.description()).isEqualTo(description);
    }

    @Test
    void wholeWordsOnly() {
        // "archway" is not "arc", "zoomed" is not "zoom", "stillness" is not "still", "panorama" is not "pan".
        for (String prompt : List.of("an archway at dusk", "zoomed inwards", "stillness", "panorama left",
                "tilted upward")) {
            assertThat(parser.parse(prompt).recognized()).as(prompt).isFalse();
        }
    }

    @Test
    void nothingRecognizedFallsBackToTheGentleDefault() {
        for (String prompt : new String[] {null, "", "   ", "a cat on a sofa", "slow and fast"}) {
            ParsedMotion parsed = parser.parse(prompt);
            assertThat(parsed.recognized()).as(prompt).isFalse();
            assertThat(parsed.motion()).isEqualTo(CameraMotion.gentleDefault());
            assertThat(parsed.description()).contains("default");
        }
    }

    @Test
    void onlyTheFirst500CharactersAreRead() {
        String padding = "x".repeat(MotionPromptParser.MAX_PROMPT_CHARS - 8);
        assertThat(parser.parse(padding + " pan left").recognized()).isFalse(); // "pan left" ends at 501
        assertThat(parser.parse(padding + " tilt up").motion().kind()).isEqualTo(CameraMotion.Kind.TILT_UP);
        assertThat(parser.parse("zoom out " + "slow ".repeat(10_000) + " fast").motion().amount())
                .isEqualTo(MotionPromptParser.SLOW);
    }

    @Test
    void ambientBedFromPrompts() {
        assertThat(AmbientBed.pick(null)).isEqualTo(AmbientBed.ROOM_TONE);
        assertThat(AmbientBed.pick(List.of())).isEqualTo(AmbientBed.ROOM_TONE);
        assertThat(AmbientBed.pick(List.of("a cat on a sofa"))).isEqualTo(AmbientBed.ROOM_TONE);
        assertThat(AmbientBed.pick(List.of("Rain on the window", "a cat"))).isEqualTo(AmbientBed.RAIN);
        assertThat(AmbientBed.pick(List.of("storm over the SEA", "waves on the shore", "a drizzle")))
                .isEqualTo(AmbientBed.RAIN); // "storm over the sea" is a tie that RAIN wins: 2 votes to 1
        assertThat(AmbientBed.pick(List.of("windy mountain pass", "desert dunes", "city street")))
                .isEqualTo(AmbientBed.WIND);
        assertThat(AmbientBed.pick(List.of("downtown traffic", "urban night"))).isEqualTo(AmbientBed.CITY_HUM);
        // One vote each: enum order decides.
        assertThat(AmbientBed.pick(List.of("city lights", "beach", "rain"))).isEqualTo(AmbientBed.RAIN);
        assertThat(AmbientBed.pick(List.of("city lights", "beach"))).isEqualTo(AmbientBed.OCEAN);
        // Whole words: "seasons" is not "sea", "rainbow" is not "rain".
        assertThat(AmbientBed.pick(List.of("four seasons", "a rainbow"))).isEqualTo(AmbientBed.ROOM_TONE);
    }

    @Test
    void ambientBedFiltersAreFixedKeywordsAndNumbers() {
        for (AmbientBed bed : AmbientBed.values()) {
            assertThat(bed.filter()).matches("[a-z0-9_=:.,+*()PI-]+").startsWith("anoisesrc=");
        }
    }
}
