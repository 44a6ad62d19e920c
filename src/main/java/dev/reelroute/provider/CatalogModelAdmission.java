package dev.reelroute.provider;

import dev.reelroute.web.ApiException;
import dev.reelroute.api.ModelAdmission;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.PromptSpec;
import org.springframework.stereotype.Component;

/**
 * A video job's model must be in the catalog; for real (mockMode=false) its provider must be configured and it
 * must take what the job gives. The price is the model's when the catalog sets one, else the configured default.
 */
@Component
public class CatalogModelAdmission implements ModelAdmission {
    private final ModelCatalog catalog;
    private final long defaultTokens;

    public CatalogModelAdmission(ModelCatalog catalog, ReelrouteProperties properties) {
        this.catalog = catalog;
        this.defaultTokens = properties.videoJobs().tokenCost();
    }

    @Override
    public Admitted admit(PromptSpec spec) {
        ModelEntry model;
        try {
            // mock mode stands in for the model but makes any kind of clip locally: only the name must be real
            model = spec.mockMode() ? catalog.known(spec.model()) : catalog.check(spec);
        } catch (ModelRefusedException refused) {
            throw ApiException.badRequest(refused.getMessage());
        }
        long tokens = model.tokens() == ModelEntry.DEFAULT_TOKENS ? defaultTokens : model.tokens();
        return new Admitted(spec.mockMode() ? "local" : model.provider().id(), tokens);
    }
}
