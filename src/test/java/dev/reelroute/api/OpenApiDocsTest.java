package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ServiceTest;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The OpenAPI documents generated from the Rest DSL, one per surface, and the page that tries them. */
class OpenApiDocsTest extends ServiceTest {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.jobs.worker-enabled", () -> "false");
    }

    static List<Object[]> surfaces() {
        return List.of(
                new Object[] {"jobs", Set.of("/health", "/api/jobs", "/api/status/{jobId}", "/api/jobs/{jobId}/cancel",
                        "/api/jobs/{jobId}/webhook-deliveries", "/api/jobs/{jobId}/webhook-deliveries/redeliver",
                        "/api/jobs/{jobId}/events")},
                new Object[] {"generate", Set.of("/api/generate", "/api/status/{jobId}", "/api/jobs/{jobId}/events")},
                new Object[] {"video-jobs", Set.of("/api/v1/video-jobs", "/api/v1/video-jobs/{jobId}",
                        "/api/v1/video-jobs/{jobId}/download", "/api/v1/video-jobs/{jobId}/cancel",
                        "/api/v1/video-jobs/{jobId}/events")},
                new Object[] {"style", Set.of("/api/v1/videos", "/api/v1/videos/{videoId}", "/api/v1/jobs",
                        "/api/v1/jobs/{jobId}", "/api/v1/jobs/{jobId}/result", "/api/v1/jobs/{jobId}/cancel",
                        "/api/v1/jobs/{jobId}/events")},
                new Object[] {"video-projects", Set.of("/api/video-projects", "/api/video-projects/{projectId}",
                        "/api/video-projects/{projectId}/clips", "/api/video-projects/{projectId}/clips/order",
                        "/api/video-projects/{projectId}/clips/{clipId}", "/api/video-projects/generate",
                        "/api/usage", "/api/runs/{runId}", "/api/runs/{runId}/events")},
                new Object[] {"admin", Set.of("/admin/accounts", "/admin/accounts/{accountId}/keys",
                        "/admin/keys/{keyId}/deactivate", "/admin/accounts/{accountId}/tokens",
                        "/admin/accounts/{accountId}/ledger")});
    }

    @ParameterizedTest
    @MethodSource("surfaces")
    void eachSurfaceHasAValidDocumentDescribingEveryOperationAndParameter(String surface, Set<String> paths)
            throws Exception {
        ApiClient.Response response = api.get("/api-docs/" + surface + ".json", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("openapi").asText()).startsWith("3.");

        SwaggerParseResult parsed = new OpenAPIParser().readContents(response.body(), null, null);
        assertThat(parsed.getMessages()).as(surface).isEmpty();
        OpenAPI openApi = parsed.getOpenAPI();
        assertThat(openApi.getPaths().keySet()).as(surface).containsExactlyInAnyOrderElementsOf(paths);
        List<String> undescribed = new ArrayList<>();
        openApi.getPaths().forEach((path, item) -> {
            for (Map.Entry<io.swagger.v3.oas.models.PathItem.HttpMethod, Operation> entry
                    : item.readOperationsMap().entrySet()) {
                Operation operation = entry.getValue();
                String name = entry.getKey() + " " + path;
                if (blank(operation.getDescription()) && blank(operation.getSummary())) {
                    undescribed.add(name);
                }
                if (operation.getParameters() != null) {
                    for (Parameter parameter : operation.getParameters()) {
                        if (blank(parameter.getDescription())) {
                            undescribed.add(name + " parameter " + parameter.getName());
                        }
                    }
                }
                if (operation.getRequestBody() != null && blank(operation.getRequestBody().getDescription())
                        && operation.getRequestBody().getContent() != null) {
                    operation.getRequestBody().getContent().forEach((type, media) -> {
                        if (media.getSchema() != null && media.getSchema().getProperties() != null) {
                            media.getSchema().getProperties().forEach((field, schema) -> {
                                if (blank(((io.swagger.v3.oas.models.media.Schema<?>) schema).getDescription())) {
                                    undescribed.add(name + " field " + field);
                                }
                            });
                        }
                    });
                }
                assertThat(operation.getResponses()).as(name).isNotEmpty();
            }
        });
        assertThat(undescribed).as(surface).isEmpty();
    }

    @Test
    void theTryPageAndTheWholeDocumentAreServed() throws Exception {
        ApiClient.Response page = api.get("/api-docs/index.html", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui").contains("/api-docs/surfaces.json");
        assertThat(api.get("/webjars/swagger-ui/5.35.0/swagger-ui-bundle.js", null).status()).isEqualTo(200);

        JsonNode surfaces = api.get("/api-docs/surfaces.json", null).json();
        assertThat(surfaces).hasSize(6);

        ApiClient.Response all = api.get("/api-docs/openapi.json", null);
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.json().get("openapi").asText()).startsWith("3.");
        assertThat(all.json().get("paths").has("/api/v1/video-jobs/{jobId}")).isTrue();

        assertThat(api.get("/api-docs/nope.json", null).status()).isEqualTo(404);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
