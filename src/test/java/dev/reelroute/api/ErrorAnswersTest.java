package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.WorkerlessServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers the routes do not write themselves (an unknown path, a method or media type a path does not take, a path
 * Tomcat refuses before any servlet sees it, a path with dot segments) come in the surface's error body:
 * {"error"} for the jobs, generate, projects and admin APIs, {"detail"} for /api/v1/video-jobs, the envelope for
 * /api/v1/videos and /api/v1/jobs; never Spring's {"timestamp",…} nor Tomcat's HTML page.
 */
class ErrorAnswersTest extends WorkerlessServiceTest {
    private String key;

    @BeforeEach
    void account() {
        key = newAccountKey("errors-" + System.nanoTime());
    }

    private ApiClient.Response call(String method, String path, String contentType, String text) throws Exception {
        byte[] body = text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return path.startsWith("/admin")
                ? api.exchange(method, path, contentType, body, "Authorization", "Bearer " + ADMIN_TOKEN)
                : api.exchange(method, path, contentType, body, "X-API-Key", key);
    }

    /** Asserts the status and the surface's error body; returns its message. */
    private static String assertErrorBody(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.body()).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.has("timestamp")).as(response.body()).isFalse();
        return body.get("error").asText();
    }

    private static String assertDetailBody(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.body()).startsWith("application/json");
        assertThat(response.json().fieldNames()).toIterable().containsExactly("detail");
        return response.json().get("detail").asText();
    }

    private static String assertEnvelope(ApiClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.body()).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("error").get("code").asText()).isEqualTo(code);
        return body.get("error").get("message").asText();
    }

    @Test
    void unknownPathsAre404sInTheSurfacesBody() throws Exception {
        for (String path : new String[] {"/api/nope", "/api/jobs/x/y/z", "/api/video-projects/p/nope/x", "/admin/nope",
                "/nope"}) {
            assertThat(assertErrorBody(call("GET", path, null, null), 404)).as(path).startsWith("Not found");
            assertThat(assertErrorBody(call("GET", path, null, null), 404)).as(path).isNotEqualTo("Not Found");
        }
        assertThat(assertDetailBody(call("GET", "/api/v1/video-jobs/x/y/z", null, null), 404)).startsWith("Not found");
        assertEnvelope(call("GET", "/api/v1/videos/x/y", null, null), 404, "NOT_FOUND");
        assertEnvelope(call("GET", "/api/v1/jobs/x/y/z", null, null), 404, "NOT_FOUND");
    }

    @Test
    void aMethodAPathDoesNotTakeIsA405InTheSurfacesBody() throws Exception {
        ApiClient.Response jobs = call("DELETE", "/api/jobs", null, null);
        assertThat(assertErrorBody(jobs, 405)).startsWith("Method DELETE is not allowed here");
        assertThat(jobs.header("Allow")).contains("POST");
        assertThat(assertDetailBody(call("PUT", "/api/v1/video-jobs", null, null), 405)).contains("PUT");
        assertEnvelope(call("PUT", "/api/v1/videos", null, null), 405, "METHOD_NOT_ALLOWED");
        assertErrorBody(call("DELETE", "/admin/accounts", null, null), 405);
        assertErrorBody(call("PUT", "/api/generate", null, null), 405);
    }

    @Test
    void aMediaTypeAPathDoesNotTakeIsA415InTheSurfacesBody() throws Exception {
        assertThat(assertErrorBody(call("POST", "/api/jobs", "text/plain", "x"), 415))
                .isEqualTo("Unsupported Content-Type: send multipart/form-data");
        assertThat(assertDetailBody(call("POST", "/api/v1/video-jobs", "text/plain", "x"), 415))
                .startsWith("Unsupported Content-Type");
        assertThat(assertErrorBody(call("POST", "/api/generate", "text/plain", "x"), 415)).contains("application/json");
        assertErrorBody(call("POST", "/admin/accounts", "text/plain", "x"), 415);
        assertErrorBody(call("POST", "/api/video-projects/generate", "text/plain", "x"), 415);
        assertEnvelope(call("POST", "/api/v1/jobs", "text/plain", "x"), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void pathsTomcatRefusesAre400sInTheSurfacesBodyNotItsHtmlPage() throws Exception {
        for (String bad : new String[] {"%2F", "%00", "%5C"}) {
            assertThat(assertErrorBody(call("GET", "/api/jobs/a" + bad + "b", null, null), 400)).as(bad)
                    .contains("path is not valid");
            assertThat(assertDetailBody(call("GET", "/api/v1/video-jobs/a" + bad + "b", null, null), 400)).as(bad)
                    .contains("path is not valid");
            assertEnvelope(call("GET", "/api/v1/videos/a" + bad + "b", null, null), 400, "VALIDATION_ERROR");
        }
    }

    @Test
    void dotSegmentsAreRefusedBeforeAnyFilterOrRouteReadsThePath() throws Exception {
        // the filters saw /api/ (no credential needed there), the route /api/status/{jobId}: a 401 with a valid key
        assertThat(assertErrorBody(call("GET", "/api/status/..", null, null), 400))
                .isEqualTo("A path must not contain '.' or '..' segments");
        assertErrorBody(call("GET", "/api/status/%2e%2e", null, null), 400);
        assertErrorBody(call("GET", "/api/jobs/./x", null, null), 400);
        assertDetailBody(call("GET", "/api/v1/video-jobs/..", null, null), 400);
        assertDetailBody(call("GET", "/api/v1/video-jobs/..;x", null, null), 400);
        // a dot inside a segment is no dot segment
        assertThat(call("GET", "/api-docs/openapi.json", null, null).status()).isEqualTo(200);
        assertThat(assertErrorBody(call("GET", "/api/status/a..b", null, null), 404)).isEqualTo("Job not found");
    }
}
