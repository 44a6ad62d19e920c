package dev.reelroute.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Request bodies of the JSON routes, parsed in one place: an empty body, a malformed one and an oversized one
 * are 400s with a message, never a stack trace. (Jackson's own limits bound nesting depth and number length.)
 */
@Component("jsonBodies")
public class JsonBodies {
    public static final int MAX_BODY_CHARS = 1_000_000;
    /** Jackson's words for a member that appears twice in one object (STRICT_DUPLICATE_DETECTION). */
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*)'$");

    private final ObjectMapper json;

    public JsonBodies(ObjectMapper json) {
        this.json = json;
    }

    /** The body as JSON; 400 when it is missing. */
    public JsonNode required(Exchange exchange) {
        return requiredObject(exchange.getIn().getBody(String.class));
    }

    /** {@code text} as a JSON object, with the same refusals, whatever transport brought it. */
    public JsonNode requiredObject(String text) {
        JsonNode body = parse(text);
        if (body == null) {
            throw ApiException.badRequest("A JSON body is required");
        }
        return body;
    }

    /** The body as JSON, or an empty object when there is none. */
    public JsonNode optional(Exchange exchange) {
        JsonNode body = parse(exchange.getIn().getBody(String.class));
        return body == null ? json.createObjectNode() : body;
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > MAX_BODY_CHARS) {
            throw new ApiException(413, "The JSON body is larger than " + MAX_BODY_CHARS + " characters");
        }
        try {
            JsonNode node = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(text);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("The JSON body must be an object");
            }
            return node;
        } catch (JsonProcessingException malformed) {
            Matcher duplicate = DUPLICATE.matcher(String.valueOf(malformed.getOriginalMessage()));
            if (duplicate.find()) {
                throw ApiException.badRequest(SingleValuedFieldsFilter.repeated(duplicate.group(1)));
            }
            throw ApiException.badRequest("Malformed JSON body");
        }
    }
}
