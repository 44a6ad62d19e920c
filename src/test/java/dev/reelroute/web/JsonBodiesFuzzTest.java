package dev.reelroute.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * Any JSON request body text: a JSON object, or an {@link ApiException} that is a 400 (or a 413 past the size limit)
 * with a message: what every JSON surface answers. Never another exception.
 */
class JsonBodiesFuzzTest {
    private static final ObjectMapper JSON = Jackson2ObjectMapperBuilder.json().build();
    private static final JsonBodies BODIES = new JsonBodies(JSON);

    @FuzzTest(maxDuration = "10m")
    void bodyIsAnObjectOrA400(byte[] input) {
        // raw bytes, not a String parameter: the committed inputs are then the exact text, readable as such
        String body = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        JsonNode parsed;
        try {
            parsed = BODIES.requiredObject(body);
        } catch (ApiException refused) {
            assertThat(refused.getStatus()).isIn(400, 413);
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(parsed.isObject()).isTrue();
    }
}
