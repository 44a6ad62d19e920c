package dev.reelroute.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.ServiceProcess;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.WebhookReceiver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations side of the real service: the Prometheus scrape after real jobs, the liveness and readiness
 * groups (and readiness going DOWN with the storage), Hawtio and Jolokia behind their login on the management
 * port, and structured JSON logs that carry the job id on every line of a job's work and no secret anywhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsEndToEndTest {
    static final String LOG_FILE = "target/operations-test/reelroute.json.log";
    static final String ADMIN_TOKEN = "admin-tok-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    static final String HAWTIO_PASSWORD = "hawtio-pw-5Kq8Zr2Lm7";
    static final String PROVIDER_TOKEN = "r8_OpsTestProviderToken4a7c1e9b";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static WebhookReceiver receiver;
    private static HttpServer fakeReplicate;
    private static final List<String> providerAuthorizations = new CopyOnWriteArrayList<>();

    /** What the first test learns and the later ones check against. */
    private static String apiKey;
    private static String webhookSecret;
    private static String imageJobId;
    private static String promptJobId;

    @TempDir
    static Path media;
    @TempDir
    static Path dataDir;

    /**
     * The service as a process of its own: Spring Boot configures logging once per JVM, and this class reads the JSON
     * log file its own service's logging writes.
     */
    private static ServiceProcess service;
    private static ApiClient api;
    private static int managementPort;

    @BeforeAll
    static void start() throws Exception {
        // the log of this class's service only
        Files.deleteIfExists(Path.of(LOG_FILE));
        receiver = new WebhookReceiver();
        // a Replicate stand-in that is down (503, and the service makes no retries here: the job fails at once and,
        // the provider being at fault, its tokens come back) and remembers the Authorization header it was sent
        fakeReplicate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fakeReplicate.createContext("/", exchange -> {
            providerAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"detail\":\"Service temporarily unavailable\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fakeReplicate.start();

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("logging.file.name", LOG_FILE);
        settings.put("logging.structured.format.file", "ecs");
        settings.put("reelroute.data-dir", dataDir.toString());
        settings.put("reelroute.admin-token", ADMIN_TOKEN);
        settings.put("reelroute.hawtio.user", "ops");
        settings.put("reelroute.hawtio.password", HAWTIO_PASSWORD);
        settings.put("reelroute.webhooks.allow-insecure-urls", "true");
        settings.put("reelroute.health.storage-cache", "0s");
        settings.put("reelroute.metrics.job-counts-refresh", "1s");
        settings.put("reelroute.providers.replicate.base-url",
                "http://127.0.0.1:" + fakeReplicate.getAddress().getPort());
        settings.put("reelroute.providers.replicate.token", PROVIDER_TOKEN);
        settings.put("reelroute.providers.replicate.max-retries", "0");
        service = ServiceProcess.start("", settings, Path.of("target", "operations-test", "service.log"));
        api = service.api();
        managementPort = service.managementPort();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            receiver.close();
            fakeReplicate.stop(0);
        }
    }

    @Test
    @Order(1)
    void aRealJobShowsInTheMetricsAndTheLogs() throws Exception {
        // the admin API, once: an account with a key and a webhook secret, and tokens for a prompt job
        ApiClient.Response created = api.postJson("/admin/accounts", ADMIN_TOKEN,
                "{\"name\":\"ops\",\"maxActiveJobsPerKey\":1}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        apiKey = created.json().get("apiKey").asText();
        webhookSecret = created.json().get("webhookSecret").asText();
        String accountId = created.json().get("accountId").asText();
        assertThat(api.postJson("/admin/accounts/" + accountId + "/tokens", ADMIN_TOKEN,
                "{\"amount\":500,\"reason\":\"ops test\"}").status()).isEqualTo(200);

        // one image + audio job, to COMPLETED, with its webhook
        Path image = TestMedia.png(media, 1280, 720);
        Path audio = TestMedia.wav(media, 4.0);
        ApiClient.Response submitted = api.submit(apiKey, image, "image/png", audio, "audio/wav",
                receiver.url("/hooks/ops"));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
        imageJobId = submitted.json().get("jobId").asText();
        JsonNode status = awaitEnd("/api/status/" + imageJobId, "status", "COMPLETED", "FAILED");
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("COMPLETED");
        assertThat(receiver.next(30, TimeUnit.SECONDS)).as("webhook delivered").isNotNull();

        // one prompt job on the Replicate adapter: charged, failed by the provider's outage, refunded
        ApiClient.Response prompt = api.postMultipart("/api/v1/video-jobs", apiKey, List.of(
                Part.field("prompt", "a lighthouse at dusk"), Part.field("model", "veo-3.1-fast-generate-preview"),
                Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"),
                Part.field("durationSeconds", "8"), Part.field("mockMode", "false")));
        assertThat(prompt.status()).as(prompt.body()).isEqualTo(202);
        promptJobId = prompt.json().get("id").asText();
        JsonNode promptJob = awaitEnd("/api/v1/video-jobs/" + promptJobId, "status", "COMPLETED", "FAILED");
        assertThat(promptJob.get("status").asText()).isEqualTo("FAILED");
        assertThat(providerAuthorizations).as("the service called the provider with its token")
                .contains("Bearer " + PROVIDER_TOKEN);

        // the scrape: every family, with values that fit what just happened
        // the job counts are refreshed on their own schedule: the first scrape that counts both jobs
        AtomicReference<Map<String, Double>> scraped = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            scraped.set(scrape());
            assertThat(sample(scraped.get(), "reelroute_jobs", "kind=\"image-audio\"", "status=\"COMPLETED\""))
                    .isEqualTo(1.0);
            assertThat(sample(scraped.get(), "reelroute_jobs", "kind=\"video-job\"", "status=\"FAILED\""))
                    .isEqualTo(1.0);
            assertThat(sample(scraped.get(), "reelroute_jobs", "kind=\"image-audio\"", "status=\"PENDING\""))
                    .isEqualTo(0.0);
        });
        Map<String, Double> scrape = scraped.get();
        for (String stage : List.of("preparing", "generating", "rendering", "uploading")) {
            assertThat(sample(scrape, "reelroute_job_stage_seconds_count", "kind=\"image-audio\"",
                    "stage=\"" + stage + "\"")).as(stage).isGreaterThanOrEqualTo(1.0);
        }
        assertThat(sample(scrape, "reelroute_job_stage_seconds_sum", "kind=\"image-audio\"", "stage=\"rendering\""))
                .isGreaterThan(0.0);
        assertThat(sample(scrape, "reelroute_ffmpeg_render_seconds_count", "kind=\"image-audio\"")).isEqualTo(1.0);
        assertThat(sample(scrape, "reelroute_ffmpeg_render_seconds_sum", "kind=\"image-audio\"")).isGreaterThan(0.0);
        assertThat(sample(scrape, "reelroute_ffmpeg_realtime_factor_count", "kind=\"image-audio\"")).isEqualTo(1.0);
        assertThat(sample(scrape, "reelroute_ffmpeg_realtime_factor_sum", "kind=\"image-audio\"")).isGreaterThan(0.0);
        assertThat(sample(scrape, "reelroute_webhook_attempts_total", "outcome=\"delivered\"")).isEqualTo(1.0);
        assertThat(sample(scrape, "reelroute_tokens_total", "kind=\"top_up\"")).isEqualTo(500.0);
        assertThat(sample(scrape, "reelroute_tokens_total", "kind=\"charge\"")).isEqualTo(50.0);
        assertThat(sample(scrape, "reelroute_tokens_total", "kind=\"refund\"")).isEqualTo(50.0);
        assertThat(sample(scrape, "reelroute_provider_call_seconds_count", "provider=\"replicate\"",
                "method=\"POST\"", "outcome=\"5xx\"")).isGreaterThanOrEqualTo(1.0);
        assertThat(sample(scrape, "reelroute_provider_circuitbreaker_state", "name=\"replicate\"",
                "state=\"closed\"")).isEqualTo(1.0);
        assertThat(sample(scrape, "reelroute_queue_depth", "queue=\"reelroute.jobs\"")).isEqualTo(0.0);
        assertThat(sample(scrape, "reelroute_queue_depth", "queue=\"reelroute.webhooks.dlq\"")).isEqualTo(0.0);
        // Camel's own route metrics, keyed on the routes' ids
        assertThat(sample(scrape, "camel_exchanges_total", "eventType=\"route\"",
                "routeId=\"job-orchestrate\"")).isGreaterThanOrEqualTo(1.0);

        // health: readiness lists the four dependencies, liveness none of them; the API's /health still answers
        Mgmt readiness = management("/actuator/health/readiness", null);
        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        JsonNode components = JSON.readTree(readiness.body()).get("components");
        for (String component : List.of("db", "broker", "storage", "ffmpeg")) {
            assertThat(components.get(component).get("status").asText()).as(component).isEqualTo("UP");
        }
        Mgmt liveness = management("/actuator/health/liveness", null);
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.body()).doesNotContain("\"db\"", "\"broker\"", "\"storage\"", "\"ffmpeg\"");
        ApiClient.Response publicHealth = api.get("/health", null);
        assertThat(publicHealth.status()).isEqualTo(200);
        assertThat(publicHealth.json().get("status").asText()).isEqualTo("ok");
        // actuator lives on the management port only
        assertThat(api.get("/actuator/prometheus", null).status()).isNotEqualTo(200);
    }

    @Test
    @Order(2)
    void everyLineOfTheJobsWorkCarriesItsIdAndNoSecretIsLogged() throws Exception {
        assertThat(imageJobId).as("runs after the job test").isNotNull();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(LOG_FILE), StandardCharsets.UTF_8)) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).isNotEmpty();

        // the job consumers' threads (job-orchestrate) do nothing but jobs: every line there names its job
        List<JsonNode> worker = lines.stream()
                .filter(l -> l.path("process").path("thread").path("name").asText()
                        .contains("JmsConsumer[reelroute.jobs]"))
                .toList();
        assertThat(worker).as("the worker logged the jobs' work").isNotEmpty();
        for (JsonNode line : worker) {
            assertThat(line.path("jobId").asText()).as(line.toString()).isIn(imageJobId, promptJobId);
        }
        // the image job's own story, render line included, under its id
        List<String> imageJobMessages = worker.stream().filter(l -> l.path("jobId").asText().equals(imageJobId))
                .map(l -> l.path("message").asText()).toList();
        assertThat(imageJobMessages).anyMatch(m -> m.contains("Rendered"));
        // lines of other threads that are about the job (the webhook, the progress events) carry it too
        assertThat(lines).filteredOn(l -> l.path("message").asText().contains("Webhook")
                        && l.path("message").asText().contains(imageJobId))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l.path("jobId").asText()).isEqualTo(imageJobId));

        // and no secret anywhere in the log, in any encoding a careless line could use
        String log = Files.readString(Path.of(LOG_FILE), StandardCharsets.UTF_8);
        for (String secret : List.of(apiKey, webhookSecret, ADMIN_TOKEN, PROVIDER_TOKEN, HAWTIO_PASSWORD)) {
            assertThat(log).as("a secret in the log").doesNotContain(secret)
                    .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    @Order(3)
    void hawtioAndJolokiaNeedTheLogin() throws Exception {
        Mgmt anonymous = management("/actuator/hawtio/", null);
        assertThat(anonymous.status()).as("Hawtio without credentials").isIn(401, 403, 302);
        if (anonymous.status() == 302) {
            assertThat(anonymous.location()).contains("login");
        }
        Mgmt anonymousJolokia = management("/actuator/jolokia/version", null);
        assertThat(anonymousJolokia.status()).isIn(401, 403);
        Mgmt wrong = management("/actuator/jolokia/version", basic("ops", "not-the-password"));
        assertThat(wrong.status()).isIn(401, 403);
        Mgmt wrongUser = management("/actuator/jolokia/version", basic("admin", HAWTIO_PASSWORD));
        assertThat(wrongUser.status()).isIn(401, 403);

        // with the login: the Camel context MBean, its routes by id, and the embedded broker's queues
        String credentials = basic("ops", HAWTIO_PASSWORD);
        Mgmt context = management("/actuator/jolokia/read/org.apache.camel:context=reelroute,type=context,"
                + "name=%22reelroute%22", credentials);
        assertThat(context.status()).as(context.body()).isEqualTo(200);
        JsonNode contextValue = JSON.readTree(context.body()).get("value");
        assertThat(contextValue.get("CamelId").asText()).isEqualTo("reelroute");
        assertThat(contextValue.get("State").asText()).isEqualTo("Started");
        Mgmt routes = management("/actuator/jolokia/search/org.apache.camel:context=reelroute,type=routes,*",
                credentials);
        assertThat(routes.body()).contains("name=\\\"job-orchestrate\\\"", "name=\\\"video-compile\\\"",
                "name=\\\"webhook-deliver\\\"");
        Mgmt queues = management("/actuator/jolokia/search/org.apache.activemq.artemis:*,subcomponent=queues",
                credentials);
        assertThat(queues.body()).contains("queue=\\\"reelroute.jobs\\\"");
        Mgmt ui = management("/actuator/hawtio/", credentials);
        assertThat(ui.status()).isIn(200, 302);
    }

    @Test
    @Order(4)
    void readinessGoesDownWithTheStorage() throws Exception {
        Path storage = dataDir.resolve("storage").toRealPath();
        Path aside = storage.resolveSibling("storage-aside");
        Files.move(storage, aside);
        Files.writeString(storage, "not a directory");
        try {
            Mgmt readiness = management("/actuator/health/readiness", null);
            assertThat(readiness.status()).as(readiness.body()).isEqualTo(503);
            JsonNode components = JSON.readTree(readiness.body()).get("components");
            assertThat(components.get("storage").get("status").asText()).isEqualTo("DOWN");
            assertThat(components.get("db").get("status").asText()).isEqualTo("UP");
            // liveness is about the process: a storage outage must not get it restarted
            assertThat(management("/actuator/health/liveness", null).status()).isEqualTo(200);
        } finally {
            Files.delete(storage);
            Files.move(aside, storage);
        }
        assertThat(management("/actuator/health/readiness", null).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private JsonNode awaitEnd(String path, String field, String... ends) {
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get(path, apiKey).json(), body -> List.of(ends).contains(body.path(field).asText()));
    }

    private record Mgmt(int status, String body, String location) {
    }

    private Mgmt management(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Mgmt(response.statusCode(), response.body(),
                response.headers().firstValue("Location").orElse(""));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

    /** The scrape as "name{labels}" to value. */
    private Map<String, Double> scrape() throws Exception {
        Mgmt scrape = management("/actuator/prometheus", null);
        assertThat(scrape.status()).isEqualTo(200);
        // kept beside the log, to read what a scrape looks like
        Files.writeString(Path.of(LOG_FILE).resolveSibling("scrape.txt"), scrape.body());
        Map<String, Double> samples = new java.util.LinkedHashMap<>();
        for (String line : scrape.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    /** The one sample of {@code name} whose labels include every one given. */
    private static double sample(Map<String, Double> scrape, String name, String... labels) {
        List<Map.Entry<String, Double>> matches = scrape.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name + "{") || e.getKey().equals(name))
                .filter(e -> List.of(labels).stream().allMatch(e.getKey()::contains))
                .toList();
        assertThat(matches).as(name + " " + List.of(labels)).hasSize(1);
        return matches.get(0).getValue();
    }
}
