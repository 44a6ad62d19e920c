package dev.reelroute.provider;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.PromptSpec;
import org.springframework.stereotype.Component;

/**
 * A video job's model must be in the catalog; for real (mockMode=false) its provider must be configured and it
 * must take what the job gives. The price is the model's when the catalog sets one, else the configured default.
 * A refused model is a {@link ModelRefusedException}, which the surfaces answer with a 400.
 */
@Component
public class CatalogModelAdmission {
    /** The engine ("local" for the mock engine, else the provider's name) and the job's price in tokens. */
    public record Admitted(String provider, long tokens) {}

    private final ModelCatalog catalog;
    private final long defaultTokens;

    public CatalogModelAdmission(ModelCatalog catalog, ReelrouteProperties properties) {
        this.catalog = catalog;
        this.defaultTokens = properties.videoJobs().tokenCost();
    }

    public Admitted admit(PromptSpec spec) {
        // mock mode stands in for the model but makes any kind of clip locally: only the name must be real
        ModelEntry model = spec.mockMode() ? catalog.known(spec.model()) : catalog.check(spec);
        long tokens = model.tokens() == ModelEntry.DEFAULT_TOKENS ? defaultTokens : model.tokens();
        return new Admitted(spec.mockMode() ? "local" : model.provider().id(), tokens);
    }
}
