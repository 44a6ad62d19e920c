package dev.reelroute.artemis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.ArtemisCli;
import dev.reelroute.support.ExternalArtemis;
import dev.reelroute.support.JmsProducerProcess;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.Tokens;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service with the {@code artemis} profile against a standalone broker over TCP, configured by the
 * repository's artemis/ files: a video job goes through it from the REST call to SUCCEEDED, and an enterprise
 * subscriber (the broker's producer user) sees the job's events on the topic, selected by account.
 */
@ActiveProfiles("artemis")
// the broker process ends with this class: a cached context would keep reconnecting to it
@DirtiesContext
class ExternalArtemisJobEndToEndTest extends ServiceTest {
    @RegisterExtension
    static final ExternalArtemis artemis = new ExternalArtemis();

    @Autowired
    ApplicationContext context;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        // the names the profile reads from the environment
        registry.add("REELROUTE_ARTEMIS_URL", artemis::serviceUrl);
        registry.add("REELROUTE_ARTEMIS_USER", () -> ExternalArtemis.APP_USER);
        registry.add("REELROUTE_ARTEMIS_PASSWORD", () -> ExternalArtemis.APP_PASSWORD);
    }

    @Test
    void theServiceTalksToTheExternalBrokerThroughTheCachingFactoryAndStartsNoBrokerOfItsOwn() throws Exception {
        assertThat(context.getBeansOfType(EmbeddedActiveMQ.class)).isEmpty();
        assertThat(connectionFactory).isInstanceOf(CachingConnectionFactory.class);
        ConnectionFactory target = ((CachingConnectionFactory) connectionFactory).getTargetConnectionFactory();
        assertThat(target).isInstanceOf(ActiveMQConnectionFactory.class);
        ActiveMQConnectionFactory artemisFactory = (ActiveMQConnectionFactory) target;
        // host and port only: the factory's whole URI carries the password
        assertThat(artemisFactory.toURI().getPort()).isEqualTo(URI.create(artemis.url()).getPort());
        assertThat(artemisFactory.getUser()).isEqualTo(ExternalArtemis.APP_USER);
    }

    @Test
    void aVideoJobRunsThroughTheBrokerAndASubscriberSeesItsEvents() throws Exception {
        AccountStore.CreatedKey account = fundedAccount();

        // an enterprise subscriber with its own credentials, for this account's events only
        List<Message> events = Collections.synchronizedList(new ArrayList<>());
        List<Message> otherAccounts = Collections.synchronizedList(new ArrayList<>());
        ActiveMQConnectionFactory enterprise = new ActiveMQConnectionFactory(artemis.url());
        try (Connection subscriber = enterprise.createConnection(ExternalArtemis.PRODUCER_USER,
                ExternalArtemis.PRODUCER_PASSWORD)) {
            Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createTopic("reelroute.job-events"),
                    "accountId = '" + account.accountId() + "'").setMessageListener(events::add);
            session.createConsumer(session.createTopic("reelroute.job-events"),
                    "accountId = 'someone-else'").setMessageListener(otherAccounts::add);
            subscriber.start();

            String jobId = runMockVideoJob(account.apiKey());

            // the completed event is published just after the status changes
            await().atMost(Duration.ofSeconds(10)).until(() -> lastEventType(events).equals("completed"));
            List<String> types = new ArrayList<>();
            for (Message event : List.copyOf(events)) {
                assertThat(event.getStringProperty("jobId")).isEqualTo(jobId);
                types.add(event.getStringProperty("eventType"));
            }
            assertThat(types).first().isEqualTo("created");
            assertThat(types).contains("stage").last().isEqualTo("completed");
            assertThat(otherAccounts).as("the selector keeps other accounts' events away").isEmpty();
        }
    }

    @Test
    void aProducerInAnotherProcessSubmitsOverJmsGetsItsAnswerAndFollowsTheJobToItsEnd() throws Exception {
        AccountStore.CreatedKey account = fundedAccount();
        JmsProducerProcess.Outcome child = JmsProducerProcess.run(artemis.url(), ExternalArtemis.PRODUCER_USER,
                ExternalArtemis.PRODUCER_PASSWORD, account.apiKey(), account.accountId(),
                "{\"kind\":\"video-job\",\"prompt\":\"A slow zoom in on a lighthouse at dusk\","
                        + "\"model\":\"veo-3.1-fast-generate-preview\",\"resolution\":\"720p\","
                        + "\"aspectRatio\":\"16:9\",\"durationSeconds\":4,\"mockMode\":true}");

        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.reply().path("status").asText()).isEqualTo("PENDING");
        assertThat(child.eventTypes()).first().isEqualTo("created");
        assertThat(child.eventTypes()).contains("stage").last().isEqualTo("completed");
    }

    @Test
    void afterABrokerRestartTheServiceReconnectsByItselfAndJobsRunAgain() throws Exception {
        artemis.restart();
        runMockVideoJob(fundedAccount().apiKey());
    }

    @Test
    void anOperatorBrowsesRefusedRequestsWithTheReadmesArtemisBrowserLine(@TempDir Path dir) throws Exception {
        String marker = "refused-" + UUID.randomUUID();
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(artemis.url());
        try (Connection producer = broker.createConnection(ExternalArtemis.PRODUCER_USER,
                ExternalArtemis.PRODUCER_PASSWORD)) {
            Session session = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // no apiKey: refused UNAUTHORIZED and parked on the DLQ
            session.createProducer(session.createQueue("reelroute.jobs.submit"))
                    .send(session.createTextMessage("{\"kind\":\"generate\",\"prompt\":\"" + marker + "\"}"));
        }
        try (Connection admin = broker.createConnection(ExternalArtemis.ADMIN_USER, ExternalArtemis.ADMIN_PASSWORD)) {
            Session session = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> Collections.list(
                    session.createBrowser(session.createQueue("reelroute.jobs.submit.dlq")).getEnumeration())
                    .stream().anyMatch(m -> text((Message) m).contains(marker)));
        }

        ArtemisCli.Command browser = ArtemisCli.fromDocs("browser", Map.of(
                "BROKER_URL", artemis.url(), "ARTEMIS_ADMIN_PASSWORD", ExternalArtemis.ADMIN_PASSWORD));
        Path log = dir.resolve("browser.log");
        Process browsing = ArtemisCli.start(browser, dir, log);
        assertThat(browsing.waitFor(2, TimeUnit.MINUTES)).as("the browser ends").isTrue();
        String browsed = Files.readString(log);
        assertThat(browsing.exitValue()).as(browsed).isZero();
        // --verbose prints each message's text, then the message with its properties on the next line
        List<String> lines = browsed.lines().toList();
        int request = IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("The refused request is not in:\n" + browsed));
        assertThat(lines.get(request + 1)).as(browsed).contains("errorCode=UNAUTHORIZED", "reason=Missing apiKey");
    }

    private static String text(Message message) {
        try {
            return message instanceof TextMessage text ? text.getText() : "";
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private AccountStore.CreatedKey fundedAccount() {
        AccountStore.CreatedKey account = newAccount("artemis-" + System.nanoTime());
        Tokens.topUp(camel, account.accountId(), 100);
        return account;
    }

    /** A 4 s title-card job of the local engine, submitted over REST, followed to SUCCEEDED and downloaded. */
    private String runMockVideoJob(String apiKey) throws Exception {
        ApiClient.Response created = api.postMultipart("/api/v1/video-jobs", apiKey, List.of(
                Part.field("model", "veo-3.1-fast-generate-preview"), Part.field("mockMode", "true"),
                Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"),
                Part.field("durationSeconds", "4"), Part.field("prompt", "A lighthouse at dusk")));
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String jobId = created.json().get("id").asText();

        JsonNode job = awaitEnd(apiKey, jobId);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progressPercentage").asInt()).isEqualTo(100);
        ApiClient.Response download = api.get("/api/v1/video-jobs/" + jobId + "/download", apiKey);
        assertThat(download.status()).isEqualTo(302);
        assertThat(api.getAbsolute(download.header("Location"), null).header("Content-Type")).isEqualTo("video/mp4");
        return jobId;
    }

    private static String lastEventType(List<Message> events) throws Exception {
        synchronized (events) {
            return events.isEmpty() ? "" : events.get(events.size() - 1).getStringProperty("eventType");
        }
    }

    private JsonNode awaitEnd(String apiKey, String jobId) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get("/api/v1/video-jobs/" + jobId, apiKey).json(),
                        job -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("status").asText()));
    }
}
