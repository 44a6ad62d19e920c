package dev.reelroute.provider;

import static dev.reelroute.provider.ProviderTestSupport.TOKEN;
import static dev.reelroute.provider.ScriptedServer.bytes;
import static dev.reelroute.provider.ScriptedServer.chunked;
import static dev.reelroute.provider.ScriptedServer.json;
import static dev.reelroute.provider.ScriptedServer.truncated;
import static dev.reelroute.provider.ScriptedServer.video;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.Exchange;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@Timeout(30)
class ProviderHttpTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    ScriptedServer server;
    List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        ProviderTestSupport.closeRoutes();
        server.close();
    }

    static ProviderSettings settings(URI base, Duration readTimeout, int maxRetries, Duration initial, Duration max) {
        return new ProviderSettings(base, TOKEN, Duration.ofMillis(500), readTimeout, maxRetries, initial, max);
    }

    ProviderHttp http(Duration readTimeout, int maxRetries, Duration initial, Duration max) {
        return ProviderTestSupport.http("replicate",
                settings(server.base(), readTimeout, maxRetries, initial, max), CLOCK, sleeps::add);
    }

    ProviderHttp http() {
        return http(Duration.ofSeconds(2), 3, Duration.ofMillis(5), Duration.ofSeconds(3));
    }

    // downloads are shared by every adapter (RemoteVideoProvider.download delegates here), so tested once

    @Test
    void aDownloadCutShortFailsRetryableAndLeavesNoFile(@TempDir Path dir) throws Exception {
        server.on("GET", "/files/v.mp4", truncated(video(200_000)));
        ProviderException e = catchThrowableOfType(
                () -> http().download(URI.create(server.base() + "/files/v.mp4"), dir.resolve("clip.mp4"), 1_000_000),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.DOWNLOAD);
        assertThat(e.retryable()).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aDownloadLargerThanMaxBytesIsRefused(@TempDir Path dir) throws Exception {
        server.on("GET", "/announced.mp4", bytes(video(50_000)));
        server.on("GET", "/chunked.mp4", chunked(video(50_000)));
        for (String path : List.of("/announced.mp4", "/chunked.mp4")) {
            ProviderException e = catchThrowableOfType(
                    () -> http().download(URI.create(server.base() + path), dir.resolve("clip.mp4"), 20_000),
                    ProviderException.class);
            assertThat(e.retryable()).as(path).isFalse();
            assertThat(e.getMessage()).as(path).contains("larger than 20000 bytes");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        ProviderHttp http = http();
        assertThat(http.retryAfter("7")).contains(Duration.ofSeconds(7));
        assertThat(http.retryAfter("Mon, 23 Nov 2026 10:00:12 GMT")).contains(Duration.ofSeconds(12));
        assertThat(http.retryAfter("Mon, 23 Nov 2026 09:00:00 GMT")).contains(Duration.ZERO);
        assertThat(http.retryAfter("soon")).isEmpty();
        assertThat(http.retryAfter(null)).isEmpty();
    }

    @Test
    void backoffIsExponentialWithJitterAndCapped() {
        RedeliveryPolicy policy = ProviderHttp.redeliveryPolicy(
                settings(server.base(), Duration.ofSeconds(1), 3, Duration.ofMillis(100), Duration.ofSeconds(1)));
        Set<Long> firstWaits = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            long first = policy.calculateRedeliveryDelay(0, 1);
            firstWaits.add(first);
            assertThat(first).isBetween(50L, 150L);
            assertThat(policy.calculateRedeliveryDelay(100, 2)).isBetween(100L, 300L);
            assertThat(policy.calculateRedeliveryDelay(800, 5)).isBetween(800L, 1000L);
        }
        assertThat(firstWaits).as("jitter").hasSizeGreaterThan(1);
    }

    @Test
    void retryAfterDateIsHonouredUpToMaxBackoff() {
        server.on("GET", "/x", json(429, "{}", "Retry-After", "Mon, 23 Nov 2026 10:00:01 GMT"),
                json(503, "{}", "Retry-After", "3600"), json(200, "{\"ok\":true}"));
        ProviderHttp http = http(Duration.ofSeconds(2), 3, Duration.ofMillis(5), Duration.ofMillis(1500));
        assertThat(http.sendJson("poll", "GET", server.base().resolve("/x"), null).get("ok").asBoolean()).isTrue();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofMillis(1500));
        assertThat(server.seen("GET", "/x")).hasSize(3);
    }

    @Test
    void aRedirectIsNotFollowed() {
        server.on("GET", "/moved", json(302, "{\"detail\":\"moved\"}", "Location", server.base() + "/x"));
        server.on("GET", "/x", json(200, "{}"));
        ProviderException e = catchThrowableOfType(
                () -> http().sendJson("poll", "GET", server.base().resolve("/moved"), null), ProviderException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(302);
        assertThat(server.seen("GET", "/x")).isEmpty();
    }

    @Test
    void timeoutStatusIsRetriedOtherClientErrorsAreNot() {
        server.on("GET", "/a", json(408, "{}"), json(200, "{}"));
        server.on("GET", "/b", json(404, "{\"detail\":\"Not found.\"}"));
        http().sendJson("poll", "GET", server.base().resolve("/a"), null);
        ProviderException e = catchThrowableOfType(() -> http().sendJson("poll", "GET", server.base().resolve("/b"), null),
                ProviderException.class);
        assertThat(server.seen("GET", "/a")).hasSize(2);
        assertThat(server.seen("GET", "/b")).hasSize(1);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.INPUT);
        assertThat(e.getMessage()).contains("Not found.");
    }

    @Test
    void aStalledBodyTimesOutAsUnavailable() {
        // the body stalls until the call has given up: only the read timeout can end the call
        CountDownLatch callEnded = new CountDownLatch(1);
        server.on("GET", "/slow", (ex, s) -> {
            ex.sendResponseHeaders(200, 100);
            OutputStream out = ex.getResponseBody();
            out.write("{\"a\":".getBytes());
            out.flush();
            try {
                callEnded.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ProviderHttp http = http(Duration.ofMillis(300), 0, Duration.ofMillis(1), Duration.ofMillis(1));
        ProviderException e;
        try {
            e = catchThrowableOfType(() -> http.sendJson("poll", "GET", server.base().resolve("/slow"), null),
                    ProviderException.class);
        } finally {
            callEnded.countDown();
        }
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("timeout").contains("no data for 300 ms");
        assertThat(server.seen("GET", "/slow")).hasSize(1);
    }

    @Test
    void anOversizedJsonBodyIsMalformedAndNotRetried() {
        String big = "{\"x\":\"" + "a".repeat(ProviderHttp.MAX_JSON_BYTES) + "\"}";
        server.on("GET", "/big", json(200, big));
        ProviderException e = catchThrowableOfType(() -> http().sendJson("poll", "GET", server.base().resolve("/big"), null),
                ProviderException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("malformed").contains("exceeds");
        assertThat(server.seen("GET", "/big")).hasSize(1);
    }

    @Test
    void theTokenGoesOnlyToTheBaseOriginAndIntoNoLogLine() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.reelroute.provider");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (ScriptedServer other = new ScriptedServer()) {
            other.on("GET", "/y", json(200, "{}"));
            server.on("GET", "/x", json(500, "{\"detail\":\"token " + TOKEN + " rejected\"}"));
            ProviderHttp http = http();
            catchThrowableOfType(() -> http.sendJson("poll", "GET", server.base().resolve("/x"), null),
                    ProviderException.class);
            http.sendJson("poll", "GET", URI.create(other.base() + "/y"), null);
            assertThat(server.seen()).extracting(ScriptedServer.Seen::authorization).containsOnly("Bearer " + TOKEN);
            assertThat(other.seen()).extracting(ScriptedServer.Seen::authorization).containsOnlyNulls();
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list).allSatisfy(ev -> assertThat(ev.getFormattedMessage()).doesNotContain(TOKEN));
    }

    @Test
    void everyAttemptIsObservedWithItsOutcome() {
        server.on("GET", "/x", json(503, "{}"), json(200, "{}"));
        List<String> attempts = new CopyOnWriteArrayList<>();
        ProviderSettings s = settings(server.base(), Duration.ofSeconds(2), 3, Duration.ofMillis(5),
                Duration.ofSeconds(1));
        try (ProviderRoutes routes = new ProviderRoutes(s,
                (provider, method, outcome, nanos) -> attempts.add(provider + " " + method + " " + outcome))) {
            new ProviderHttp(ProviderName.REPLICATE, s, routes.template())
                    .sendJson("poll", "GET", server.base().resolve("/x"), null);
        }
        assertThat(attempts).containsExactly("replicate GET 5xx", "replicate GET 2xx");
    }

    @Test
    void onlyAcceptAndTheTokenGoOutOfWhatTheMessageCarries() throws Exception {
        List<Map<String, List<String>>> sent = new CopyOnWriteArrayList<>();
        ScriptedServer.Reply recording = (ex, s) -> {
            sent.add(Map.copyOf(ex.getRequestHeaders()));
            json(200, "{}").send(ex, s);
        };
        server.on("GET", "/x", recording);
        ProviderSettings s = settings(server.base(), Duration.ofSeconds(2), 0, Duration.ofMillis(5),
                Duration.ofSeconds(1));
        try (ScriptedServer other = new ScriptedServer(); ProviderRoutes routes = new ProviderRoutes(s)) {
            other.on("GET", "/y", recording);
            for (String url : List.of(server.base() + "/x", other.base() + "/y")) {
                Exchange answer = routes.template().send("direct:replicate-poll", exchange -> {
                    exchange.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
                    exchange.getIn().setHeader(Exchange.HTTP_URI, url);
                    exchange.getIn().setHeader("Accept", "application/json");
                    exchange.getIn().setHeader("Authorization", "Bearer someone-elses");
                    exchange.getIn().setHeader("jobId", "j1");
                    exchange.getIn().setHeader("X-Internal", "not for the provider");
                });
                assertThat(answer.getException()).as(url).isNull();
            }
        }
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).containsEntry("Authorization", List.of("Bearer " + TOKEN))
                .containsEntry("Accept", List.of("application/json"))
                .doesNotContainKeys("Jobid", "X-internal");
        assertThat(sent.get(1)).as("another origin").doesNotContainKeys("Authorization", "Jobid", "X-internal");
    }
}
