package dev.reelroute.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.StoredFiles;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Clients that attack the connection rather than the content: an upload that trickles and then stalls, bodies past
 * the multipart limits or broken, and a flood past the rate limits. All run against small limits (2 s connection
 * timeout, 64 KB a file, 128 KB a body, 20 API calls a minute) so the test stays short; each refusal comes in the
 * surface's error body, leaves no job row and no stored file, and the service keeps answering /health throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileConnectionsTest extends ServiceTest {
    private static final long CONNECTION_TIMEOUT_MS = 2000;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.jobs.worker-enabled", () -> "false");
        registry.add("server.tomcat.connection-timeout", () -> CONNECTION_TIMEOUT_MS + "ms");
        registry.add("spring.servlet.multipart.max-file-size", () -> "64KB");
        registry.add("spring.servlet.multipart.max-request-size", () -> "128KB");
        registry.add("reelroute.rate-limit.api-per-minute", () -> "20");
        // the uploads refused before the flood are submissions too
        registry.add("reelroute.rate-limit.submit-per-minute", () -> "15");
    }

    @Test
    @Order(1) // before the flood, so the rate limit is not what answers it
    void aStalledSlowUploadGets408AndIsClosedAndHealthAnswersMeanwhile() throws Exception {
        String key = newAccountKey("slow");
        assertRefused("/api/jobs", stalledUpload("/api/jobs", "image", key), 408, "not received in time");
        assertRefused("/api/v1/videos", stalledUpload("/api/v1/videos", "file", key), 408, "not received in time");
    }

    /**
     * Trickles the start of a 100 KB upload (under the limits), then stalls; returns the answer once the server has
     * closed the connection. Reading the socket gives up after a generous while, only so that a server that never
     * answers fails the test instead of hanging it.
     */
    private ApiClient.Response stalledUpload(String path, String field, String key) throws Exception {
        String boundary = "slowboundary";
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) (CONNECTION_TIMEOUT_MS * 15));
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + "Content-Length: 100000\r\n\r\n" + head).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // trickle a byte at a time, each gap under the timeout: the service keeps serving others meanwhile
            for (int i = 0; i < 6; i++) {
                // not a wait for something: the slow client's gap between bytes, time that must pass
                Thread.sleep(CONNECTION_TIMEOUT_MS / 4);
                out.write('x');
                out.flush();
                assertThat(api.get("/health", null).status()).isEqualTo(200);
            }
            // then stall: the server gives up on the body (its connection timeout), answers 408 and closes (Tomcat
            // gives up the parse after one timeout, drains the body for one more, then answers, and closes later)
            assertThat(api.get("/health", null).status()).isEqualTo(200);
            InputStream in = socket.getInputStream();
            String answer;
            try {
                // readAllBytes returns at the end of the stream: the server has closed the connection
                answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a stalled upload open without answering it", e);
            }
            assertThat(answer).as(answer).startsWith("HTTP/1.1 408 ").contains("Content-Type: application/json");
            String body = answer.substring(answer.indexOf('{'), answer.lastIndexOf('}') + 1);
            return new ApiClient.Response(408, null, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(2)
    void bodiesPastTheMultipartLimitsGet413() throws Exception {
        String key = newAccountKey("large");
        byte[] file = new byte[100 * 1024];
        byte[] half = new byte[60 * 1024];
        assertRefused("/api/jobs", api.postMultipart("/api/jobs", key,
                List.of(Part.file("image", "a.png", "image/png", file))), 413, "Uploaded file exceeded 64 KB");
        assertRefused("/api/jobs", api.postMultipart("/api/jobs", key, List.of(Part.file("image", "a.png", "image/png",
                half), Part.file("audio", "a.wav", "audio/wav", half), Part.file("music", "b.wav", "audio/wav", half))),
                413, "Request body exceeded 128 KB");
        List<Part> seventeen = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            seventeen.add(Part.field("field" + i, "x"));
        }
        assertRefused("/api/jobs", api.postMultipart("/api/jobs", key, seventeen), 413, "Too many parts: at most 16");
        assertRefused("/api/v1/video-jobs", api.postMultipart("/api/v1/video-jobs", key,
                List.of(Part.field("prompt", "a lake"), Part.file("initialImage", "a.png", "image/png", file))), 413,
                "Uploaded file exceeded 64 KB");
        assertRefused("/api/v1/videos", api.postMultipart("/api/v1/videos", key,
                List.of(Part.file("file", "clip.mp4", "video/mp4", file))), 413, "Uploaded file exceeded 64 KB");
    }

    @Test
    @Order(3)
    void malformedMultipartBodiesGet400() throws Exception {
        String key = newAccountKey("malformed");
        // a part that never ends: the closing boundary is missing
        byte[] unterminated = ("--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n"
                + "xxxx").getBytes(StandardCharsets.US_ASCII);
        for (String path : List.of("/api/jobs", "/api/v1/video-jobs", "/api/v1/videos")) {
            assertRefused(path, api.postBytes(path, "multipart/form-data; boundary=b", unterminated, "X-API-Key", key),
                    400, "Malformed multipart body");
            assertRefused(path, api.postBytes(path, "multipart/form-data", unterminated, "X-API-Key", key), 400,
                    "Malformed multipart body");
        }
    }

    /** The status, the surface's own error body with the message, and nothing stored; the service still answers. */
    private void assertRefused(String path, ApiClient.Response response, int status, String message)
            throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
        JsonNode body = response.json();
        String said = switch (path) {
            case "/api/v1/video-jobs" -> body.get("detail").asText();
            case "/api/v1/videos" -> {
                assertThat(body.get("success").asBoolean()).as(response.body()).isFalse();
                assertThat(body.get("error").get("code").asText()).as(response.body())
                        .isEqualTo(Map.of(408, "REQUEST_TIMEOUT", 413, "PAYLOAD_TOO_LARGE", 400, "VALIDATION_ERROR")
                                .get(status));
                yield body.get("error").get("message").asText();
            }
            default -> body.get("error").asText();
        };
        assertThat(said).as(response.body()).contains(message);
        assertThat(jobRows()).as("job rows").isZero();
        assertThat(StoredFiles.count(dataDir)).as("stored files").isZero();
        assertThat(api.get("/health", null).status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void aFloodPastTheRateLimitGets429WithRetryAfterAndHealthStaysUp() throws Exception {
        String key = newAccountKey("flood");
        int refused = 0;
        ApiClient.Response last = null;
        for (int i = 0; i < 60; i++) {
            ApiClient.Response response = api.get("/api/jobs", key);
            assertThat(response.status()).as(response.body()).isIn(200, 429);
            if (response.status() == 429) {
                refused++;
                last = response;
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(60 - 20);
        assertThat(last.json().get("error").asText()).contains("Rate limit exceeded");
        assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 60L);
        // the liveness probe is outside the limits and the service is unharmed
        for (int i = 0; i < 10; i++) {
            assertThat(api.get("/health", null).status()).isEqualTo(200);
        }
        assertThat(jobRows()).isZero();
    }
}
