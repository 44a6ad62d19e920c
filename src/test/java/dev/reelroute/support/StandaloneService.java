package dev.reelroute.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.ReelrouteApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import dev.reelroute.support.ApiClient.Part;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service started by a test that takes its dependencies away (database, broker, disk): a context of its own,
 * started and closed by the test, on ports the OS picks, with an admin token, the per-IP limits raised (every
 * request comes from 127.0.0.1) and plain-HTTP webhooks allowed for local receivers.
 */
public final class StandaloneService {
    private StandaloneService() {}

    /** An account made through the admin API, with its first key. */
    public record Account(String apiKey, String accountId) {}

    /** The settings every such test starts from; add its own and pass them to {@link #run}. */
    public static Map<String, String> settings(Path dataDir, String instanceId, String adminToken) {
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("management.server.port", "0");
        settings.put("reelroute.data-dir", dataDir.toString());
        settings.put("reelroute.instance-id", instanceId);
        settings.put("reelroute.admin-token", adminToken);
        settings.put("reelroute.rate-limit.submit-per-minute", "1000");
        settings.put("reelroute.webhooks.allow-insecure-urls", "true");
        return settings;
    }

    /** Starts the service with {@code settings} as command-line arguments under {@code profile}. */
    public static ConfigurableApplicationContext run(String profile, Map<String, String> settings) {
        String[] arguments = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(ReelrouteApplication.class).profiles(profile).run(arguments);
    }

    /**
     * After a test: closes the service (if it was started), kills any FFmpeg it left running under {@code dir}, then
     * closes the rest (receivers, a private database), skipping what was never made.
     */
    public static void stopAll(ConfigurableApplicationContext service, Path dir, AutoCloseable... others)
            throws Exception {
        if (service != null) {
            service.close();
        }
        if (dir != null) {
            FfmpegProcesses.under(dir).forEach(ProcessHandle::destroyForcibly);
        }
        for (AutoCloseable other : others) {
            if (other != null) {
                other.close();
            }
        }
    }

    public static ApiClient api(ConfigurableApplicationContext service) {
        return new ApiClient(Integer.parseInt(service.getEnvironment().getProperty("local.server.port")));
    }

    /** A component's status in the readiness answer, as a load balancer reads it: UP, DOWN, or "" when absent. */
    public static String readiness(ConfigurableApplicationContext service, String component) throws Exception {
        int managementPort = Integer.parseInt(service.getEnvironment().getProperty("local.management.port"));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(answer.body()).path("components").path(component).path("status").asText();
    }

    /** A new account that may have 10 active jobs per key, topped up with {@code tokens}. */
    public static Account fundedAccount(ApiClient api, String adminToken, String name, long tokens) throws Exception {
        ApiClient.Response account = api.postJson("/admin/accounts", adminToken,
                "{\"name\":\"" + name + "\",\"maxActiveJobsPerKey\":10}");
        assertThat(account.status()).as(account.body()).isEqualTo(201);
        String accountId = account.json().get("accountId").asText();
        ApiClient.Response topUp = api.postJson("/admin/accounts/" + accountId + "/tokens", adminToken,
                "{\"amount\":" + tokens + ",\"reason\":\"" + name + " test\"}");
        assertThat(topUp.status()).as(topUp.body()).isEqualTo(200);
        return new Account(account.json().get("apiKey").asText(), accountId);
    }

    /** An image + audio job on {@code POST /api/jobs}, which must be accepted; its id. */
    public static String imageAudioJob(ApiClient api, String apiKey, Path image, Path audio, String webhookUrl)
            throws Exception {
        ApiClient.Response created = api.submit(apiKey, image, "image/png", audio, "audio/wav", webhookUrl);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("jobId").asText();
    }

    /** A 4 s prompt video job of the local engine (charged 50 tokens) on {@code POST /api/v1/video-jobs}. */
    public static ApiClient.Response submitPromptJob(ApiClient api, String apiKey, String prompt) throws Exception {
        return api.postMultipart("/api/v1/video-jobs", apiKey, List.of(
                Part.field("prompt", prompt), Part.field("model", "kling-v2.1"), Part.field("resolution", "720p"),
                Part.field("aspectRatio", "16:9"), Part.field("durationSeconds", "4"),
                Part.field("mockMode", "true")));
    }

    /** {@link #submitPromptJob}, which must be accepted; its id. */
    public static String promptJob(ApiClient api, String apiKey, String prompt) throws Exception {
        ApiClient.Response created = submitPromptJob(api, apiKey, prompt);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        return created.json().get("id").asText();
    }

    /** One submission on each job surface (image + audio, prompt video, generate): the answers, in that order. */
    public static List<ApiClient.Response> submitOnEachSurface(ApiClient api, String apiKey, Path image, Path audio)
            throws Exception {
        return List.of(api.submit(apiKey, image, "image/png", audio, "audio/wav", null),
                submitPromptJob(api, apiKey, "a lighthouse at dusk"),
                api.postJsonWithKey("/api/generate", apiKey, "{\"prompt\":\"a quiet harbour at dawn\"}"));
    }
}
