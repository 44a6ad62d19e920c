package dev.reelroute.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.FfmpegProcesses;
import dev.reelroute.support.JmsSubmitter;
import dev.reelroute.support.PrivateMariaDb;
import dev.reelroute.support.StandaloneService;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.WebhookReceiver;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The database goes away while the service works: the mysql profile on a MariaDB server of the test's own, stopped
 * while an image + audio job renders and a prompt video job waits behind it in the queue, and while jobs are
 * submitted on the surfaces (REST, admin, JMS); started again after {@link #OUTAGE}. Submissions during the outage get a 503 with a
 * message and leave no row behind, readiness shows {@code db} down and then up, every job accepted before the
 * outage ends (here: COMPLETED), the charge is made once and not refunded, each job's terminal webhook is delivered
 * once the database is back, and a webhook retry due during the outage is made then without using up an attempt.
 */
class DatabaseOutageTest {
    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageTest.class);
    private static final String ADMIN_TOKEN = "database-outage-test-admin-token-0123456789abcdef";
    private static final String DATABASE = "reelroute";
    /** The issue asks for 30 s: long enough for every pool connection, lease renewal and sweep to hit the gap. */
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path dir;
    private PrivateMariaDb database;
    private ConfigurableApplicationContext service;
    private WebhookReceiver receiver;
    private WebhookReceiver flakyReceiver;

    @AfterEach
    void stopAll() throws Exception {
        StandaloneService.stopAll(service, dir, receiver, flakyReceiver, database);
    }

    @Test
    void jobsAcceptedBeforeAnOutageEndAndSubmissionsDuringItGet503() throws Exception {
        database = PrivateMariaDb.start();
        database.createDatabase(DATABASE);
        receiver = new WebhookReceiver();
        flakyReceiver = new WebhookReceiver();
        flakyReceiver.answerWith(500);
        Map<String, List<JsonNode>> webhooks = new ConcurrentHashMap<>();
        Thread collector = new Thread(() -> collect(webhooks), "webhook-collector");
        collector.setDaemon(true);
        collector.start();
        service = start();
        ApiClient api = StandaloneService.api(service);
        Path media = Files.createDirectories(dir.resolve("media"));
        String apiKey = StandaloneService.fundedAccount(api, ADMIN_TOKEN, "outage", 500).apiKey();
        assertThat(StandaloneService.readiness(service, "db")).isEqualTo("UP");

        // a short job whose receiver fails its first attempt: the second is due during the outage
        Path image = TestMedia.png(media, 1280, 720);
        String retryingJob = StandaloneService.imageAudioJob(api, apiKey, image, TestMedia.wav(media, 1),
                flakyReceiver.url("/hooks"));
        // one long render holds the single job consumer; the prompt job (charged 50 tokens) waits behind it
        String renderingJob = StandaloneService.imageAudioJob(api, apiKey, image, TestMedia.wav(media, 40),
                receiver.url("/hooks"));
        String queuedJob = StandaloneService.promptJob(api, apiKey, "slow pan right over a harbour");
        String waitingJob = StandaloneService.imageAudioJob(api, apiKey, image, TestMedia.wav(media, 3),
                receiver.url("/hooks"));
        List<String> accepted = List.of(retryingJob, renderingJob, queuedJob, waitingJob);
        List<String> withWebhooks = List.of(renderingJob, waitingJob);
        WebhookReceiver.Received firstAttempt = flakyReceiver.next(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(firstAttempt).as("the first webhook attempt of " + retryingJob).isNotNull();
        flakyReceiver.answerWith(200);
        await().atMost(JOB_TIMEOUT).until(() -> !FfmpegProcesses.under(dir).isEmpty());

        long outageStart = System.nanoTime();
        database.stopServer();
        log.info("Database stopped while job {} renders and job {} waits", renderingJob, queuedJob);

        await().atMost(Duration.ofMinutes(1)).until(() ->
                "DOWN".equals(StandaloneService.readiness(service, "db")));

        // submissions on each surface: a 503 with a message, nothing stored
        List<ApiClient.Response> refused = StandaloneService.submitOnEachSurface(api, apiKey, image,
                TestMedia.wav(media, 2));
        for (ApiClient.Response answer : refused) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.body()).containsIgnoringCase("database").doesNotContain("Exception");
        }
        // the admin surface, authenticated without the database, fails at its first write the same way
        ApiClient.Response admin = api.postJson("/admin/accounts", ADMIN_TOKEN, "{\"name\":\"during outage\"}");
        assertThat(admin.status()).as(admin.body()).isEqualTo(503);
        assertThat(admin.json().get("error").asText()).contains("The database is unavailable");
        // and a JMS submission is answered on its reply queue
        try (JmsSubmitter producer = new JmsSubmitter(service.getBean(ConnectionFactory.class))) {
            producer.send("{\"kind\":\"generate\",\"prompt\":\"a quiet harbour at dawn\"}", apiKey, "outage-1");
            TextMessage reply = producer.reply(TimeUnit.MINUTES.toMillis(1));
            assertThat(reply).as("a reply to the JMS submission").isNotNull();
            JsonNode error = JmsSubmitter.json(reply).get("error");
            assertThat(error.get("code").asText()).as(error.toString()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(error.get("message").asText()).contains("The database is unavailable");
        }

        // the outage lasts its full length: the render goes on (or ends) without the database meanwhile
        await().pollDelay(Duration.ofSeconds(1)).atMost(OUTAGE.plusMinutes(1))
                .until(() -> System.nanoTime() - outageStart >= OUTAGE.toNanos());
        database.startServer();
        log.info("Database started again after {} s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageStart));

        await().atMost(Duration.ofMinutes(1)).until(() ->
                "UP".equals(StandaloneService.readiness(service, "db")));

        // every job accepted before the outage ends, with a message when it failed
        Map<String, JsonNode> ends = new HashMap<>();
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (String id : accepted) {
                ends.put(id, row(id));
            }
            return ends.values().stream().allMatch(row ->
                    List.of("COMPLETED", "FAILED").contains(row.get("status").asText()));
        });
        log.info("Jobs after the outage: {}", ends);
        for (JsonNode row : ends.values()) {
            // the outage is not the job's failure: the interrupted render runs again once the database is back
            assertThat(row.get("status").asText()).as(row.toString()).isEqualTo("COMPLETED");
        }

        // no half-made job, nor a half-made account: only what was accepted before the outage has rows
        try (Connection connection = database.connect(DATABASE)) {
            ResultSet count = connection.createStatement().executeQuery("SELECT COUNT(*) FROM jobs");
            count.next();
            assertThat(count.getInt(1)).isEqualTo(accepted.size());
            ResultSet accounts = connection.createStatement().executeQuery("SELECT COUNT(*) FROM accounts");
            accounts.next();
            assertThat(accounts.getInt(1)).isEqualTo(1);
        }

        // tokens: the prompt job was charged once and never refunded
        Map<String, Integer> ledger = ledgerOf(queuedJob);
        assertThat(ledger).as(ledger.toString()).containsEntry("CHARGE", 1).doesNotContainKey("REFUND");
        assertThat(api.get("/api/account", apiKey).json().get("tokenBalance").asLong()).isEqualTo(450);

        // each job's terminal webhook arrives once the database is back
        await().atMost(JOB_TIMEOUT).until(() -> withWebhooks.stream()
                .allMatch(id -> terminalHooks(webhooks, id) >= 1));
        for (String id : withWebhooks) {
            assertThat(terminalHooks(webhooks, id)).as(id).isEqualTo(1);
        }
        collector.interrupt();

        // the retry due during the outage is made once the database is back, with the event's id, and the outage
        // used up no attempt of the schedule: the receiver got attempt 1 (500) and attempt 2 (200), nothing else
        WebhookReceiver.Received retried = flakyReceiver.next(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(retried).as("the retried webhook of " + retryingJob).isNotNull();
        assertThat(retried.header("webhook-id")).isEqualTo(firstAttempt.header("webhook-id"));
        JsonNode deliveries = api.get("/api/jobs/" + retryingJob + "/webhook-deliveries", apiKey).json()
                .get("deliveries");
        assertThat(deliveries).as(deliveries.toString()).hasSize(2);
        assertThat(deliveries.findValuesAsText("attempt")).as(deliveries.toString())
                .containsExactlyInAnyOrder("1", "2");
        assertThat(deliveries.findValuesAsText("statusCode")).containsExactlyInAnyOrder("500", "200");
        assertThat(flakyReceiver.next(0, TimeUnit.SECONDS)).isNull();
    }

    private static long terminalHooks(Map<String, List<JsonNode>> webhooks, String jobId) {
        return webhooks.getOrDefault(jobId, List.of()).stream()
                .map(hook -> hook.path("status").asText())
                .filter(status -> List.of("COMPLETED", "FAILED").contains(status))
                .count();
    }

    private void collect(Map<String, List<JsonNode>> webhooks) {
        ObjectMapper json = new ObjectMapper();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WebhookReceiver.Received hook = receiver.next(1, TimeUnit.SECONDS);
                if (hook != null) {
                    JsonNode body = json.readTree(hook.body());
                    String jobId = body.path("jobId").asText(body.path("id").asText());
                    webhooks.computeIfAbsent(jobId, id -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(body);
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (Exception unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private JsonNode row(String jobId) throws Exception {
        try (Connection connection = database.connect(DATABASE)) {
            PreparedStatement select = connection.prepareStatement(
                    "SELECT status, error_message FROM jobs WHERE id = ?");
            select.setString(1, jobId);
            ResultSet row = select.executeQuery();
            assertThat(row.next()).as(jobId).isTrue();
            return new ObjectMapper().createObjectNode().put("id", jobId).put("status", row.getString(1))
                    .put("error", row.getString(2));
        }
    }

    private Map<String, Integer> ledgerOf(String jobId) throws Exception {
        Map<String, Integer> kinds = new HashMap<>();
        try (Connection connection = database.connect(DATABASE)) {
            PreparedStatement select = connection.prepareStatement(
                    "SELECT kind, COUNT(*) FROM token_ledger WHERE job_id = ? GROUP BY kind");
            select.setString(1, jobId);
            ResultSet rows = select.executeQuery();
            while (rows.next()) {
                kinds.put(rows.getString(1).toUpperCase(), rows.getInt(2));
            }
        }
        return kinds;
    }

    private ConfigurableApplicationContext start() throws Exception {
        Map<String, String> settings = StandaloneService.settings(Files.createDirectories(dir.resolve("data")),
                "outage", ADMIN_TOKEN);
        // the second attempt 10 s after the first, so it falls into the outage
        settings.put("reelroute.webhooks.schedule", "0s,10s,10s,10s,10s,10s,10s,10s");
        settings.put("reelroute.webhooks.jitter", "0");
        settings.put("reelroute.jobs.consumers", "1");
        // what is asserted is how each job ends and is reported, not the video: 10 frames a second, not 25 (the 40 s
        // render still outlasts the start of the outage by several heartbeats)
        settings.put("reelroute.render.fps", "10");
        settings.put("reelroute.recovery.lease", "10s");
        settings.put("reelroute.recovery.heartbeat-interval", "2s");
        settings.put("reelroute.recovery.sweep-interval", "2s");
        settings.put("reelroute.recovery.watch-interval", "2s");
        settings.put("REELROUTE_DB_URL", database.jdbcUrl(DATABASE));
        settings.put("REELROUTE_DB_USER", PrivateMariaDb.USER);
        settings.put("REELROUTE_DB_PASSWORD", PrivateMariaDb.PASSWORD);
        // an operator's setting: a request waits this long for a connection before it is answered 503
        settings.put("REELROUTE_DB_CONNECTION_TIMEOUT_MS", "3000");
        return StandaloneService.run("mysql", settings);
    }
}
