package dev.reelroute.styletransfer;

import dev.reelroute.web.ApiException;
import com.fasterxml.jackson.databind.JsonNode;

/** Checks a style job's {@code config} object; a bad field is an {@link ApiException} (400) that names it. */
public interface StyleConfigCheck {
    void check(JsonNode config, boolean hasTemplate);
}
