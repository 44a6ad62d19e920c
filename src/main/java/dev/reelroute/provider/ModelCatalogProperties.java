package dev.reelroute.provider;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The model catalog, {@code reelroute.models}: a list rather than a map because model names contain dots, which
 * Spring would read as nested keys.
 */
@ConfigurationProperties(prefix = "reelroute")
public record ModelCatalogProperties(List<ModelEntry> models) {
    public ModelCatalogProperties {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
