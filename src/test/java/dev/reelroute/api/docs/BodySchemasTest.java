package dev.reelroute.api.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;

/** The schema table: merged into components, wired by operation id, and refusing entries the document lacks. */
class BodySchemasTest {
    private static final String TABLE = """
            errors: Error
            schemas:
              Error:
                type: object
                description: "An error"
                properties:
                  error: {type: string, description: "What went wrong"}
              Thing:
                type: object
                description: "A thing"
                required: [name]
                properties:
                  name: {type: string, nullable: true, description: "Its name"}
            operations:
              make-thing: {requestBody: Thing, responses: {"201": Thing}}
            """;

    private static OpenAPI document() {
        Operation make = new Operation().operationId("make-thing")
                .requestBody(new RequestBody().description("JSON: name"))
                .responses(new ApiResponses().addApiResponse("201", new ApiResponse().description("Made"))
                        .addApiResponse("400", new ApiResponse().description("Bad"))
                        .addApiResponse("401", new ApiResponse().description("No key").content(new Content()
                                .addMediaType("text/plain", new MediaType()))));
        return new OpenAPI().paths(new Paths().addPathItem("/things", new PathItem().post(make)));
    }

    private static BodySchemas table(String yaml) throws Exception {
        return new BodySchemas("test", Yaml.mapper().readTree(yaml));
    }

    @Test
    void schemasGoToComponentsAndAreWiredByOperationId() throws Exception {
        OpenAPI openApi = document();
        Components components = new Components();
        table(TABLE).applyTo(openApi, components);

        Schema<?> thing = components.getSchemas().get("Thing");
        assertThat(thing.getProperties().get("name").getDescription()).isEqualTo("Its name");
        assertThat(thing.getProperties().get("name").getNullable()).isTrue();
        assertThat(thing.getRequired()).containsExactly("name");
        Operation make = openApi.getPaths().get("/things").getPost();
        assertThat(make.getRequestBody().getDescription()).isEqualTo("JSON: name");
        assertThat(make.getRequestBody().getContent().get("application/json").getSchema().get$ref())
                .isEqualTo("#/components/schemas/Thing");
        assertThat(make.getResponses().get("201").getContent().get("application/json").getSchema().get$ref())
                .isEqualTo("#/components/schemas/Thing");
        assertThat(make.getResponses().get("400").getContent().get("application/json").getSchema().get$ref())
                .isEqualTo("#/components/schemas/Error");
        // an answer that already says what it carries keeps it
        assertThat(make.getResponses().get("401").getContent()).containsOnlyKeys("text/plain");
    }

    @Test
    void entriesTheDocumentLacksAreRefused() {
        assertThatThrownBy(() -> table(TABLE.replace("make-thing:", "make-other:")).applyTo(document(), new Components()))
                .hasMessageContaining("no operation make-other");
        assertThatThrownBy(() -> table(TABLE.replace("\"201\": Thing", "\"200\": Thing"))
                .applyTo(document(), new Components()))
                .hasMessageContaining("has no response 200");
        assertThatThrownBy(() -> table(TABLE.replace("requestBody: Thing", "requestBody: Nothing"))
                .applyTo(document(), new Components()))
                .hasMessageContaining("no schema Nothing");
    }

    @Test
    void everySurfaceHasATable() {
        OpenApiDocs.SURFACES.keySet().forEach(surface -> assertThat(BodySchemas.forSurface(surface)).isNotNull());
    }
}
