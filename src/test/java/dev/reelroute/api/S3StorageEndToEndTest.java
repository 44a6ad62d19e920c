package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.security.AccountStore;
import dev.reelroute.storage.S3Storage;
import dev.reelroute.storage.Storage;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.S3ProxyExtension;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The s3 profile end to end: a video job's input image goes to the bucket, the local engine renders from it, the
 * video and thumbnail go back, the API hands out presigned S3 links (fresh on every read) that download a valid
 * MP4 straight from the S3 server, and deleting the job removes its objects. Nothing is kept on the local disk.
 */
@ExtendWith(S3ProxyExtension.class)
@ActiveProfiles("s3")
class S3StorageEndToEndTest extends ServiceTest {
    private static final String BASE = "/api/v1/video-jobs";
    private static final String BUCKET = "reelroute-e2e";

    @TempDir
    static Path media;

    @Autowired
    CamelContext camel;
    @Autowired
    Storage storage;
    @Autowired
    S3Client s3;
    @Value("${reelroute.data-dir}")
    Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        S3ProxyExtension.server().register(registry, BUCKET);
    }

    private List<String> objectsOf(String jobId) {
        return s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("jobs/" + jobId + "/")).contents().stream()
                .map(S3Object::key).toList();
    }

    private JsonNode awaitFinished(String key, String id) {
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get(BASE + "/" + id, key).json(),
                        job -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("status").asText()));
    }

    private void assertPresignedS3Link(String url, String key) {
        assertThat(url).startsWith(S3ProxyExtension.server().endpoint() + "/" + BUCKET + "/" + key + "?")
                .contains("X-Amz-Signature=", "X-Amz-Credential=")
                // the default lifetime is reelroute.video-link-ttl (24h)
                .contains("X-Amz-Expires=86400")
                .doesNotContain(S3ProxyExtension.server().secretKey());
    }

    @Test
    void aVideoJobRunsOnS3AndItsPresignedLinksDownloadTheVideo() throws Exception {
        assertThat(storage).isInstanceOf(S3Storage.class);
        AccountStore.CreatedKey account = newAccount("s3-" + System.nanoTime());
        Tokens.topUp(camel, account.accountId(), 100);
        Path image = TestMedia.png(media, 640, 480);

        List<Part> parts = List.of(Part.field("model", "veo-3.1-fast-generate-preview"),
                Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"),
                Part.field("durationSeconds", "4"), Part.field("mockMode", "true"),
                Part.field("prompt", "a slow zoom in"), Part.file("initialImage", image, "image/png"));
        ApiClient.Response created = api.postMultipart(BASE, account.apiKey(), parts);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String id = created.json().get("id").asText();

        JsonNode job = awaitFinished(account.apiKey(), id);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(objectsOf(id)).containsExactlyInAnyOrder("jobs/" + id + "/initial-image.png",
                "jobs/" + id + "/output.mp4", "jobs/" + id + "/thumbnail.jpg");
        assertThat(dataDir.resolve("storage")).as("nothing is stored on the local disk").doesNotExist();

        // the status read hands out a presigned S3 URL that downloads an H.264 MP4 without the app
        String videoUrl = job.get("videoUrl").asText();
        assertPresignedS3Link(videoUrl, "jobs/" + id + "/output.mp4");
        ApiClient.Response video = api.getAbsolute(videoUrl, null);
        assertThat(video.status()).isEqualTo(200);
        assertThat(video.header("Content-Type")).isEqualTo("video/mp4");
        Path downloaded = media.resolve("from-s3.mp4");
        Files.write(downloaded, video.bytes());
        String probe = TestMedia.ffprobe(downloaded, "stream=codec_name,width,height:format=duration");
        assertThat(probe).contains("codec_name=h264", "width=1280", "height=720");
        double duration = Double.parseDouble(probe.lines().filter(l -> l.startsWith("duration=")).findFirst()
                .orElseThrow().substring("duration=".length()));
        assertThat(duration).isCloseTo(4.0, within(0.1));
        assertPresignedS3Link(job.get("thumbnailUrl").asText(), "jobs/" + id + "/thumbnail.jpg");
        assertThat(api.getAbsolute(job.get("thumbnailUrl").asText(), null).header("Content-Type"))
                .isEqualTo("image/jpeg");

        // every read mints a new link (X-Amz-Date moves on), and the download endpoint redirects to one
        // (the S3 signer counts whole seconds on its own clock: read until the second has turned)
        String again = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get(BASE + "/" + id, account.apiKey()).json().get("videoUrl").asText(),
                        url -> !url.equals(videoUrl));
        assertThat(again).isNotEqualTo(videoUrl);
        assertPresignedS3Link(again, "jobs/" + id + "/output.mp4");
        ApiClient.Response redirect = api.get(BASE + "/" + id + "/download", account.apiKey());
        assertThat(redirect.status()).isEqualTo(302);
        assertPresignedS3Link(redirect.header("Location"), "jobs/" + id + "/output.mp4");
        assertThat(api.getAbsolute(redirect.header("Location"), "bytes=0-99").status()).isEqualTo(206);

        // deleting the job removes its objects from the bucket, and its old links stop working
        assertThat(api.delete(BASE + "/" + id, account.apiKey()).status()).isEqualTo(204);
        assertThat(objectsOf(id)).isEmpty();
        assertThat(api.getAbsolute(again, null).status()).isEqualTo(404);
    }
}
