package dev.reelroute.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.job.JobStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ExternalArtemis;
import dev.reelroute.support.FfmpegProcesses;
import dev.reelroute.support.StandaloneService;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The broker dies while the service works: the artemis profile against a standalone Artemis of the test's own,
 * killed (SIGKILL, no clean shutdown) while an image + audio job renders, a prompt video job waits behind it in the
 * queue and a webhook's retry is scheduled on the broker; started again on the same data dir and port once the
 * render has ended. Submissions during the outage get a 503 with a message and leave no job behind, readiness
 * shows {@code broker} down and then up, every job accepted before the outage ends COMPLETED and was rendered once,
 * and every webhook event reaches its receiver once with a success, the retried one under its first attempt's id.
 */
class BrokerOutageTest {
    private static final Logger log = LoggerFactory.getLogger(BrokerOutageTest.class);
    private static final String ADMIN_TOKEN = "broker-outage-test-admin-token-0123456789abcdef";
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    private static final List<String> QUEUES_WITH_WORK = List.of("reelroute.jobs", "reelroute.clips",
            "reelroute.webhooks");

    @RegisterExtension
    static final ExternalArtemis artemis = new ExternalArtemis();

    @TempDir
    Path dir;
    private ConfigurableApplicationContext service;
    private WebhookReceiver receiver;
    private WebhookReceiver flakyReceiver;

    @AfterEach
    void stopAll() throws Exception {
        StandaloneService.stopAll(service, dir, receiver, flakyReceiver);
    }

    @Test
    void jobsAcceptedBeforeABrokerCrashEndOnceAndTheirWebhooksArriveOnce() throws Exception {
        receiver = new WebhookReceiver();
        flakyReceiver = new WebhookReceiver();
        flakyReceiver.answerWith(500);
        service = start();
        ApiClient api = StandaloneService.api(service);
        JdbcTemplate jdbc = service.getBean(JdbcTemplate.class);
        Path media = Files.createDirectories(dir.resolve("media"));
        String apiKey = StandaloneService.fundedAccount(api, ADMIN_TOKEN, "broker outage", 500).apiKey();
        assertThat(StandaloneService.readiness(service, "broker")).isEqualTo("UP");

        // a short job whose receiver fails its first attempt: the retry waits on the broker when it dies
        Path image = TestMedia.png(media, 1280, 720);
        String retryingJob = StandaloneService.imageAudioJob(api, apiKey, image, TestMedia.wav(media, 1),
                flakyReceiver.url("/hooks"));
        WebhookReceiver.Received firstAttempt = flakyReceiver.next(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(firstAttempt).as("the first webhook attempt of " + retryingJob).isNotNull();
        flakyReceiver.answerWith(200);
        // one long render holds the single job consumer; the prompt job (charged 50 tokens) waits behind it
        String renderingJob = StandaloneService.imageAudioJob(api, apiKey, image, TestMedia.wav(media, 30),
                receiver.url("/hooks"));
        String queuedJob = StandaloneService.promptJob(api, apiKey, "slow pan right over a harbour");
        String waitingJob = StandaloneService.imageAudioJob(api, apiKey, image, TestMedia.wav(media, 3),
                receiver.url("/hooks"));
        List<String> accepted = List.of(retryingJob, renderingJob, queuedJob, waitingJob);
        List<String> withWebhooks = List.of(renderingJob, waitingJob);
        await().atMost(JOB_TIMEOUT).until(() -> !FfmpegProcesses.under(dir).isEmpty());
        assertThat(status(jdbc, renderingJob)).isEqualTo("PROCESSING");
        assertThat(flakyReceiver.next(0, TimeUnit.SECONDS)).as("the webhook retry is still due when the broker dies")
                .isNull();

        artemis.kill();
        log.info("Broker killed while job {} renders and job {} waits", renderingJob, queuedJob);
        await().atMost(Duration.ofMinutes(2))
                .until(() -> "DOWN".equals(StandaloneService.readiness(service, "broker")));

        // submissions on each surface: a 503 with a message, and no job made
        List<ApiClient.Response> refused = StandaloneService.submitOnEachSurface(api, apiKey, image,
                TestMedia.wav(media, 2));
        for (ApiClient.Response answer : refused) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.body()).containsIgnoringCase("queue").doesNotContain("Exception");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM jobs", Integer.class)).isEqualTo(accepted.size());

        // the render goes on without the broker and ends before it is back
        await().atMost(JOB_TIMEOUT).until(() -> FfmpegProcesses.under(dir).isEmpty()
                && !"PROCESSING".equals(status(jdbc, renderingJob)));
        artemis.start();
        log.info("Broker started again; job {} is {}", renderingJob, status(jdbc, renderingJob));
        await().atMost(Duration.ofMinutes(2))
                .until(() -> "UP".equals(StandaloneService.readiness(service, "broker")));

        // every job accepted before the outage completes, each rendered once
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> accepted.stream()
                .allMatch(id -> List.of("COMPLETED", "FAILED").contains(status(jdbc, id))));
        JobStore jobs = service.getBean(JobStore.class);
        for (String id : accepted) {
            Map<String, Object> row = jdbc.queryForMap("SELECT status, error_message FROM jobs WHERE id = ?", id);
            assertThat(row.get("status")).as(id + " " + row).isEqualTo("COMPLETED");
            long renders = jobs.logs(id).stream().filter(line -> line.message().equals("Rendering video")).count();
            assertThat(renders).as("renders of " + id + ": " + jobs.logs(id)).isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM token_ledger WHERE job_id = ? AND kind = 'refund'",
                Integer.class, queuedJob)).isZero();

        // each job's terminal event arrives once with a success; the retried one keeps its first attempt's id
        Map<String, List<String>> terminalEvents = new HashMap<>();
        await().atMost(JOB_TIMEOUT).until(() -> {
            collectTerminalEvents(receiver, terminalEvents);
            return terminalEvents.keySet().containsAll(withWebhooks);
        });
        WebhookReceiver.Received retried = flakyReceiver.next(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(retried).as("the retried webhook of " + retryingJob).isNotNull();
        assertThat(retried.header("webhook-id")).isEqualTo(firstAttempt.header("webhook-id"));
        JsonNode deliveries = api.get("/api/jobs/" + retryingJob + "/webhook-deliveries", apiKey).json()
                .get("deliveries");
        assertThat(deliveries.findValuesAsText("statusCode")).as(deliveries.toString())
                .containsExactlyInAnyOrder("500", "200");
        // nothing more comes: once the broker holds no job, clip or webhook message (none waiting, scheduled for a
        // retry or in delivery), nothing is left that could render a job again or send an event twice
        await().atMost(JOB_TIMEOUT).during(Duration.ofSeconds(2))
                .until(() -> artemis.messageCount(QUEUES_WITH_WORK) == 0);
        collectTerminalEvents(receiver, terminalEvents);
        for (String id : withWebhooks) {
            assertThat(terminalEvents.get(id)).as("terminal events of " + id).hasSize(1);
        }
        assertThat(flakyReceiver.next(0, TimeUnit.SECONDS)).isNull();
    }

    /** Terminal events by job id, as the receiver got them (each a distinct webhook-id). */
    private static void collectTerminalEvents(WebhookReceiver receiver, Map<String, List<String>> events)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        WebhookReceiver.Received hook;
        while ((hook = receiver.next(0, TimeUnit.SECONDS)) != null) {
            JsonNode body = json.readTree(hook.body());
            String status = body.path("status").asText();
            if (List.of("COMPLETED", "FAILED").contains(status)) {
                String jobId = body.path("jobId").asText(body.path("id").asText());
                events.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(hook.header("webhook-id"));
            }
        }
    }

    private static String status(JdbcTemplate jdbc, String jobId) {
        return jdbc.queryForObject("SELECT status FROM jobs WHERE id = ?", String.class, jobId);
    }

    private ConfigurableApplicationContext start() throws Exception {
        Map<String, String> settings = StandaloneService.settings(Files.createDirectories(dir.resolve("data")),
                "broker-outage", ADMIN_TOKEN);
        // the second attempt 15 s after the first, so it waits on the broker when the broker dies (three submissions
        // and an FFmpeg start after the first attempt)
        settings.put("reelroute.webhooks.schedule", "0s,15s,10s,10s,10s,10s,10s,10s");
        settings.put("reelroute.webhooks.jitter", "0");
        settings.put("reelroute.jobs.consumers", "1");
        // what is asserted is how often each job was rendered, not the video: 10 frames a second, not 25
        settings.put("reelroute.render.fps", "10");
        settings.put("reelroute.recovery.lease", "10s");
        settings.put("reelroute.recovery.heartbeat-interval", "2s");
        settings.put("reelroute.recovery.sweep-interval", "2s");
        settings.put("reelroute.recovery.watch-interval", "2s");
        settings.put("REELROUTE_ARTEMIS_URL", artemis.serviceUrl());
        settings.put("REELROUTE_ARTEMIS_USER", ExternalArtemis.APP_USER);
        settings.put("REELROUTE_ARTEMIS_PASSWORD", ExternalArtemis.APP_PASSWORD);
        return StandaloneService.run("artemis", settings);
    }
}
