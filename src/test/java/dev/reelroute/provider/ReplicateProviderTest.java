package dev.reelroute.provider;

import static dev.reelroute.provider.ProviderTestSupport.replicatePrediction;
import static dev.reelroute.provider.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ReplicateProvider against a local server that follows Replicate's predictions API. */
class ReplicateProviderTest extends RemoteProviderContract<ReplicateProvider> {
    private static final String CREATE = "/v1/models/acme/video-model/predictions";
    private static final String GET = "/v1/predictions/p1";

    @Override
    ReplicateProvider newProvider(ProviderHttp http) {
        return new ReplicateProvider(http);
    }

    @Override
    String name() {
        return "replicate";
    }

    @Override
    String authScheme() {
        return "Bearer";
    }

    static String prediction(String status, String logs, String output, String error) {
        return "{\"id\":\"p1\",\"model\":\"acme/video-model\",\"status\":\"" + status + "\",\"logs\":"
                + (logs == null ? "null" : "\"" + logs + "\"") + ",\"output\":" + output + ",\"error\":"
                + (error == null ? "null" : "\"" + error + "\"")
                + ",\"urls\":{\"get\":\"{base}/v1/predictions/p1\",\"cancel\":\"{base}/v1/predictions/p1/cancel\"}}";
    }

    @Override
    RemoteClipRequest request() {
        return new RemoteClipRequest("acme/video-model", Map.of("prompt", "a red fox", "duration", 5));
    }

    @Override
    String submitPath() {
        return CREATE;
    }

    @Override
    ScriptedServer.Reply submitted() {
        return json(201, prediction("starting", "", "null", null));
    }

    @Override
    String submittedId() {
        return "p1";
    }

    @Override
    String id(String name) {
        return name;
    }

    @Override
    String pollPath(String id) {
        return "/v1/predictions/" + id;
    }

    @Override
    ScriptedServer.Reply running() {
        return json(200, prediction("processing", "", "null", null));
    }

    @Override
    ScriptedServer.Reply failedGeneration(String id, String error) {
        return json(200, replicatePrediction(id, "failed", "step 1\\n" + error, "null", error));
    }

    @Override
    ScriptedServer.Reply inputError() {
        return json(422, "{\"title\":\"Input validation failed\",\"status\":422,"
                + "\"detail\":\"- input.duration: duration must be one of 5, 10\"}",
                "Content-Type", "application/problem+json");
    }

    @Override
    String inputErrorDetail() {
        return "duration must be one of 5, 10";
    }

    @Override
    String cancelMethod() {
        return "POST";
    }

    @Override
    String cancelPath(String id) {
        return pollPath(id) + "/cancel";
    }

    @Override
    ScriptedServer.Reply cancelAccepted() {
        return json(200, prediction("canceled", "", "null", null));
    }

    @Override
    void scriptGeneration() {
        api.on("POST", CREATE, json(201, prediction("starting", "", "null", null)));
        api.on("GET", GET,
                json(200, prediction("starting", "", "null", null)),
                json(200, prediction("processing", "loading weights\\n  10%|#         | 1/10", "null", null)),
                json(200, prediction("processing", "loading weights\\n  10%|#         | 1/10\\r  60%|######    | 6/10",
                        "null", null)),
                json(200, prediction("succeeded", "loading weights\\n100%|##########| 10/10",
                        "[\"{cdn}" + OUTPUT_PATH + "\"]", null)));
    }

    @Override
    List<Integer> generationProgress() {
        return Arrays.asList(null, null, 10, 60, 100);
    }

    @Override
    List<String> runningLogs() {
        return List.of("loading weights", "10%|#         | 1/10", "60%|######    | 6/10");
    }

    @Override
    void assertGenerationRequests(List<RemotePrediction> states) throws Exception {
        JsonNode body = new ObjectMapper().readTree(api.seen("POST", CREATE).get(0).body());
        assertThat(body.has("version")).isFalse();
        assertThat(body.get("input").get("prompt").asText()).isEqualTo("a red fox");
    }

    // ---------------------------------------------------------------------------- Replicate's own

    @Test
    void versionedModelsUseThePredictionsEndpoint() throws Exception {
        api.on("POST", "/v1/predictions", json(201, prediction("starting", null, "null", null)));
        provider.submit(new RemoteClipRequest("acme/video-model:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
                Map.of("prompt", "x")));
        JsonNode body = new ObjectMapper().readTree(api.seen("POST", "/v1/predictions").get(0).body());
        assertThat(body.get("version").asText())
                .isEqualTo("5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa");
        assertThat(body.get("input").get("prompt").asText()).isEqualTo("x");
    }

    @Test
    void aCancelledPredictionsUrlsAreForgotten() {
        api.on("POST", CREATE, json(201, prediction("starting", "", "null", null)
                .replace("{base}/v1/predictions/p1\"", "{base}/v1/elsewhere/p1\"")));
        api.on("POST", "/v1/predictions/p1/cancel", json(200, "{}"));
        api.on("GET", "/v1/predictions/p1", json(200, prediction("canceled", "", "null", null)));
        provider.cancel(provider.submit(request()).id());
        // the next poll no longer follows the remembered urls.get, but the default path
        assertThat(provider.poll("p1").status()).isEqualTo(RemotePrediction.CANCELED);
        assertThat(api.seen("GET", "/v1/elsewhere/p1")).isEmpty();
    }
}
