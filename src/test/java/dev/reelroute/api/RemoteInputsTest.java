package dev.reelroute.api;

import dev.reelroute.web.ApiException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.support.FileServer;
import dev.reelroute.webhook.WebhookUrlGuard;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.util.unit.DataSize;

/**
 * The download guard of inputs given as URLs: the webhook URL rules before any connection, addresses checked again
 * when connecting, redirects checked and bounded, sizes and times bounded, nothing left behind on a failure.
 */
class RemoteInputsTest {
    private static final long LIMIT = 64 * 1024;
    private static final byte[] SMALL = "just some bytes".getBytes();
    static FileServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void serve() throws Exception {
        server = new FileServer()
                .bytes("/small.bin", SMALL, "application/octet-stream")
                .bytes("/inside.bin", SMALL, "application/octet-stream")
                .bytes("/announced-too-large.bin", new byte[(int) LIMIT + 1], "application/octet-stream")
                .streamed("/streamed-too-large.bin", 4 * LIMIT)
                .redirect("/moved", 301, "/small.bin")
                .redirect("/hop1", 302, "/hop2").redirect("/hop2", 302, "/hop3")
                .redirect("/hop3", 302, "/hop4").redirect("/hop4", 302, "/small.bin")
                .redirect("/to-a-file", 302, "file:///etc/passwd")
                .slow("/slow", 3_000);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WebhookUrlGuard guard(boolean allowInsecure) {
        return new WebhookUrlGuard(properties(allowInsecure));
    }

    private static ReelrouteProperties properties(boolean allowInsecure) {
        return new ReelrouteProperties(null, null, null, null, null, null, null, null, null, null, null, null,
                new ReelrouteProperties.Webhooks(allowInsecure, java.util.List.of(), 0, null, 1), null, null, null, null, null);
    }

    private static RemoteInputs inputs(WebhookUrlGuard guard) {
        MultipartProperties uploads = new MultipartProperties();
        uploads.setMaxFileSize(DataSize.ofBytes(LIMIT));
        return new RemoteInputs(guard, new InputDownloadProperties(Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(5), 3), uploads);
    }

    private ApiException refusal(RemoteInputs inputs, String url) {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> inputs.fetch(url, "image", dir));
        assertThat(refused).as("refused: " + url).isNotNull();
        return refused;
    }

    private long filesLeft() throws Exception {
        try (Stream<Path> left = Files.list(dir)) {
            return left.count();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/still.png", "https://10.1.2.3/still.png", "https://192.168.1.1/a.png",
            "https://169.254.169.254/latest/meta-data/", "https://[::1]/still.png", "https://localhost/still.png",
            "https://[fd00::1]/still.png", "https://[64:ff9b::7f00:1]/still.png", "https://[2002:7f00:1::]/still.png",
            "https://[2001:0:a9fe:a9fe::1]/still.png", "https://[::127.0.0.1]/still.png"})
    void internalAddressesAreRefusedBeforeAnyConnection(String url) throws Exception {
        ApiException refused = refusal(inputs(guard(false)), url);
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("VALIDATION_ERROR");
        assertThat(refused.getMessage()).contains("image must not point at a loopback, private, link-local or metadata");
        assertThat(filesLeft()).isZero();
    }

    @Test
    void anIpv4HostWithALeadingZeroIsRefusedBeforeAnyConnection() throws Exception {
        ApiException refused = refusal(inputs(guard(false)), "https://0177.0.0.1/still.png");
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(refused.getMessage()).contains("image must write an IPv4 address as four decimal numbers");
        assertThat(filesLeft()).isZero();
    }

    @Test
    void onlyHttpsWithoutCredentials() {
        RemoteInputs strict = inputs(guard(false));
        assertThat(refusal(strict, "http://93.184.216.34/still.png").getMessage()).contains("https://");
        assertThat(refusal(strict, "ftp://93.184.216.34/still.png").getMessage()).contains("https://");
        assertThat(refusal(strict, "https://user:secret@93.184.216.34/still.png").getMessage())
                .contains("credentials");
    }

    @Test
    void addressesAreCheckedAgainWhenConnectingSoAChangedDnsAnswerCannotLeadInside() throws Exception {
        // a guard whose URL check passed (as if the name had resolved to a public address then), but whose
        // address check is the real one: the connection must still not be made
        WebhookUrlGuard passedEarlier = new WebhookUrlGuard(properties(false)) {
            @Override
            public URI check(String url, String field) {
                return URI.create(url);
            }
        };
        ApiException refused = refusal(inputs(passedEarlier), server.url("/inside.bin"));
        assertThat(refused.code()).isEqualTo(RemoteInputs.DOWNLOAD_FAILED);
        assertThat(refused.getMessage()).contains("resolved to an address that is refused");
        assertThat(server.hits("/inside.bin")).as("never connected").isZero();
    }

    @Test
    void fetchesTheBytesAndFollowsACheckedRedirect() throws Exception {
        RemoteInputs lenient = inputs(guard(true));
        assertThat(Files.readAllBytes(lenient.fetch(server.url("/small.bin"), "image", dir))).isEqualTo(SMALL);
        assertThat(Files.readAllBytes(lenient.fetch(server.url("/moved"), "image", dir))).isEqualTo(SMALL);
    }

    @Test
    void redirectsAreBoundedAndEachTargetChecked() throws Exception {
        RemoteInputs lenient = inputs(guard(true));
        ApiException tooMany = refusal(lenient, server.url("/hop1"));
        assertThat(tooMany.code()).isEqualTo(RemoteInputs.DOWNLOAD_FAILED);
        assertThat(tooMany.getMessage()).contains("more than 3 redirects");
        assertThat(server.hits("/hop4")).isEqualTo(1);

        ApiException elsewhere = refusal(lenient, server.url("/to-a-file"));
        assertThat(elsewhere.code()).isEqualTo(RemoteInputs.DOWNLOAD_FAILED);
        assertThat(elsewhere.getMessage()).contains("redirected to a URL that is refused");
        assertThat(filesLeft()).isZero();
    }

    @Test
    void sizesAreBoundedWhetherAnnouncedOrStreamed() throws Exception {
        RemoteInputs lenient = inputs(guard(true));
        for (String path : Arrays.asList("/announced-too-large.bin", "/streamed-too-large.bin")) {
            ApiException refused = refusal(lenient, server.url(path));
            assertThat(refused.getStatus()).isEqualTo(413);
            assertThat(refused.code()).isEqualTo(RemoteInputs.TOO_LARGE);
            assertThat(refused.getMessage()).contains(LIMIT + "-byte limit");
        }
        assertThat(filesLeft()).as("the partial download is removed").isZero();
    }

    @Test
    void aServerThatDoesNotAnswerTimesOut() throws Exception {
        ApiException refused = refusal(inputs(guard(true)), server.url("/slow"));
        assertThat(refused.code()).isEqualTo(RemoteInputs.DOWNLOAD_FAILED);
        assertThat(refused.getMessage()).contains("timed out");
        assertThat(refusal(inputs(guard(true)), server.url("/nothing-here")).getMessage()).contains("answered 404");
    }
}
