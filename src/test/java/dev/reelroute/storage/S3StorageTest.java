package dev.reelroute.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reelroute.support.S3ProxyExtension;
import dev.reelroute.support.StorageRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Storage against a real S3-compatible server (s3proxy, its own process), through a real Camel context. */
@ExtendWith(S3ProxyExtension.class)
class S3StorageTest extends StorageContract {
    private static final String BUCKET = "storage-contract";

    private static StorageRoutes routes;
    private static S3Client client;
    private static S3Storage storage;
    private final HttpClient http = HttpClient.newHttpClient();

    static StorageProperties.S3 settings(Duration linkTtl) {
        S3ProxyExtension.Server server = S3ProxyExtension.server();
        return new StorageProperties.S3(BUCKET, "us-east-1", server.endpoint().toString(), true, server.accessKey(),
                server.secretKey(), linkTtl, true, DataSize.ofMegabytes(5));
    }

    @BeforeAll
    static void start() throws Exception {
        client = S3Clients.client(settings(Duration.ofMinutes(5)));
        routes = new StorageRoutes(S3Storage.CLIENT_BEAN, client);
        storage = routes.serve(producer -> storageWithLinksFor(producer, Duration.ofMinutes(5)));
    }

    private static S3Storage storageWithLinksFor(ProducerTemplate producer, Duration linkTtl) {
        return new S3Storage(producer, S3Clients.presigner(settings(linkTtl)), settings(linkTtl));
    }

    @AfterAll
    static void stop() throws Exception {
        storage.close();
        routes.close();
        client.close();
    }

    @Override
    protected CamelContext camel() {
        return routes.camel();
    }

    @Override
    protected Storage storage() {
        return storage;
    }

    private HttpResponse<byte[]> get(String url, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aPresignedUrlDownloadsTheObjectOverPlainHttpWithItsTypeAndRanges() throws Exception {
        byte[] content = randomBytes(40_000, 11);
        storage.put(key("output.mp4"), file("output.mp4", content), "video/mp4");

        String url = storage.presignedUrl(key("output.mp4")).orElseThrow();
        assertThat(url).startsWith(S3ProxyExtension.server().endpoint() + "/" + BUCKET + "/" + key("output.mp4") + "?")
                .contains("X-Amz-Signature=", "X-Amz-Expires=300")
                .doesNotContain(S3ProxyExtension.server().secretKey());
        HttpResponse<byte[]> whole = get(url, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(whole.body()).isEqualTo(content);

        // a player seeks with Range requests, answered by S3 itself
        HttpResponse<byte[]> range = get(url, "bytes=0-99");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).hasSize(100);

        // the bucket is private: without the signature, or with another, nothing comes back
        assertThat(get(url.substring(0, url.indexOf('?')), null).statusCode()).isEqualTo(403);
        int digit = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        String tampered = url.substring(0, digit) + (url.charAt(digit) == '0' ? '1' : '0') + url.substring(digit + 1);
        assertThat(get(tampered, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aPresignedUrlExpiresAfterItsLifetime() throws Exception {
        storage.put(key("short.mp4"), file("short.mp4", randomBytes(1_000, 12)), "video/mp4");
        try (S3Storage shortLived = storageWithLinksFor(routes.camel().createProducerTemplate(),
                Duration.ofSeconds(2))) {
            String url = shortLived.presignedUrl(key("short.mp4")).orElseThrow();
            assertThat(url).contains("X-Amz-Expires=2");
            assertThat(get(url, null).statusCode()).isEqualTo(200);

            // the S3 server judges expiry on its own clock: read until it refuses the link
            HttpResponse<byte[]> expired = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> get(url, null), response -> response.statusCode() != 200);
            assertThat(expired.statusCode()).isEqualTo(403);
            assertThat(new String(expired.body())).contains("expired");
            // and a fresh link (what the next status read mints) works again
            assertThat(get(shortLived.presignedUrl(key("short.mp4")).orElseThrow(), null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aLocalFileIsDownloadedIntoTheWorkDirAndTheUploadedFileIsConsumed() throws Exception {
        Path upload = file("image.png", randomBytes(5_000, 13));
        storage.put(key("image.png"), upload, "image/png");
        assertThat(upload).doesNotExist();

        Path workDir = Files.createDirectories(dir.resolve("job-work"));
        assertThat(storage.localFile(key("image.png"), workDir)).startsWith(workDir.toAbsolutePath())
                .hasFileName("image.png");
        try (var partials = Files.walk(workDir)) {
            assertThat(partials.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void objectsLandInTheConfiguredBucketUnderTheirKeys() throws Exception {
        storage.put(key("jobs/x/output.mp4"), file("output.mp4", randomBytes(10, 14)), "video/mp4");
        assertThat(client.listObjectsV2(r -> r.bucket(BUCKET).prefix(key("jobs/"))).contents())
                .extracting(o -> o.key()).containsExactly(key("jobs/x/output.mp4"));
    }

    @Test
    void aFilePastThePartSizeGoesUpInPartsStreamedFromDisk() throws Exception {
        storage.put(key("parts.mp4"), file("parts.mp4", randomBytes(11 * 1024 * 1024, 15)), "video/mp4");
        // a multipart object's ETag is the digest of its parts' digests, suffixed with their count
        assertThat(client.headObject(r -> r.bucket(BUCKET).key(key("parts.mp4"))).eTag()).endsWith("-3\"");
    }
}
