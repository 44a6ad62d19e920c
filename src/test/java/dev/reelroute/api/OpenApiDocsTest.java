package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.Tokens;
import dev.reelroute.support.WorkerlessServiceTest;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** The API contracts, one OpenAPI document per surface as /api-docs/ serves them, and the page that tries them. */
class OpenApiDocsTest extends WorkerlessServiceTest {

    @Autowired
    CamelContext camel;
    @TempDir
    Path media;

    static List<Object[]> surfaces() {
        return List.of(
                new Object[] {"jobs", Set.of("/health", "/api/jobs", "/api/status/{jobId}", "/api/jobs/{jobId}/cancel",
                        "/api/jobs/{jobId}/webhook-deliveries", "/api/jobs/{jobId}/webhook-deliveries/redeliver",
                        "/api/jobs/{jobId}/events", "/api/account")},
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
                        "/api/usage", "/api/runs/{runId}", "/api/runs/{runId}/events", "/api/account")},
                new Object[] {"admin", Set.of("/admin/accounts", "/admin/accounts/{accountId}",
                        "/admin/accounts/{accountId}/keys",
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
        assertThat(page.body()).contains("swagger-ui").contains("/api-docs/try-page.js");
        assertThat(api.get("/api-docs/try-page.js", null).body()).contains("/api-docs/surfaces.json");
        assertThat(api.get("/webjars/swagger-ui/5.35.0/swagger-ui-bundle.js", null).status()).isEqualTo(200);

        JsonNode surfaces = api.get("/api-docs/surfaces.json", null).json();
        assertThat(surfaces).hasSize(6);

        ApiClient.Response all = api.get("/api-docs/openapi.json", null);
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.json().get("openapi").asText()).startsWith("3.");
        assertThat(all.json().get("paths").has("/api/v1/video-jobs/{jobId}")).isTrue();

        assertThat(api.get("/api-docs/nope.json", null).status()).isEqualTo(404);
    }

    /**
     * Every JSON request body and every 2xx JSON answer has a schema (a $ref that resolves, or inline), and every
     * property of every schema, in components or inline, has a description.
     */
    @ParameterizedTest
    @MethodSource("surfaces")
    void everyJsonBodyHasASchemaWhoseFieldsAreDescribed(String surface, Set<String> paths) throws Exception {
        OpenAPI openApi = document(surface);
        List<String> missing = new ArrayList<>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path;
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                MediaType json = operation.getRequestBody().getContent().get("application/json");
                if (json != null) {
                    checkSchema(openApi, name + " request body", json.getSchema(), missing);
                }
            }
            operation.getResponses().forEach((code, answer) -> {
                MediaType json = answer.getContent() == null ? null : answer.getContent().get("application/json");
                if (code.startsWith("2") && json != null) {
                    checkSchema(openApi, name + " " + code, json.getSchema(), missing);
                }
                if (code.startsWith("2") && answer.getContent() != null && answer.getContent().containsKey("*/*")) {
                    missing.add(name + " " + code + " has an untyped body");
                }
            });
        }));
        if (openApi.getComponents().getSchemas() != null) {
            openApi.getComponents().getSchemas().forEach((schemaName, schema) ->
                    describedProperties(openApi, "components.schemas." + schemaName, schema, missing));
        }
        assertThat(missing).as(surface).isEmpty();
    }

    /** A real answer of each surface has exactly the fields its schema lists, so the documents cannot drift. */
    @Test
    void realAnswersHaveExactlyTheDocumentedFields() throws Exception {
        var account = newAccount("openapi-" + System.nanoTime());
        String key = account.apiKey();
        Tokens.topUp(camel, account.accountId(), 1000);

        OpenAPI jobsDoc = document("jobs");
        assertFields(jobsDoc, "Health", api.get("/health", null).json());
        Path image = TestMedia.png(media, 64, 48);
        Path audio = TestMedia.wav(media, 1);
        ApiClient.Response submitted = api.submit(key, image, "image/png", audio, "audio/wav", null);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
        assertFields(jobsDoc, "JobCreated", submitted.json());
        String jobId = submitted.json().get("jobId").asText();
        assertFields(jobsDoc, "JobStatus", api.get("/api/status/" + jobId, key).json());
        assertFields(jobsDoc, "JobList", api.get("/api/jobs", key).json());
        assertFields(jobsDoc, "WebhookDeliveries", api.get("/api/jobs/" + jobId + "/webhook-deliveries", key).json());
        assertFields(jobsDoc, "Cancelled", api.post("/api/jobs/" + jobId + "/cancel", key).json());
        assertFields(jobsDoc, "Error", api.get("/api/status/nope", key).json());
        assertFields(jobsDoc, "Account", api.get("/api/account", key).json());

        OpenAPI generateDoc = document("generate");
        ApiClient.Response generated = api.postJsonWithKey("/api/generate", key, "{\"prompt\": \"a red kite\"}");
        assertThat(generated.status()).as(generated.body()).isEqualTo(202);
        assertFields(generateDoc, "GenerateAccepted", generated.json());
        assertFields(generateDoc, "GenerateStatus",
                api.get("/api/status/" + generated.json().get("job_id").asText(), key).json());
        assertFields(generateDoc, "ValidationError", api.postJsonWithKey("/api/generate", key, "{}").json());

        OpenAPI videoJobsDoc = document("video-jobs");
        ApiClient.Response videoJob = api.postMultipart("/api/v1/video-jobs", key, List.of(
                Part.field("prompt", "A sunset over mountains"), Part.field("model", "veo-3.1-fast-generate-preview"),
                Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"),
                Part.field("durationSeconds", "4"), Part.field("mockMode", "true")));
        assertThat(videoJob.status()).as(videoJob.body()).isEqualTo(202);
        assertFields(videoJobsDoc, "VideoJob", videoJob.json());
        String videoJobId = videoJob.json().get("id").asText();
        assertFields(videoJobsDoc, "VideoJob", api.get("/api/v1/video-jobs/" + videoJobId, key).json());
        assertFields(videoJobsDoc, "VideoJobList", api.get("/api/v1/video-jobs", key).json());
        assertFields(videoJobsDoc, "Detail", api.get("/api/v1/video-jobs/nope", key).json());

        OpenAPI styleDoc = document("style");
        Path video = media.resolve("clip.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10:duration=1", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", video.toString());
        ApiClient.Response uploaded = api.postMultipart("/api/v1/videos", key,
                List.of(Part.file("file", "clip.mp4", "video/mp4", Files.readAllBytes(video))));
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        assertFields(styleDoc, "VideoEnvelope", uploaded.json());
        String videoId = uploaded.json().get("data").get("video_id").asText();
        ApiClient.Response styleJob = api.postJsonWithKey("/api/v1/jobs", key,
                "{\"video_id\": \"" + videoId + "\", \"template_video_id\": \"" + videoId + "\"}");
        assertThat(styleJob.status()).as(styleJob.body()).isEqualTo(202);
        assertFields(styleDoc, "JobEnvelope", styleJob.json());
        String styleJobId = styleJob.json().get("data").get("job_id").asText();
        assertFields(styleDoc, "JobEnvelope", api.get("/api/v1/jobs/" + styleJobId, key).json());
        assertFields(styleDoc, "JobListEnvelope", api.get("/api/v1/jobs", key).json());
        assertFields(styleDoc, "JobEnvelope", api.post("/api/v1/jobs/" + styleJobId + "/cancel", key).json());
        assertFields(styleDoc, "JobDetailEnvelope", api.get("/api/v1/jobs/" + styleJobId + "/result", key).json());
        assertFields(styleDoc, "ErrorEnvelope", api.get("/api/v1/jobs/nope", key).json());

        OpenAPI projectsDoc = document("video-projects");
        ApiClient.Response project = api.postMultipart("/api/video-projects", key, List.of(Part.field("name", "docs")));
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        assertFields(projectsDoc, "Project", project.json());
        String projectId = project.json().get("id").asText();
        ApiClient.Response clip = api.postMultipart("/api/video-projects/" + projectId + "/clips", key,
                List.of(Part.file("image", image, "image/png"), Part.field("motionPrompt", "slow zoom in")));
        assertThat(clip.status()).as(clip.body()).isEqualTo(201);
        assertFields(projectsDoc, "Clip", clip.json());
        assertFields(projectsDoc, "ProjectList", api.get("/api/video-projects", key).json());
        assertFields(projectsDoc, "ClipList", api.get("/api/video-projects/" + projectId + "/clips", key).json());
        ApiClient.Response run = api.postJsonWithKey("/api/video-projects/generate", key,
                "{\"videoProjectId\": \"" + projectId + "\"}");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertFields(projectsDoc, "RunStarted", run.json());
        assertFields(projectsDoc, "Run", api.getWithBearer("/api/runs/" + run.json().get("runId").asText(),
                run.json().get("publicAccessToken").asText()).json());
        assertFields(projectsDoc, "Usage", api.get("/api/usage", key).json());
        assertFields(projectsDoc, "Account", api.get("/api/account", key).json());
        assertFields(projectsDoc, "Error", api.get("/api/video-projects/nope", key).json());

        OpenAPI adminDoc = document("admin");
        ApiClient.Response created = api.postJson("/admin/accounts", ADMIN_TOKEN, "{\"name\": \"docs\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertFields(adminDoc, "AccountCreated", created.json());
        String accountId = created.json().get("accountId").asText();
        ApiClient.Response newKey = api.postJson("/admin/accounts/" + accountId + "/keys", ADMIN_TOKEN,
                "{\"label\": \"ci\"}");
        assertFields(adminDoc, "KeyCreated", newKey.json());
        assertFields(adminDoc, "TokenBalance", api.postJson("/admin/accounts/" + accountId + "/tokens", ADMIN_TOKEN,
                "{\"amount\": 5, \"reason\": \"docs\"}").json());
        assertFields(adminDoc, "Ledger", api.getWithBearer("/admin/accounts/" + accountId + "/ledger", ADMIN_TOKEN)
                .json());
        assertFields(adminDoc, "AccountList", api.getWithBearer("/admin/accounts?limit=2", ADMIN_TOKEN).json());
        assertFields(adminDoc, "AccountDetail", api.getWithBearer("/admin/accounts/" + accountId, ADMIN_TOKEN).json());
        assertFields(adminDoc, "Deactivated", api.postJson("/admin/keys/" + newKey.json().get("apiKeyId").asText()
                + "/deactivate", ADMIN_TOKEN, "").json());
        assertFields(adminDoc, "Error", api.postJson("/admin/accounts", ADMIN_TOKEN, "{}").json());
    }

    /**
     * Every operation a contract binds reaches its implementation route, direct:<operationId> inlined into the Rest
     * DSL verb (route id = operation id): a missing route would only show as a 500 when the operation is called.
     */
    @ParameterizedTest
    @MethodSource("surfaces")
    void everyBoundOperationHasItsRoute(String surface, Set<String> paths) throws Exception {
        document(surface).getPaths().forEach((path, item) -> item.readOperations().stream()
                .filter(operation -> operation.getExtensions() == null
                        || !operation.getExtensions().containsKey("x-served-by"))
                .forEach(operation -> {
                    Route route = camel.getRoute(operation.getOperationId());
                    assertThat(route).as(path).isNotNull();
                    assertThat(route.getEndpoint().getEndpointUri()).as(path).startsWith("rest://");
                }));
    }

    /** Every example a contract gives has exactly the fields, types and enums of its schema, as real answers do. */
    @ParameterizedTest
    @MethodSource("surfaces")
    void examplesHaveExactlyTheDocumentedFields(String surface, Set<String> paths) throws Exception {
        OpenAPI openApi = document(surface);
        int examples = 0;
        for (Map.Entry<String, Schema> schema : openApi.getComponents().getSchemas().entrySet()) {
            if (schema.getValue().getExample() != null) {
                assertFields(openApi, schema.getKey(), schema.getValue(),
                        new ObjectMapper().valueToTree(schema.getValue().getExample()));
                examples++;
            }
        }
        assertThat(examples).as(surface + " gives examples").isPositive();
    }

    private OpenAPI document(String surface) throws Exception {
        String body = api.get("/api-docs/" + surface + ".json", null).body();
        SwaggerParseResult parsed = new OpenAPIParser().readContents(body, null, null);
        assertThat(parsed.getMessages()).as(surface).isEmpty();
        return parsed.getOpenAPI();
    }

    private static Schema<?> resolve(OpenAPI openApi, Schema<?> schema) {
        if (schema != null && schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            return openApi.getComponents() == null || openApi.getComponents().getSchemas() == null ? null
                    : openApi.getComponents().getSchemas().get(name);
        }
        return schema;
    }

    private static void checkSchema(OpenAPI openApi, String where, Schema<?> schema, List<String> missing) {
        Schema<?> resolved = resolve(openApi, schema);
        if (resolved == null) {
            missing.add(where + (schema == null ? ": no schema" : ": unresolvable " + schema.get$ref()));
        } else if (schema.get$ref() == null) {
            describedProperties(openApi, where, resolved, missing);
        }
    }

    /** Each property has a description of its own, or is a $ref to a described schema. */
    private static void describedProperties(OpenAPI openApi, String where, Schema<?> schema, List<String> missing) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((field, property) -> {
            Schema<?> resolved = resolve(openApi, property);
            if (resolved == null) {
                missing.add(where + "." + field + ": unresolvable " + property.get$ref());
            } else if (blank(resolved.getDescription())) {
                missing.add(where + "." + field + ": no description");
            }
            if (property.get$ref() == null) {
                describedProperties(openApi, where + "." + field, property, missing);
                if (property.getItems() != null) {
                    checkSchema(openApi, where + "." + field + "[]", property.getItems(), missing);
                }
            }
        });
    }

    /**
     * The answer has only fields the schema lists and every field it requires (the ones always present), each of the
     * documented type, within the documented enum, and null only where nullable; and so on into nested objects and
     * the items of arrays.
     */
    private static void assertFields(OpenAPI openApi, String schemaName, JsonNode answer) {
        assertThat(openApi.getComponents().getSchemas()).as(schemaName).containsKey(schemaName);
        assertFields(openApi, schemaName, openApi.getComponents().getSchemas().get(schemaName), answer);
    }

    private static void assertFields(OpenAPI openApi, String where, Schema<?> schema, JsonNode answer) {
        Schema<?> resolved = resolve(openApi, schema);
        if (answer == null || resolved == null) {
            return;
        }
        if (answer.isNull()) {
            assertThat(resolved.getNullable()).as(where + " is null but not nullable").isTrue();
            return;
        }
        String type = resolved.getType();
        if (type != null) {
            boolean fits = switch (type) {
                case "string" -> answer.isTextual();
                case "integer" -> answer.isIntegralNumber();
                case "number" -> answer.isNumber();
                case "boolean" -> answer.isBoolean();
                case "array" -> answer.isArray();
                case "object" -> answer.isObject();
                default -> true;
            };
            assertThat(fits).as(where + " " + answer + " is not a " + type).isTrue();
        }
        if (resolved.getEnum() != null && answer.isTextual()) {
            assertThat(resolved.getEnum().stream().map(String::valueOf).toList()).as(where).contains(answer.asText());
        }
        if (answer.isArray() && resolved.getItems() != null) {
            answer.forEach(item -> assertFields(openApi, where + "[]", resolved.getItems(), item));
            return;
        }
        if (!answer.isObject() || resolved.getProperties() == null) {
            return;
        }
        Set<String> fields = new TreeSet<>();
        answer.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as(where + " " + answer).isSubsetOf(resolved.getProperties().keySet());
        if (resolved.getRequired() != null) {
            assertThat(fields).as(where + " " + answer).containsAll(resolved.getRequired());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = answer.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            assertFields(openApi, where + "." + field.getKey(), resolved.getProperties().get(field.getKey()),
                    field.getValue());
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
