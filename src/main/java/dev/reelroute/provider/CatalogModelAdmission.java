package dev.reelroute.provider;

import dev.reelroute.api.ApiException;
import dev.reelroute.api.ModelAdmission;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.PromptSpec;
import org.springframework.stereotype.Component;

/** Mock mode runs on the local engine; a model for real needs its provider configured. */
@Component
public class CatalogModelAdmission implements ModelAdmission {
    private final long defaultTokens;

    public CatalogModelAdmission(ReelrouteProperties properties) {
        this.defaultTokens = properties.videoJobs().tokenCost();
    }

    @Override
    public Admitted admit(PromptSpec spec) {
        if (spec.mockMode()) {
            return new Admitted("local", defaultTokens);
        }
        throw ApiException.badRequest("Model '" + spec.model() + "' has no provider configured");
    }
}
