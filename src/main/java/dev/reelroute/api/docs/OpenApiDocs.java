package dev.reelroute.api.docs;

import dev.reelroute.web.ApiAuthFilter;
import dev.reelroute.web.RequestPaths;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * One OpenAPI 3 document per surface at {@code /api-docs/{surface}.json}, generated from that surface's Rest DSL
 * definitions (the rest-*.camel.yaml files: descriptions, params, response messages) by camel-openapi-java's own
 * reader. Camel's api-doc endpoint ({@code restConfiguration.apiContextPath}) renders every rest definition into one
 * document and cannot select a surface, so the reader is called here with the surface's definitions only. Each
 * document also gets what the Rest DSL does not describe: the surface's credentials as security schemes and its
 * server-sent event streams (served by Spring MVC, see JobEventsController).
 */
@RestController
public class OpenApiDocs {
    /** A surface: its title, its description, the rest definitions it is made of, and the paths it keeps. */
    record Surface(String title, String description, List<String> restIds, Predicate<String> paths,
                   List<String> schemes, Map<String, String> eventStreams) {}

    static final Map<String, Surface> SURFACES = new LinkedHashMap<>();

    static {
        SURFACES.put("jobs", new Surface("reelroute: image + audio jobs API",
                "An image and a voiceover in, a finished MP4 out (the jobs API document). Errors are {\"error\": \"…\"}.",
                List.of("rest-jobs", "rest-health", "rest-account"), path -> !path.startsWith("/admin"), List.of("ApiKey", "BearerApiKey"),
                Map.of("/api/jobs/{jobId}/events", "the GET /api/status/{jobId} JSON")));
        SURFACES.put("generate", new Surface("reelroute: prompt to video (/api/generate)",
                "A prompt and an optional voiceover script in, a video out; the status is read at /api/status/{jobId}."
                        + " Errors are {\"error\": \"…\"}, field errors with \"details\".",
                List.of("rest-generate", "rest-jobs"), path -> path.equals("/api/generate")
                        || path.equals("/api/status/{jobId}"), List.of("ApiKey", "Bearer"),
                Map.of("/api/jobs/{jobId}/events", "the GET /api/status/{jobId} JSON (this API's shape)")));
        SURFACES.put("video-jobs", new Surface("reelroute: video jobs (/api/v1/video-jobs)",
                "Prompt, frames and reference images with a model; tokens; logs; download. Errors are {\"detail\": …}.",
                List.of("rest-video-jobs"), path -> true, List.of("Bearer", "ApiKey"),
                Map.of("/api/v1/video-jobs/{jobId}/events", "the GET /api/v1/video-jobs/{jobId} JSON (VideoJob)")));
        SURFACES.put("style", new Surface("reelroute: style transfer (/api/v1/videos, /api/v1/jobs)",
                "Uploaded source and template videos, StyleJSON, result. Every answer is the envelope"
                        + " {\"success\", \"data\", \"error\": {\"code\", \"message\"}, \"meta\"}.",
                List.of("rest-style"), path -> true, List.of("ApiKey", "Bearer"),
                Map.of("/api/v1/jobs/{jobId}/events", "the GET /api/v1/jobs/{jobId} envelope (JobResponse)")));
        SURFACES.put("video-projects", new Surface("reelroute: video projects (/api/video-projects, /api/runs)",
                "Multi-clip projects with motion prompts, transitions, music; runs read with a public access token."
                        + " Errors are {\"error\": \"…\"}.",
                List.of("rest-video-projects", "rest-account"), path -> true, List.of("ApiKey", "Bearer"),
                Map.of("/api/runs/{runId}/events", "the GET /api/runs/{runId} JSON")));
        SURFACES.put("admin", new Surface("reelroute: admin API (/admin)",
                "Accounts, API keys and tokens, behind the admin token (REELROUTE_ADMIN_TOKEN). Errors are {\"error\": \"…\"}.",
                List.of("rest-admin"), path -> true, List.of("AdminToken"), Map.of()));
    }

    private final CamelContext camel;
    private final Map<String, String> rendered = new ConcurrentHashMap<>();

    public OpenApiDocs(CamelContext camel) {
        this.camel = camel;
    }

    @GetMapping(path = "/api-docs/{surface}.json", produces = "application/json")
    public ResponseEntity<String> document(@PathVariable String surface) throws Exception {
        Surface chosen = SURFACES.get(surface);
        if (chosen == null) {
            return ResponseEntity.status(404).body("{\"error\":\"No such API document; see /api-docs/surfaces.json\"}");
        }
        String json = rendered.get(surface);
        if (json == null) {
            json = render(chosen);
            rendered.put(surface, json);
        }
        return ResponseEntity.ok().header("Cache-Control", "no-cache").body(json);
    }

    /** The surfaces and their document URLs (the try page lists them). */
    @GetMapping(path = "/api-docs/surfaces.json", produces = "application/json")
    public List<Map<String, String>> surfaces() {
        return SURFACES.entrySet().stream()
                .map(e -> Map.of("name", e.getKey(), "title", e.getValue().title(), "url", "/api-docs/" + e.getKey() + ".json"))
                .toList();
    }

    private static String surfaceName(Surface surface) {
        return SURFACES.entrySet().stream().filter(e -> e.getValue() == surface).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    private String render(Surface surface) throws Exception {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        List<RestDefinition> rests = model.getRestDefinitions().stream()
                .filter(rest -> surface.restIds().contains(rest.getId()))
                .toList();
        BeanConfig config = new BeanConfig();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("openapi.version", "3.0.3");
        properties.put("api.title", surface.title());
        properties.put("api.version", "1.0");
        properties.put("api.description", surface.description());
        new RestOpenApiSupport().initOpenApi(config, properties);
        OpenAPI openApi = new RestOpenApiReader().read(camel, rests, config, camel.getName(), camel.getClassResolver());
        openApi.getPaths().keySet().removeIf(path -> !surface.paths().test(path));
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(OpenApiDocs::formFieldsAsBody));
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        BodySchemas.forSurface(surfaceName(surface)).applyTo(openApi, components);
        openApi.setServers(List.of(new Server().url("/")));
        openApi.setInfo(new Info().title(surface.title()).version("1.0").description(surface.description()));
        components.addSecuritySchemes("ApiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name("X-API-Key").description("An API key of your account"));
        components.addSecuritySchemes("BearerApiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("Authorization: Bearer <API key> (this API takes API keys, not JWTs)"));
        components.addSecuritySchemes("Bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("Authorization: Bearer <API key or HS256 JWT whose sub is your account id>"));
        components.addSecuritySchemes("RunAccessToken", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("Authorization: Bearer <publicAccessToken> of the run (or ?token= on"
                        + " its event stream); an API key or JWT is not one, and another run's token gets a 401"));
        components.addSecuritySchemes("AdminToken", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("Authorization: Bearer <REELROUTE_ADMIN_TOKEN>"));
        openApi.setComponents(components);
        openApi.setSecurity(surface.schemes().stream().map(name -> new SecurityRequirement().addList(name)).toList());
        surface.eventStreams().forEach((path, data) -> openApi.getPaths().addPathItem(path, eventStream(path, data)));
        openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation ->
                ownCredentials(surface, path).ifPresent(operation::setSecurity)));
        return RestOpenApiSupport.getJsonFromOpenAPIAsString(openApi, config);
    }

    /**
     * The credentials of an operation that takes other ones than its document's default: a run is read with its
     * public access token only, the jobs API's paths (which the generate document shares) refuse JWTs, the caller's
     * own account takes an API key or a JWT, and the health check takes none.
     */
    private static Optional<List<SecurityRequirement>> ownCredentials(Surface surface, String path) {
        if (path.equals("/health")) {
            return Optional.of(List.of());
        }
        if (path.equals("/api/account")) {
            // any credential of the account, in whichever document lists it
            return Optional.of(List.of(new SecurityRequirement().addList("ApiKey"),
                    new SecurityRequirement().addList("Bearer")));
        }
        if (RequestPaths.isWithin(path, "/api/runs")) {
            return Optional.of(List.of(new SecurityRequirement().addList("RunAccessToken")));
        }
        if (ApiAuthFilter.takesApiKeysOnly(path) && surface.schemes().contains("Bearer")) {
            return Optional.of(List.of(new SecurityRequirement().addList("ApiKey"),
                    new SecurityRequirement().addList("BearerApiKey")));
        }
        return Optional.empty();
    }

    /**
     * The Rest DSL's {@code formData} params come out of the reader as parameters {@code in: formData}, which
     * OpenAPI 2 had and OpenAPI 3 does not: they become the properties of a multipart/form-data request body
     * (files as binary strings), each keeping its description.
     */
    static void formFieldsAsBody(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        List<Parameter> fields = operation.getParameters().stream().filter(p -> "formData".equals(p.getIn())).toList();
        if (fields.isEmpty()) {
            return;
        }
        operation.getParameters().removeAll(fields);
        if (operation.getParameters().isEmpty()) {
            operation.setParameters(null);
        }
        ObjectSchema form = new ObjectSchema();
        for (Parameter field : fields) {
            Schema<?> schema = field.getSchema() == null ? new StringSchema() : field.getSchema();
            if ("file".equals(schema.getType()) || "file".equals(schema.getFormat())) {
                schema = new StringSchema().format("binary");
            }
            schema.setDescription(field.getDescription());
            form.addProperty(field.getName(), schema);
            if (Boolean.TRUE.equals(field.getRequired())) {
                form.addRequiredItem(field.getName());
            }
        }
        operation.setRequestBody(new RequestBody().required(true).description("multipart/form-data fields")
                .content(new Content().addMediaType("multipart/form-data", new MediaType().schema(form))));
    }

    private static PathItem eventStream(String path, String data) {
        String idName = path.replaceAll(".*\\{(\\w+)}.*", "$1");
        Operation operation = new Operation()
                .operationId(path.replaceAll("[^A-Za-z]+", "-").replaceAll("^-|-$", "") + "-events")
                .summary("The job's progress as server-sent events")
                .description("text/event-stream: `event: progress` with " + data + " at once and whenever status,"
                        + " progress or stage change, then `event: end` with the final JSON when the job has ended,"
                        + " and the stream closes. A comment line every 15 s keeps it open; it closes after 1 h"
                        + " (reconnect). Authentication and ownership as the status read (another account's job is"
                        + " a 404); past the open-stream limit, a 429.")
                .addParametersItem(new Parameter().in("path").name(idName).required(true).schema(new StringSchema())
                        .description("The id the status read takes"))
                .responses(new ApiResponses()
                        .addApiResponse("200", new ApiResponse().description("The event stream").content(new Content()
                                .addMediaType("text/event-stream", new MediaType().schema(new StringSchema()))))
                        .addApiResponse("401", new ApiResponse().description("No credential, or one not recognized"))
                        .addApiResponse("404", new ApiResponse().description("Not found or not yours"))
                        .addApiResponse("429", new ApiResponse().description("Too many open streams or requests")));
        return new PathItem().get(operation);
    }
}
