package dev.reelroute.provider;

import static dev.reelroute.provider.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FalProvider against a local server that follows fal's queue API. */
class FalProviderTest extends RemoteProviderContract<FalProvider> {
    private static final String MODEL = "fal-ai/kling-video/v2.1/standard/image-to-video";
    private static final String SUBMIT = "/" + MODEL;
    private static final String ID = "fal-ai/kling-video/requests/r1";
    private static final String REQUEST = "/" + ID;
    private static final String STATUS = REQUEST + "/status";
    private static final String SUBMITTED = "{\"request_id\":\"r1\",\"status\":\"IN_QUEUE\",\"queue_position\":2,"
            + "\"status_url\":\"{base}" + STATUS + "\",\"response_url\":\"{base}" + REQUEST + "\","
            + "\"cancel_url\":\"{base}" + REQUEST + "/cancel\"}";

    @Override
    FalProvider newProvider(ProviderHttp http) {
        return new FalProvider(http);
    }

    @Override
    String name() {
        return "fal";
    }

    @Override
    String authScheme() {
        return "Key";
    }

    @Override
    RemoteClipRequest request() {
        return new RemoteClipRequest(MODEL, Map.of("prompt", "a red fox", "image_url", "https://x.test/a.png"));
    }

    @Override
    String submitPath() {
        return SUBMIT;
    }

    @Override
    ScriptedServer.Reply submitted() {
        return json(200, SUBMITTED);
    }

    @Override
    String submittedId() {
        return ID;
    }

    @Override
    String id(String name) {
        return "fal-ai/kling-video/requests/" + name;
    }

    @Override
    String pollPath(String id) {
        return "/" + id + "/status";
    }

    @Override
    ScriptedServer.Reply running() {
        return json(202, "{\"status\":\"IN_PROGRESS\",\"logs\":[]}");
    }

    @Override
    ScriptedServer.Reply failedGeneration(String id, String error) {
        return json(200, "{\"status\":\"COMPLETED\",\"logs\":[],\"error\":\"" + error + "\","
                + "\"error_type\":\"timeout\"}");
    }

    @Override
    ScriptedServer.Reply inputError() {
        return json(422, "{\"detail\":[{\"loc\":[\"body\",\"duration\"],"
                + "\"msg\":\"Input should be '5' or '10'\",\"type\":\"enum\"}]}");
    }

    @Override
    String inputErrorDetail() {
        return "body.duration: Input should be '5' or '10'";
    }

    @Override
    String cancelMethod() {
        return "PUT";
    }

    @Override
    String cancelPath(String id) {
        return "/" + id + "/cancel";
    }

    @Override
    ScriptedServer.Reply cancelAccepted() {
        return json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}");
    }

    static String log(String message) {
        return "{\"message\":\"" + message + "\",\"level\":\"INFO\",\"source\":\"user\","
                + "\"timestamp\":\"2026-11-23T10:00:00.000Z\"}";
    }

    @Override
    void scriptGeneration() {
        api.on("POST", SUBMIT, json(200, SUBMITTED));
        api.on("GET", STATUS,
                json(202, "{\"status\":\"IN_QUEUE\",\"queue_position\":1,\"response_url\":\"{base}" + REQUEST + "\"}"),
                json(202, "{\"status\":\"IN_PROGRESS\",\"logs\":[" + log("Loading model") + "]}"),
                json(202, "{\"status\":\"IN_PROGRESS\",\"logs\":[" + log("Loading model") + "," + log("Generating 40%")
                        + "]}"),
                json(200, "{\"status\":\"COMPLETED\",\"logs\":[" + log("Loading model") + "," + log("Generating 40%")
                        + "," + log("Done") + "],\"metrics\":{\"inference_time\":41.2}}"));
        api.on("GET", REQUEST,
                json(200, "{\"video\":{\"url\":\"{cdn}" + OUTPUT_PATH + "\",\"content_type\":\"video/mp4\"}}"));
    }

    @Override
    List<Integer> generationProgress() {
        return Arrays.asList(null, null, null, 40, 100);
    }

    @Override
    List<String> runningLogs() {
        return List.of("Loading model", "Generating 40%");
    }

    @Override
    void assertGenerationRequests(List<RemotePrediction> states) throws Exception {
        assertThat(states.get(1).logs()).containsExactly("queued at position 1");
        assertThat(new ObjectMapper().readTree(api.seen("POST", SUBMIT).get(0).body()).get("prompt").asText())
                .isEqualTo("a red fox");
        assertThat(api.seen("GET", STATUS)).extracting(ScriptedServer.Seen::query).containsOnly("logs=1");
    }

    // ---------------------------------------------------------------------------- fal's own

    @Test
    void pollWorksFromTheIdAloneAndAcceptsVideosArray() {
        api.on("GET", STATUS, json(200, "{\"status\":\"COMPLETED\",\"logs\":[]}"));
        api.on("GET", REQUEST, json(200, "{\"videos\":[{\"url\":\"https://v3.fal.media/files/x.mp4\"}]}"));
        RemotePrediction p = provider.poll(ID);
        assertThat(p.status()).isEqualTo("succeeded");
        assertThat(p.outputUrl()).isEqualTo("https://v3.fal.media/files/x.mp4");
    }

    @Test
    void anErrorResultIsFailed() {
        api.on("GET", STATUS, json(200, "{\"status\":\"COMPLETED\",\"logs\":[]}"));
        api.on("GET", REQUEST, json(422, "{\"detail\":[{\"loc\":[\"body\",\"image_url\"],"
                + "\"msg\":\"Could not download the image\",\"type\":\"image_load_error\"}]}"));
        RemotePrediction p = provider.poll(ID);
        assertThat(p.status()).isEqualTo("failed");
        assertThat(p.error()).isEqualTo("body.image_url: Could not download the image");
        assertThat(api.seen("GET", REQUEST)).hasSize(1);
    }

    @Test
    void cancellingACompletedRequestIsANoOp() {
        api.on("PUT", cancelPath(ID), json(400, "{\"status\":\"ALREADY_COMPLETED\"}"));
        provider.cancel(ID);
        assertThat(api.seen("PUT", cancelPath(ID))).hasSize(1);
    }
}
