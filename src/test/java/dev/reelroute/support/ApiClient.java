package dev.reelroute.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A plain HTTP client for the API, with a hand-made multipart body so tests control every part. */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public ApiClient(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    public record Response(int status, java.net.http.HttpHeaders headers, byte[] bytes) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + body(), e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** One part of a multipart body: a file (with a filename and Content-Type) or a plain field. */
    public record Part(String name, String filename, String contentType, byte[] content) {
        public static Part file(String name, Path file, String contentType) throws IOException {
            return new Part(name, file.getFileName().toString(), contentType, Files.readAllBytes(file));
        }

        public static Part file(String name, String filename, String contentType, byte[] content) {
            return new Part(name, filename, contentType, content);
        }

        public static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    public Response get(String path, String apiKey) throws Exception {
        return send(request(path, apiKey).GET().build());
    }

    public Response get(String path, String apiKey, String headerName, String headerValue) throws Exception {
        return send(request(path, apiKey).header(headerName, headerValue).GET().build());
    }

    public Response getWithBearer(String path, String bearer) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer).GET().build());
    }

    public Response delete(String path, String apiKey) throws Exception {
        return send(request(path, apiKey).DELETE().build());
    }

    /** GET with exactly the given headers (name, value, name, value, …): for tests of the credentials themselves. */
    public Response getWithHeaders(String path, String... headers) throws Exception {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(baseUrl + path)), headers)
                .timeout(Duration.ofSeconds(30)).GET().build());
    }

    public Response post(String path, String apiKey) throws Exception {
        return send(request(path, apiKey).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public Response postJson(String path, String bearer, String json) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return send(builder.build());
    }

    public Response postJsonWithKey(String path, String apiKey, String json) throws Exception {
        return send(request(path, apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A JSON POST with exactly the given headers (name, value, …) besides its Content-Type. */
    public Response postJsonWithHeaders(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        return send(withHeaders(builder, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Response postMultipart(String path, String apiKey, List<Part> parts) throws Exception {
        return apiKey == null ? postMultipartWithHeaders(path, parts)
                : postMultipartWithHeaders(path, parts, "X-API-Key", apiKey);
    }

    /** A multipart POST with exactly the given headers (name, value, …) besides its Content-Type. */
    public Response postMultipartWithHeaders(String path, List<Part> parts, String... headers) throws Exception {
        Multipart multipart = multipart(parts);
        return postBytes(path, multipart.contentType(), multipart.body(), headers);
    }

    /** A multipart/form-data body and the Content-Type that names its boundary. */
    public record Multipart(String contentType, byte[] body) {}

    public static Multipart multipart(List<Part> parts) throws IOException {
        String boundary = "----reelroute" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            body.write(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
            String disposition = "Content-Disposition: form-data; name=\"" + part.name() + "\""
                    + (part.filename() == null ? "" : "; filename=\"" + part.filename() + "\"") + "\r\n";
            body.write(disposition.getBytes(StandardCharsets.UTF_8));
            if (part.contentType() != null) {
                body.write(("Content-Type: " + part.contentType() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
            body.write(part.content());
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Multipart("multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    /**
     * Any method, the path sent as written (no normalising), with a body of {@code contentType} (none when null) and
     * exactly the given headers (name, value, …).
     */
    public Response exchange(String method, String path, String contentType, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder builder = withHeaders(HttpRequest.newBuilder(URI.create(baseUrl + path)), headers)
                .timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A POST of exactly these bytes as {@code contentType}, with the given headers (name, value, …). */
    public Response postBytes(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        return send(withHeaders(builder, headers).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Submits an image + audio job the way the quick start does. */
    public Response submit(String apiKey, Path image, String imageType, Path audio, String audioType,
                           String webhookUrl) throws Exception {
        List<Part> parts = new ArrayList<>();
        parts.add(Part.file("image", image, imageType));
        parts.add(Part.file("audio", audio, audioType));
        if (webhookUrl != null) {
            parts.add(Part.field("webhookUrl", webhookUrl));
        }
        return postMultipart("/api/jobs", apiKey, parts);
    }

    public Response getAbsolute(String url, String rangeHeader) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (rangeHeader != null) {
            builder.header("Range", rangeHeader);
        }
        return send(builder.build());
    }

    private HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            builder.header("X-API-Key", apiKey);
        }
        return builder;
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder builder, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private Response send(HttpRequest request) throws Exception {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.headers(), response.body());
    }
}
