package dev.reelroute.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any prompt text: a motion from the vocabulary with one of the three documented amounts (or the default), and only
 * the first {@value MotionPromptParser#MAX_PROMPT_CHARS} characters matter.
 */
class MotionPromptParserFuzzTest {
    private static final MotionPromptParser PARSER = new MotionPromptParser();

    @FuzzTest(maxDuration = "10m")
    void parseGivesAVocabularyMotion(byte[] input) {
        // raw bytes, not a String parameter: the committed inputs are then the exact text, readable as such
        String prompt = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        ParsedMotion parsed = PARSER.parse(prompt);
        assertThat(parsed.motion()).isNotNull();
        assertThat(parsed.description()).isNotBlank();
        if (!parsed.recognized()) {
            assertThat(parsed.motion()).isEqualTo(CameraMotion.gentleDefault());
        } else if (parsed.motion().isStatic()) {
            assertThat(parsed.motion()).isEqualTo(CameraMotion.none());
        } else {
            assertThat(parsed.motion().amount()).isIn(MotionPromptParser.SLOW, MotionPromptParser.MEDIUM,
                    MotionPromptParser.FAST);
        }
        if (prompt.length() > MotionPromptParser.MAX_PROMPT_CHARS) {
            assertThat(PARSER.parse(prompt.substring(0, MotionPromptParser.MAX_PROMPT_CHARS))).isEqualTo(parsed);
        }
    }
}
