package dev.reelroute.api.contract;

import io.swagger.v3.core.util.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Each surface's contract at {@code /api-docs/{surface}.json}: the document in {@code openapi/<surface>.yaml} as it
 * is written, in JSON. {@code /api-docs/surfaces.json} lists them for the try page.
 */
@RestController
public class OpenApiDocs {
    private final ApiContracts contracts;
    private final Map<String, String> rendered = new ConcurrentHashMap<>();

    public OpenApiDocs(ApiContracts contracts) {
        this.contracts = contracts;
    }

    @GetMapping(path = "/api-docs/{surface}.json", produces = "application/json")
    public ResponseEntity<String> document(@PathVariable String surface) {
        ApiContracts.Contract contract = contracts.of(surface);
        if (contract == null) {
            return ResponseEntity.status(404).body("{\"error\":\"No such API document; see /api-docs/surfaces.json\"}");
        }
        String json = rendered.computeIfAbsent(surface, name -> Json.pretty(contract.tree()));
        return ResponseEntity.ok().header("Cache-Control", "no-cache").body(json);
    }

    /** The surfaces and their document URLs (the try page lists them). */
    @GetMapping(path = "/api-docs/surfaces.json", produces = "application/json")
    public List<Map<String, String>> surfaces() {
        return contracts.all().values().stream()
                .map(c -> Map.of("name", c.surface(), "title", c.title(), "url", "/api-docs/" + c.surface() + ".json"))
                .toList();
    }
}
