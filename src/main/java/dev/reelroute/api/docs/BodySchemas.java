package dev.reelroute.api.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The schemas of a surface's JSON request and response bodies, from {@code openapi/{surface}-schemas.yaml}: the
 * Rest DSL describes bodies in words only (its {@code type}/{@code outType} would name Java classes, and the
 * surfaces answer with maps shaped by the view classes), so the table says what the views write. {@code schemas}
 * go to components.schemas; {@code operations} wire them, by operation id, to the JSON request body and to
 * response codes; {@code errors} is the schema of every 4xx/5xx answer no operation names. A name, operation or
 * response code the document lacks is an error, so the table cannot silently drift from the Rest DSL.
 */
final class BodySchemas {
    private static final String JSON = "application/json";

    private final String surface;
    private final JsonNode table;

    BodySchemas(String surface, JsonNode table) {
        this.surface = surface;
        this.table = table;
    }

    static BodySchemas forSurface(String surface) {
        String resource = "openapi/" + surface + "-schemas.yaml";
        try (InputStream in = BodySchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + resource);
            }
            return new BodySchemas(surface, Yaml.mapper().readTree(in));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    void applyTo(OpenAPI openApi, Components components) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        table.path("schemas").fields().forEachRemaining(entry ->
                schemas.put(entry.getKey(), Json.mapper().convertValue(entry.getValue(), Schema.class)));
        schemas.forEach(components::addSchemas);

        Map<String, Operation> operations = new HashMap<>();
        openApi.getPaths().values().forEach(item -> item.readOperations()
                .forEach(operation -> operations.put(operation.getOperationId(), operation)));
        String errors = table.path("errors").asText(null);
        table.path("operations").fields().forEachRemaining(entry -> {
            Operation operation = operations.get(entry.getKey());
            if (operation == null) {
                throw new IllegalStateException(surface + ": no operation " + entry.getKey());
            }
            JsonNode wiring = entry.getValue();
            if (wiring.hasNonNull("requestBody")) {
                RequestBody body = operation.getRequestBody() == null ? new RequestBody().required(true)
                        : operation.getRequestBody();
                body.setContent(json(ref(schemas, wiring.get("requestBody").asText())));
                if (body.getDescription() == null) {
                    body.setDescription("JSON");
                }
                operation.setRequestBody(body);
            }
            wiring.path("responses").fields().forEachRemaining(response -> {
                ApiResponse answer = operation.getResponses() == null ? null
                        : operation.getResponses().get(response.getKey());
                if (answer == null) {
                    throw new IllegalStateException(surface + ": " + entry.getKey() + " has no response "
                            + response.getKey());
                }
                answer.setContent(json(ref(schemas, response.getValue().asText())));
            });
        });
        if (errors != null) {
            Schema<?> error = ref(schemas, errors);
            operations.values().forEach(operation -> operation.getResponses().forEach((code, answer) -> {
                if (code.matches("[45]\\d\\d") && answer.getContent() == null) {
                    answer.setContent(json(error));
                }
            }));
        }
    }

    private Schema<?> ref(Map<String, Schema> schemas, String name) {
        if (!schemas.containsKey(name)) {
            throw new IllegalStateException(surface + ": no schema " + name);
        }
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    private static Content json(Schema<?> schema) {
        return new Content().addMediaType(JSON, new MediaType().schema(schema));
    }
}
