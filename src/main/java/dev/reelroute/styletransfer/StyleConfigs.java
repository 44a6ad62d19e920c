package dev.reelroute.styletransfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.web.ApiException;
import org.springframework.stereotype.Component;

/** The style job's {@code config}, checked when the job is created so a bad field never reaches a worker. */
@Component
public class StyleConfigs implements StyleConfigCheck {
    @Override
    public void check(JsonNode config, boolean hasTemplate) {
        try {
            StyleConfig.parse(config).requireUsableWith(hasTemplate);
        } catch (StyleConfigException invalid) {
            throw ApiException.badRequest(invalid.getMessage());
        }
    }
}
