package dev.reelroute.api.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The API contracts: one OpenAPI 3 document per surface, {@code src/main/resources/openapi/<surface>.yaml}. They
 * are the source: {@link ContractRests} binds the Rest DSL from them and {@link OpenApiDocs} serves them as they
 * are written.
 */
@Component
public class ApiContracts {
    /** The surfaces, in the order the try page lists them. */
    static final List<String> SURFACES = List.of("jobs", "generate", "video-jobs", "style", "video-projects", "admin");

    /** An operation with this extension is served by a Spring MVC controller (event streams), not bound here. */
    static final String SERVED_BY = "x-served-by";

    /** A surface's document: as written (for serving) and parsed (for binding). */
    record Contract(String surface, JsonNode tree, OpenAPI openApi) {
        String title() {
            return openApi.getInfo().getTitle();
        }
    }

    private final Map<String, Contract> contracts = new LinkedHashMap<>();

    public ApiContracts() {
        SURFACES.forEach(surface -> contracts.put(surface, load(surface)));
    }

    Map<String, Contract> all() {
        return contracts;
    }

    Contract of(String surface) {
        return contracts.get(surface);
    }

    private static Contract load(String surface) {
        String resource = "openapi/" + surface + ".yaml";
        try (InputStream in = ApiContracts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + resource);
            }
            JsonNode tree = Yaml.mapper().readTree(in);
            return new Contract(surface, tree, Json.mapper().convertValue(tree, OpenAPI.class));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
